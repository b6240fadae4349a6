"""The plan of a tensor product of sums of irreps with learned weights per path (e3nn's
"fully connected tensor product", mode ``uvw``, and its channel-wise variant ``uvu``).

Write A = ⊕_i u_i × a_i, B = ⊕_j v_j × b_j, OUT = ⊕_k w_k × c_k (segments: u_i copies of the irrep
a_i, copy-major as e3nn's ``16x1o``). For every triple (i, j, k) with Hom_G(a_i ⊗ b_j, c_k) ≠ 0,
the Clebsch–Gordan basis C_p (p = 1..P, each of Frobenius norm 1; P = 1 for SO(3)/O(3), 2 for
SO(2)'s complex frequencies) gives a path, and

    uvw:  z_k[w, c] += α_k Σ_{p,u,v,a,b} θ[p, u, v, w] C_p[a, b, c] x_i[u, a] y_j[v, b]
    uvu:  z_k[u, c] += α_k Σ_{p,v,a,b}   θ[p, u, v]    C_p[a, b, c] x_i[u, a] y_j[v, b]

(uvu, channel-wise: only the triples with w_k = u_i are paths)
with α_k = √(d_{c_k} / n_k), n_k the number of (p, u, v) terms summed into one output of segment
k over all its paths: e3nn's "component" irrep normalisation with "element" path normalisation,
so that θ ~ N(0, 1) and inputs of unit-variance components give outputs of unit variance.
Each path is equivariant because C_p is an intertwiner and θ mixes only copies (Schur); the
O(3) parity rule p_a p_b = p_c and the triangle rule |l_a − l_b| ≤ l_c ≤ l_a + l_b are the
paths that exist (``clebsch_gordan``). The coefficients are exact (Racah's formula proved an
intertwiner, or an exact solver basis) and embedded as float64 constants with α_k folded in.

Source: e3nn (Geiger & Smidt, arXiv:2207.09453), §"tensor product"; Thomas et al.,
"Tensor field networks" (2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core import Copies, Rep, Sum
from ...errors import IntertwineError
from ._value import Value, frozen

MODES = ("uvw", "uvu")


@dataclass(frozen=True, eq=False)
class Segment(Value):
    """``mul`` copies of one irrep ``rep`` (dimension ``d``) at x[start : start + mul·d]."""

    mul: int
    rep: Rep
    start: int

    @property
    def d(self) -> int:
        return self.rep.dim

    @property
    def size(self) -> int:
        return self.mul * self.rep.dim

    @property
    def scalar(self) -> bool:
        """Whether the irrep is the trivial rep (an invariant number, e3nn's ``0e``)."""
        return self.rep.dim == 1 and self.rep == self.rep.action.trivial()


def segments(rep: Rep) -> tuple[Segment, ...]:
    """The summands of a direct sum as (multiplicity, irrep) segments, in the order written:
    ``"16x0e + 8x1o"`` gives (16, 0e), (8, 1o); anything not a sum or copies is one segment.

    >>> import intertwine as it
    >>> [(s.mul, str(s.rep), s.start) for s in segments(it.rep("O(3)", "16x0e + 8x1o"))]
    [(16, '1x0e', 0), (8, '1x1o', 16)]
    """
    out: list[Segment] = []

    def walk(r: Rep, start: int) -> int:
        node = r.node
        if isinstance(node, Sum):
            for part in node.parts:
                start = walk(part, start)
            return start
        if isinstance(node, Copies) and not isinstance(node.base.node, (Sum, Copies)):
            out.append(Segment(node.count, node.base, start))
            return start + r.dim
        if isinstance(node, Copies):
            for _ in range(node.count):
                start = walk(node.base, start)
            return start
        out.append(Segment(1, r, start))
        return start + r.dim

    walk(rep, 0)
    return tuple(out)


@dataclass(frozen=True, eq=False)
class TensorProductPath(Value):
    """One (i, j, k) triple: ``cg`` (P, d_a, d_b, d_c) = α_k C_p, weights θ[offset : offset +
    prod(shape)] read as ``shape`` ((P, u, v, w) for uvw, (P, u, v) for uvu)."""

    i: int
    j: int
    k: int
    cg: np.ndarray
    offset: int
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))


