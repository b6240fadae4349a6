"""Diagram plans: equivariant maps between sums of tensor powers of V applied as einsums,
without forming W.

On one block pair V^⊗k → V^⊗l, W = Σ_σ φ_σ D_σ over diagram tensors D_σ (the maths is in
``intertwine.solver.diagrams``): for S(n) the basis is the orbit basis O_π and φ = θ M with M the
Möbius matrix of the partition lattice; for the Brauer families φ = θ. Each D_σ x is one einsum
over x: blocks with only input positions are summed, blocks with several output positions
become diagonals (an identity operand), blocks with only output positions are broadcast; the
invariant form of O(p,q) or Sp(n) signs (and for Sp permutes) one axis of each pair of two
inputs before and of two outputs after, and an ε block of SO(n) is a Levi-Civita operand. The
cost is O(n^max(k,l)) per sample and channel pair instead of O(n^(k+l)) for a dense W.

On a sum of tensor powers, the block pairs that share their degrees and diagrams form one class:
their input blocks are extra input channels and their output blocks extra output channels of
one application, so ``c*V`` costs what one block pair with c times the channels costs.

A :class:`~intertwine.solver.DiagramBasis` gives the plan directly at any n. A basis from another
method gives it when its tying coincides, entry by entry, with the equality patterns of S(n)
(a structural check that lists the n^(k+l) patterns, so only for small n).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ...core import Power, Rep, Standard, Tensor, Trivial
from ...solver import (
    DiagramBasis,
    DiagramStep,
    Forms,
    Schedule,
    apply_steps,
    diagram_classes,
    mobius_matrix,
    reduce_plan,
    schedule,
)
from ._value import Value, frozen

MAX_ENTRIES = 20_000_000


@dataclass(frozen=True, eq=False)
class DiagramClassPlan(Value):
    """Everything needed to apply W = Σ_σ φ_σ D_σ on the block pairs of one class (degrees
    k → l, the same diagrams), as plain data that the JAX layer and every emitted target read
    the same way. Per diagram σ:

    1. transform the ``in_maps[σ]`` axes of x by Fᵀ (only with ``forms``);
    2. ``t = einsum(reduce[σ], x)`` with x of shape (b, c, n, ..., n) (k axes), and the
       Levi-Civita symbol as a second operand when ``eps[σ]``: diagonals of repeated input
       letters, sums of input-only blocks; t keeps the blocks that reach the output;
    3. ``u = einsum("bc...,oc->bo...", t, φ[:, :, σ])`` contracts the channels while t is small;
    4. ``u.reshape((b, c_out) + shape[σ])``: n on the first output position of each kept block,
       1 elsewhere;
    5. for each pair (p, q) in ``dups[σ]``, multiply by the identity on output axes p and q (the
       positions of one block), transform the ``out_maps[σ]`` axes by K, then broadcast to
       (b, c_out, n, ..., n) and add.

    ``terms[b, a, σ]`` is the basis element (index into θ's last axis, ``dim`` for none) of
    diagram σ from input block ``in_blocks[a]`` to output block ``out_blocks[b]``.
    """

    n: int
    k: int
    l: int
    mobius: np.ndarray  # (S, S): φ = θ @ mobius (the identity for Brauer diagrams)
    reduce: tuple[str, ...]
    shape: tuple[tuple[int, ...], ...]
    dups: tuple[tuple[tuple[int, int], ...], ...]
    in_maps: tuple[tuple[int, ...], ...]
    out_maps: tuple[tuple[int, ...], ...]
    eps: tuple[bool, ...]
    forms: Forms | None
    in_blocks: tuple[int, ...]
    out_blocks: tuple[int, ...]
    terms: np.ndarray  # (len(out_blocks), len(in_blocks), S) int

    @property
    def steps(self) -> list[DiagramStep]:
        fields = zip(self.reduce, self.shape, self.dups, self.in_maps, self.out_maps, self.eps)
        return [DiagramStep(*f) for f in fields]

    @property
    def schedule(self) -> Schedule:
        """The order of application of the steps (each distinct reduction of x once, the
        diagrams placed alike in one contraction), as :func:`apply_steps` runs them."""
        return schedule(self.steps, self.forms is not None and not self.forms.trivial)

    @property
    def plain(self) -> bool:
        """One block pair, δ forms and no ε: the plain plan (the emitters' "diagram" core)."""
        trivial = self.forms is None or self.forms.trivial
        single = len(self.in_blocks) == len(self.out_blocks) == 1
        return trivial and single and not any(self.eps)

    def __repr__(self) -> str:
        return f"DiagramClassPlan(n={self.n}, k={self.k}, l={self.l}, diagrams={len(self.reduce)})"


@dataclass(frozen=True, eq=False)
class DiagramPlan(Value):
    """The classes of block pairs of a diagram basis between sums of tensor powers of V (mode
    "diagram"; a value, equal by content)."""

    mode: ClassVar[str] = "diagram"
    n: int
    dim: int
    in_degrees: tuple[int, ...]
    out_degrees: tuple[int, ...]
    classes: tuple[DiagramClassPlan, ...]

    @property
    def plain(self) -> DiagramClassPlan | None:
        """The single plain class (see :attr:`DiagramClassPlan.plain`), else None."""
        if len(self.classes) == 1 and self.classes[0].plain:
            plan = self.classes[0]
            if len(self.in_degrees) == len(self.out_degrees) == 1:
                return plan
        return None

    def apply(self, theta, x, xp=np):
        """y (b, c_out, out) = W x for x (b, c_in, in), θ (c_out, c_in, dim), in ``xp``."""
        n, b = self.n, x.shape[0]
        c_out, c_in = theta.shape[0], theta.shape[1]
        ins = np.cumsum([0] + [n**k for k in self.in_degrees]).tolist()
        padded = xp.concatenate([theta, xp.zeros((c_out, c_in, 1), dtype=theta.dtype)], axis=-1)
        pieces: dict[int, list] = {}
        for plan in self.classes:
            a_count, b_count = len(plan.in_blocks), len(plan.out_blocks)
            xa = xp.stack([x[:, :, ins[a] : ins[a + 1]] for a in plan.in_blocks], axis=2)
            xa = xa.reshape(b, c_in * a_count, n**plan.k)
            phi = padded[:, :, plan.terms]  # (c_out, c_in, B, A, S)
            phi = xp.transpose(phi, (0, 2, 1, 3, 4)).reshape(c_out * b_count, c_in * a_count, -1)
            if not _is_identity(plan.mobius):
                mobius = xp.asarray(plan.mobius, dtype=phi.dtype)
                # in full float32 precision on accelerators (no TF32): φ carries θ exactly
                extra = {} if xp is np else {"precision": "highest"}
                phi = xp.matmul(phi, mobius, **extra)
            ya = apply_steps(plan.steps, phi, xa, n, plan.k, plan.l, xp=xp, forms=plan.forms)
            ya = ya.reshape(b, c_out, b_count, n**plan.l)
            for i, out_block in enumerate(plan.out_blocks):
                pieces.setdefault(out_block, []).append(ya[:, :, i])
        parts = []
        for out_block, degree in enumerate(self.out_degrees):
            got = pieces.get(out_block)
            if not got:
                parts.append(xp.zeros((b, c_out, n**degree), dtype=x.dtype))
                continue
            total = got[0]
            for more in got[1:]:
                total = total + more
            parts.append(total)
        return parts[0] if len(parts) == 1 else xp.concatenate(parts, axis=-1)

    def __repr__(self) -> str:
        return f"DiagramPlan(n={self.n}, classes={len(self.classes)}, dim={self.dim})"


def _is_identity(m: np.ndarray) -> bool:
    return m.shape[0] == m.shape[1] and bool(np.array_equal(m, np.eye(m.shape[0])))


def _power(rep: Rep) -> int | None:
    """k when rep is V^⊗k of a one-factor action (V**k, V*V*..., V, 1), else None."""
    node = rep.node
    if isinstance(node, Trivial):
        return 0
    if isinstance(node, Standard) and len(rep.action.degrees) == 1:
        return 1
    if isinstance(node, Power):
        return node.exponent if _power(node.base) == 1 else None
    if isinstance(node, Tensor):
        parts = [_power(r) for r in node.parts]
        return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]
    return None


def _patterns(n: int, m: int) -> np.ndarray:
    """Canonical set-partition code of every index tuple in {0..n-1}^m (row-major order)."""
    grid = np.indices((n,) * m).reshape(m, -1)
    labels = np.zeros_like(grid)
    for p in range(m):
        first = np.full(grid.shape[1], p)
        for q in range(p - 1, -1, -1):
            first = np.where(grid[q] == grid[p], q, first)
        labels[p] = first
    codes = np.zeros(grid.shape[1], dtype=np.int64)
    for p in range(m):
        codes = codes * m + labels[p]
    return codes


def _decode(code: int, m: int) -> tuple[int, ...]:
    firsts = []
    for _ in range(m):
        firsts.append(code % m)
        code //= m
    firsts = firsts[::-1]
    block_of: dict[int, int] = {}
    out = []
    for p, f in enumerate(firsts):
        if f == p:
            block_of[p] = len(block_of)
        out.append(block_of[f])
    return tuple(out)


def _plan(
    parts, mobius, n: int, k: int, l: int, forms=None, in_blocks=(0,), out_blocks=(0,), terms=None
) -> DiagramClassPlan:
    """``parts``: (diagram, ε label) pairs of one class."""
    steps = [reduce_plan(sigma, k, l, n, eps) for sigma, eps in parts]
    if terms is None:
        terms = np.arange(len(parts)).reshape(1, 1, len(parts))
    return DiagramClassPlan(
        n,
        k,
        l,
        frozen(mobius),
        tuple(st[0] for st in steps),
        tuple(st[1] for st in steps),
        tuple(st[2] for st in steps),
        tuple(st[3] for st in steps),
        tuple(st[4] for st in steps),
        tuple(st[5] for st in steps),
        forms,
        tuple(in_blocks),
        tuple(out_blocks),
        frozen(terms, np.int32),  # one index dtype, in and out of jax_enable_x64
    )


def _layout_of_diagram_basis(basis: DiagramBasis) -> DiagramPlan | None:
    classes = diagram_classes(basis)
    forms = None if basis.tensor == "orbit" else basis.forms
    plans = []
    for cls in classes:
        diagrams = [d for d, _ in cls.parts]
        mobius = mobius_matrix(diagrams) if basis.tensor == "orbit" else np.eye(len(diagrams))
        plans.append(
            _plan(
                list(cls.parts),
                mobius,
                basis.n,
                cls.k,
                cls.l,
                forms,
                cls.in_blocks,
                cls.out_blocks,
                cls.terms,
            )
        )
    return DiagramPlan(
        basis.n, basis.dim, tuple(basis.in_degrees), tuple(basis.out_degrees), tuple(plans)
    )


def diagram_plan(basis) -> DiagramPlan | None:
    """The plan for a diagram basis (any sum of tensor powers, any family), or for a basis of
    one block pair whose tying is the orbit basis of S(n) on tensor powers of V; else None."""
    if isinstance(basis, DiagramBasis):
        if basis.dim == 0:
            return None
        return _layout_of_diagram_basis(basis)
    rep_in, rep_out = basis.rep_in, basis.rep_out
    if not isinstance(rep_in, Rep) or not isinstance(rep_out, Rep):
        return None
    kk, ll = _power(rep_in), _power(rep_out)
    if kk is None or ll is None or kk + ll == 0 or len(rep_in.action.degrees) != 1:
        return None
    n = rep_in.action.degrees[0]
    m = kk + ll
    if n**m > MAX_ENTRIES or m > 8 or basis.tying is None:
        return None
    codes = _patterns(n, m)
    tying = basis.tying.reshape(-1)
    if np.any(tying < 0):
        return None
    pairs = np.unique(np.stack([tying, codes]), axis=1)
    if pairs.shape[1] != basis.dim or np.unique(pairs[1]).size != basis.dim:
        return None
    order = np.argsort(pairs[0])
    parts = [_decode(int(c), m) for c in pairs[1][order]]
    plan = _plan([(p, -1) for p in parts], mobius_matrix(parts), n, kk, ll)
    return DiagramPlan(n, basis.dim, (kk,), (ll,), (plan,))
