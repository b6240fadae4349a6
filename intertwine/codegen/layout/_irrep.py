"""The block-diagonal plan of a layer between sums of named irreps (Schur's lemma).

When IN = ⊕ ρ_a and OUT = ⊕ ρ_b are sums of named irreps (``16x0e + 8x1o``), the Schur basis
(``intertwine.solver._schur``) has one block per (output copy, input copy, endomorphism) of a
matching irrep. Grouping the copies by irrep type t (dimension d_t, m_in,t input copies, m_out,t
output copies, End_G(ρ_t) of dimension e_t: 1 for a real irrep, 2 for SO(2)'s frequencies),

    y_t[o, j, :] = Σ_{c, i, e} θ[o, c, k_t(j, i, e)] · E_e x_t[c, i, :],

one batched matmul per type: (C_out·m_out, C_in·m_in·e) times (batch, C_in·m_in·e, d) — cost
Σ_t C_out m_out C_in m_in e_t d_t per sample instead of C_out C_in d_out d_in, and W is never
formed. The plan is plain NumPy data (index arrays per type), read alike by the JAX layer and by
every emitted target. Source: Schur's lemma (e.g. Fulton & Harris, Representation Theory, 1.7).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ...core import Rep
from ._value import Value, frozen


@dataclass(frozen=True, eq=False)
class IrrepBlock(Value):
    """One irrep type: where its copies sit in x and y, and which θ entries weigh them.

    ``in_index`` (m_in·d,): x's coordinates of the input copies, copy-major; ``out_index``
    (m_out·d,) likewise in y; ``theta_index`` (m_out, m_in, e): θ's entry per (output copy,
    input copy, endomorphism); ``ends`` (e, d, d) the endomorphism basis E_e, or None when it is
    the identity alone (a real irrep).
    """

    name: str
    d: int
    in_index: np.ndarray
    out_index: np.ndarray
    theta_index: np.ndarray
    ends: np.ndarray | None

    @property
    def m_in(self) -> int:
        return int(self.theta_index.shape[1])

    @property
    def m_out(self) -> int:
        return int(self.theta_index.shape[0])

    @property
    def n_end(self) -> int:
        return int(self.theta_index.shape[2])

    @property
    def in_slice(self) -> slice | None:
        """The input copies as one slice of x when they are adjacent (a gather saved)."""
        start = int(self.in_index[0]) if self.in_index.size else 0
        contiguous = np.array_equal(self.in_index, np.arange(start, start + self.in_index.size))
        return slice(start, start + self.in_index.size) if contiguous else None


@dataclass(frozen=True, eq=False)
class IrrepPlan(Value):
    """The blocks of every irrep type present in both reps, and the gather that assembles y
    (mode "irrep"; a value, equal by content).

    ``out_gather`` (out_dim,): y = concat(y_t flattened, one zero)[out_gather]; an output
    coordinate of an irrep absent from IN points at the zero (index Σ_t m_out,t d_t).
    """

    mode: ClassVar[str] = "irrep"

    blocks: tuple[IrrepBlock, ...]
    out_gather: np.ndarray

    @property
    def out_in_order(self) -> bool:
        """Whether y is the blocks' outputs concatenated as they are (no gather needed)."""
        covered = sum(b.out_index.size for b in self.blocks)
        n = self.out_gather.size
        return covered == n and bool(np.array_equal(self.out_gather, np.arange(n)))

    def cost(self, c_in: int = 1, c_out: int = 1) -> int:
        """Multiply-adds per sample: Σ_t C_out m_out C_in m_in e_t d_t."""
        return sum(c_out * b.m_out * c_in * b.m_in * b.n_end * b.d for b in self.blocks)

    def apply_numpy(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        """y (b, C_out, out) from θ (C_out, C_in, dim) and x (b, C_in, in), in NumPy."""
        outs = []
        for blk in self.blocks:
            y = _block_numpy(blk, theta, x)
            outs.append(y.reshape(y.shape[0], y.shape[1], -1))
        pad = np.zeros(x.shape[:1] + (theta.shape[0], 1), x.dtype)
        return np.concatenate(outs + [pad], -1)[..., self.out_gather]


def _block_numpy(blk: IrrepBlock, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    b, c_in = x.shape[0], x.shape[1]
    c_out = theta.shape[0]
    xt = x[..., blk.in_index].reshape(b, c_in, blk.m_in, 1, blk.d)
    if blk.ends is not None:
        xt = np.einsum("epq,bciq->bciep", blk.ends, xt[:, :, :, 0])
    w = theta[..., blk.theta_index]  # (C_out, C_in, m_out, m_in, e)
    w = w.transpose(0, 2, 1, 3, 4).reshape(c_out * blk.m_out, -1)
    y = np.matmul(w, xt.reshape(b, -1, blk.d))
    return y.reshape(b, c_out, blk.m_out * blk.d)


def irrep_plan(basis) -> IrrepPlan | None:
    """The plan for a basis from the Schur path (method "schur"), else None.

    Recomputes the copies from the reps' irreps, in the order ``solve_schur`` numbers the
    basis: output copies in order, then the input copies of that irrep, then End_G's basis.

    >>> from intertwine.solver import solve
    >>> plan = irrep_plan(solve("O(3)", "16x0e + 16x1o", "8x1o"))
    >>> [(b.name, b.m_out, b.m_in, b.d) for b in plan.blocks]
    [('1o', 8, 16, 3)]
    """
    from ...solver import irrep_summands

    if getattr(basis, "method", None) != "schur":
        return None
    if not isinstance(basis.rep_in, Rep) or not isinstance(basis.rep_out, Rep):
        return None
    ins, outs = irrep_summands(basis.rep_in), irrep_summands(basis.rep_out)
    if ins is None or outs is None:
        return None
    in_offsets: dict[tuple, list[int]] = {}
    start = 0
    for a in ins:
        in_offsets.setdefault(a.key, []).append(start)
        start += a.dim
    types: dict[tuple, dict] = {}
    k = 0
    out_offset = 0
    for ir in outs:
        offs = in_offsets.get(ir.key, [])
        ends = ir.endomorphisms()
        if offs:
            t = types.setdefault(ir.key, {"irrep": ir, "ends": ends, "out": [], "theta": []})
            t["out"].append(out_offset)
            t["theta"].append(np.arange(k, k + len(offs) * len(ends)).reshape(len(offs), -1))
            k += len(offs) * len(ends)
        out_offset += ir.dim
    if k != basis.dim:  # pragma: no cover - the numbering must match solve_schur's
        raise AssertionError(f"Schur plan numbers {k} basis elements, the basis has {basis.dim}")
    blocks = []
    out_gather = np.full(basis.out_dim, -1, dtype=np.int64)
    position = 0
    for key, t in types.items():
        ir, d = t["irrep"], t["irrep"].dim
        ar = np.arange(d)
        in_index = (np.asarray(in_offsets[key])[:, None] + ar).reshape(-1)
        out_index = (np.asarray(t["out"])[:, None] + ar).reshape(-1)
        end_matrices = _dense_ends(t["ends"], d)
        out_gather[out_index] = position + np.arange(out_index.size)
        position += out_index.size
        blocks.append(
            IrrepBlock(
                ir.name,
                d,
                frozen(in_index, np.int64),
                frozen(out_index, np.int64),
                frozen(np.stack(t["theta"]), np.int64),
                None if end_matrices is None else frozen(end_matrices),
            )
        )
    out_gather[out_gather < 0] = position
    return IrrepPlan(tuple(blocks), frozen(out_gather))


def _dense_ends(ends, d: int) -> np.ndarray | None:
    """E_e as a dense (e, d, d) float array; None for the identity alone."""
    dense = np.zeros((len(ends), d, d))
    for e, m in enumerate(ends):
        dense[e, m.rows, m.cols] = np.asarray(m.vals, dtype=np.float64)
    if len(ends) == 1 and np.array_equal(dense[0], np.eye(d)):
        return None
    return dense