@dataclass(frozen=True, eq=False)
class TensorProductPlan(Value):
    """Segments of A, B, OUT, the paths, and the number of weights; equal and hashed by
    content (:class:`~._value.Value`), so equal tensor products share compiled code."""

    group: str
    rep_a: Rep
    rep_b: Rep
    rep_out: Rep
    mode: str
    a: tuple[Segment, ...]
    b: tuple[Segment, ...]
    out: tuple[Segment, ...]
    paths: tuple[TensorProductPath, ...]
    num_weights: int
    exact: bool

    def describe(self) -> str:
        return (
            f"{self.group}: {self.rep_a} x {self.rep_b} -> {self.rep_out}, mode {self.mode}, "
            f"{len(self.paths)} paths, {self.num_weights} weights"
        )

    def apply_numpy(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """z (n, dim OUT) from θ (num_weights,), x (n, dim A), y (n, dim B), in NumPy."""
        n = x.shape[0]
        acc: list[np.ndarray | None] = [None] * len(self.out)
        for path in self.paths:
            sa, sb = self.a[path.i], self.b[path.j]
            xa = x[:, sa.start : sa.start + sa.size].reshape(n, sa.mul, sa.d)
            yb = y[:, sb.start : sb.start + sb.size].reshape(n, sb.mul, sb.d)
            w = theta[path.offset : path.offset + path.size].reshape(path.shape)
            spec = "zua,zvb,pabc,puvw->zwc" if self.mode == "uvw" else "zua,zvb,pabc,puv->zuc"
            z = np.einsum(spec, xa, yb, path.cg, w, optimize=True)
            acc[path.k] = z if acc[path.k] is None else acc[path.k] + z
        parts = [
            np.zeros((n, s.size), x.dtype) if z is None else z.reshape(n, s.size)
            for s, z in zip(self.out, acc)
        ]
        return np.concatenate(parts, -1) if parts else np.zeros((n, 0), x.dtype)


def tensor_product_plan(action, rep_a: Rep, rep_b: Rep, rep_out: Rep, mode: str = "uvw"):
    """The plan of the tensor product A ⊗ B → OUT (module docstring); ``mode`` ``"uvw"`` (fully
    connected) or ``"uvu"`` (channel-wise: only triples whose output segment has the u_i copies
    of A's segment are paths). Raises IntertwineError for another mode, or for uvu when no
    triple has matching multiplicities.

    >>> import intertwine as it
    >>> act = it.action("O(3)")
    >>> a, b = it.rep(act, "2x0e + 1x1o"), it.rep(act, "1x1o")
    >>> plan = tensor_product_plan(act, a, b, it.rep(act, "1x0e + 1x1e"))
    >>> [(p.i, p.j, p.k, p.shape) for p in plan.paths]
    [(1, 0, 0, (1, 1, 1, 1)), (1, 0, 1, (1, 1, 1, 1))]
    """
    from ...reps import clebsch_gordan

    if mode not in MODES:
        raise IntertwineError(f"unknown tensor product mode {mode!r}; use 'uvw' or 'uvu'")
    sa, sb, so = segments(rep_a), segments(rep_b), segments(rep_out)
    cache: dict[tuple[Rep, Rep, Rep], tuple[np.ndarray, bool]] = {}
    found: list[tuple[int, int, int, np.ndarray]] = []
    skipped: list[str] = []
    exact = True
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            for k, z in enumerate(so):
                key = (x.rep, y.rep, z.rep)
                if key not in cache:
                    cg = clebsch_gordan(action, x.rep, y.rep, z.rep)
                    cache[key] = (cg.array, cg.exact)
                array, ok = cache[key]
                if array.shape[0] == 0:
                    continue
                if mode == "uvu" and z.mul != x.mul:
                    skipped.append(f"{x.mul}x{x.rep} -> {z.mul}x{z.rep}")
                    continue
                exact = exact and ok
                found.append((i, j, k, array))
    if skipped and not found:
        raise IntertwineError(
            f"mode 'uvu' keeps the copies of A, and no output segment has the multiplicity of "
            f"the A segment feeding it ({', '.join(skipped[:3])}); use mode 'uvw'"
        )
    fan_in = np.zeros(len(so))
    for i, j, k, array in found:
        fan_in[k] += array.shape[0] * (sa[i].mul * sb[j].mul if mode == "uvw" else sb[j].mul)
    paths, offset = [], 0
    for i, j, k, array in found:
        alpha = np.sqrt(so[k].d / fan_in[k])
        p, u, v, w = array.shape[0], sa[i].mul, sb[j].mul, so[k].mul
        shape = (p, u, v, w) if mode == "uvw" else (p, u, v)
        cg = alpha * array
        cg.flags.writeable = False
        paths.append(TensorProductPath(i, j, k, frozen(cg), offset, shape))
        offset += int(np.prod(shape))
    return TensorProductPlan(
        action.name, rep_a, rep_b, rep_out, mode, sa, sb, so, tuple(paths), offset, exact
    )
