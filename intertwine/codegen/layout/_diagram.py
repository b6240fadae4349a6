"""Partition diagrams: S(n)-equivariant maps V^⊗k → V^⊗l applied as einsums, without forming W.

For the symmetric group the orbits of index tuples (j_1..j_l, i_1..i_k) are their equality
patterns, set partitions π of the k + l positions with at most n blocks, and the tying pattern is
the *orbit basis* O_π (1 where the pattern is exactly π). The *diagram basis* D_σ (1 where indices
agree within the blocks of σ, with no condition across blocks) spans the same space, and

    D_σ = Σ_{π ≥ σ} O_π   so   O_π = Σ_{σ ≥ π} μ(π, σ) D_σ,
    μ(π, σ) = Π_{B ∈ σ} (−1)^{m_B − 1} (m_B − 1)!        (m_B blocks of π inside B),

the Möbius function of the partition lattice. Hence W = Σ_π θ_π O_π = Σ_σ φ_σ D_σ with φ = θ M,
M[π, σ] = μ(π, σ). Each D_σ x is one einsum over x: blocks with only input positions are summed,
blocks with several output positions become diagonals (an identity operand), blocks with only
output positions are broadcast (a ones operand). The cost is O(n^max(k,l)) per sample and channel
pair instead of O(n^(k+l)) for a dense W.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np

from ...core import Power, Rep, Standard, Tensor, Trivial

MAX_ENTRIES = 20_000_000
_LETTERS = "ijklmnpqrstuvwxyzadefgh"


@dataclass(frozen=True, eq=False)
class DiagramPlan:
    """Everything needed to apply W = Σ_σ φ_σ D_σ for S(n) on V^⊗k → V^⊗l, as plain data that
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
    mobius: np.ndarray  # (dim, dim): φ = θ @ mobius
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


def _mobius(parts: list[tuple[int, ...]]) -> np.ndarray:
    dim = len(parts)
    m = np.zeros((dim, dim))
    for a, pi in enumerate(parts):
        for b, sigma in enumerate(parts):
            inside: dict[int, set[int]] = {}
            ok = True
            for x, y in zip(pi, sigma):
                inside.setdefault(y, set()).add(x)
            owner: dict[int, int] = {}
            for y, xs in inside.items():
                for x in xs:
                    if owner.setdefault(x, y) != y:
                        ok = False
            if ok:
                m[a, b] = np.prod(
                    [(-1) ** (len(xs) - 1) * factorial(len(xs) - 1) for xs in inside.values()]
                )
    return m


def _steps_for(sigma: tuple[int, ...], k: int, l: int, n: int) -> tuple:
    """(reduce subscripts, output shape, duplicate pairs) for D_σ (see :class:`DiagramPlan`).

    Kept blocks (met by both inputs and outputs) stay in the order of their first output
    position, so a reshape of the reduced tensor places them."""
    letters = {blk: _LETTERS[blk] for blk in set(sigma)}
    inputs = {sigma[l + p] for p in range(k)}
    kept: list[int] = []
    shape: list[int] = []
    dups: list[tuple[int, int]] = []
    first: dict[int, int] = {}
    for p in range(l):
        blk = sigma[p]
        if blk in first:
            shape.append(1)
            dups.append((first[blk], p))
            continue
        first[blk] = p
        if blk in inputs:
            shape.append(n)
            kept.append(blk)
        else:
            shape.append(1)
    in_sub = "".join(letters[sigma[l + p]] for p in range(k))
    reduce = "bc" + in_sub + "->bc" + "".join(letters[b] for b in kept)
    return reduce, tuple(shape), tuple(dups)


def diagram_plan(basis) -> DiagramPlan | None:
    """The plan when the basis is the orbit basis of S(n) on tensor powers of V, else None.

    The check is structural: the solver's tying must coincide with the equality patterns, entry
    by entry, so the plan applies to any action whose orbits are those of S(n)."""
    rep_in, rep_out = basis.rep_in, basis.rep_out
    if not isinstance(rep_in, Rep) or basis.tying is None:
        return None
    k, l = _power(rep_in), _power(rep_out)
    if k is None or l is None or k + l == 0 or len(rep_in.action.degrees) != 1:
        return None
    n = rep_in.action.degrees[0]
    m = k + l
    if n**m > MAX_ENTRIES or m > 8:
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
    steps = [_steps_for(s, k, l, n) for s in parts]
    return DiagramPlan(
        n,
        k,
        l,
        _mobius(parts),
        tuple(s[0] for s in steps),
        tuple(s[1] for s in steps),
        tuple(s[2] for s in steps),
    )
