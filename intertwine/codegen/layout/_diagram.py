"""Diagram plans: equivariant maps V^⊗k → V^⊗l applied as einsums, without forming W.

W = Σ_σ φ_σ D_σ over diagram tensors D_σ (the maths is in ``intertwine.solver._diagrams``): for
S(n) the basis is the orbit basis O_π and φ = θ M with M the Möbius matrix of the partition
lattice; for O(n) the basis is the Brauer diagrams themselves and φ = θ. Each D_σ x is one einsum
over x: blocks with only input positions are summed, blocks with several output positions
become diagonals (an identity operand), blocks with only output positions are broadcast. The
cost is O(n^max(k,l)) per sample and channel pair instead of O(n^(k+l)) for a dense W.

A :class:`~intertwine.solver.DiagramBasis` gives the plan directly at any n. A basis from another
method gives it when its tying coincides, entry by entry, with the equality patterns of S(n)
(a structural check that lists the n^(k+l) patterns, so only for small n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core import Power, Rep, Standard, Tensor, Trivial
from ...solver import DiagramBasis
from ...solver._diagrams import mobius_matrix, reduce_plan

MAX_ENTRIES = 20_000_000


@dataclass(frozen=True, eq=False)
class DiagramPlan:
    """Everything needed to apply W = Σ_σ φ_σ D_σ on V^⊗k → V^⊗l, as plain data that
    the JAX layer and every emitted target read the same way. Per diagram σ:

    1. ``t = einsum(reduce[σ], x)`` with x of shape (b, c, n, ..., n) (k axes): diagonals of
       repeated input letters, sums of input-only blocks; t keeps the blocks that reach the output;
    2. ``u = einsum("bc...,oc->bo...", t, φ[:, :, σ])`` contracts the channels while t is small;
    3. ``u.reshape((b, c_out) + shape[σ])``: n on the first output position of each kept block,
       1 elsewhere;
    4. for each pair (p, q) in ``dups[σ]``, multiply by the identity on output axes p and q (the
       positions of one block), then broadcast to (b, c_out, n, ..., n) and add.
    """

    n: int
    k: int
    l: int
    mobius: np.ndarray  # (dim, dim): φ = θ @ mobius (the identity for Brauer diagrams)
    reduce: tuple[str, ...]
    shape: tuple[tuple[int, ...], ...]
    dups: tuple[tuple[tuple[int, int], ...], ...]

    def __repr__(self) -> str:
        return f"DiagramPlan(n={self.n}, k={self.k}, l={self.l}, diagrams={len(self.reduce)})"


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


def _plan(parts: list, mobius: np.ndarray, n: int, k: int, l: int) -> DiagramPlan:
    steps = [reduce_plan(sigma, k, l, n) for sigma in parts]
    return DiagramPlan(
        n,
        k,
        l,
        mobius,
        tuple(st[0] for st in steps),
        tuple(st[1] for st in steps),
        tuple(st[2] for st in steps),
    )


def diagram_plan(basis) -> DiagramPlan | None:
    """The plan for a diagram basis of one block pair V^⊗k → V^⊗l, or for a basis whose tying is
    the orbit basis of S(n) on tensor powers of V; else None."""
    if isinstance(basis, DiagramBasis):
        # plans carry no form weights yet: O(p,q) layers form W (as do sums of tensor powers)
        if len(basis.in_degrees) != 1 or len(basis.out_degrees) != 1 or basis.tensor == "form":
            return None
        k, l = basis.in_degrees[0], basis.out_degrees[0]
        if k + l == 0:
            return None
        parts = [t.diagram for t in basis.terms]
        mobius = mobius_matrix(parts) if basis.tensor == "orbit" else np.eye(len(parts))
        return _plan(parts, mobius, basis.n, k, l)
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
    return _plan(parts, mobius_matrix(parts), n, kk, ll)
