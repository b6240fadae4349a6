"""Set-partition and Brauer diagrams: closed-form bases of Hom(V^⊗k, V^⊗l), valid for every n.

A diagram on m = l + k points (0..l−1 the output indices j_1..j_l, l..m−1 the input indices
i_1..i_k, the DESIGN contract's order) is a set partition σ, stored as its restricted growth
string (block label of each point, labels in order of first appearance).

- **Diagram tensor** D_σ[J, I] = 1 when the indices agree inside every block of σ (no condition
  across blocks). The **orbit tensor** O_π[J, I] = 1 when the equality pattern of (J, I) is
  exactly π. D_σ = Σ_{π ≥ σ} O_π (π coarser than σ), so by Möbius inversion on the partition
  lattice O_π = Σ_{σ ≥ π} μ(π, σ) D_σ with μ(π, σ) = Π_{B ∈ σ} (−1)^{m_B − 1} (m_B − 1)!, m_B the
  number of blocks of π inside B.
- **S(n)** (Maron, Ben-Hamu, Shamir, Lipman, ICLR 2019, "Invariant and equivariant graph
  networks"; Godsil and Royle, orbit counting): S(n) permutes index tuples, its orbits on
  [n]^m are the equality patterns with at most n blocks, and Hom_{S(n)} is the span of the
  indicators of orbits. So {O_π : π has at most n blocks} is a basis for every n, of dimension
  Σ_{t ≤ n} S(m, t) (Stirling numbers of the second kind); the O_π have disjoint supports.
- **O(n)** (Brauer, Ann. Math. 1937; Pearce-Crump, "Brauer's group equivariant neural networks",
  ICML 2023): Hom_{O(n)}(V^⊗k, V^⊗l) is spanned by D_β for the Brauer diagrams β (perfect
  matchings of the m points, blocks of size 2: δ on every pair); nothing when m is odd. They are
  independent when n ≥ m/2. Below that an independent subset is chosen exactly from the Gram
  matrix G[β, γ] = ⟨D_β, D_γ⟩ = n^{c(β, γ)}, c the number of cycles of the union of the two
  matchings (each closed loop of δ's sums to n): G = AᵀA for the matrix A of the vectorised D_β,
  so the pivot columns of G's exact row echelon form index independent diagrams spanning the
  same space.

Every diagram tensor is applied matrix-free by :func:`apply_diagram` in O(n^max(k,l)) per sample.
"""

from __future__ import annotations

from functools import cache
from math import factorial
from typing import Any

import numpy as np

from ..errors import SolverError

Diagram = tuple[int, ...]  # restricted growth string over the l + k points
MAX_DIAGRAMS = 200_000
_LETTERS = "ijklmnpqrstuvwxyzadefgh"


# ----------------------------------------------------------------- enumeration
def set_partitions(m: int, max_blocks: int) -> list[Diagram]:
    """Every set partition of m points with at most ``max_blocks`` blocks, as restricted growth
    strings in lexicographic order."""
    if min(m, max_blocks) >= 2 and m > 64:  # S(m,1) + S(m,2) = 2^(m-1) already
        raise SolverError(
            f"more than 2^{m - 1} partition diagrams on {m} points, more than the "
            f"{MAX_DIAGRAMS} this method lists; use smaller tensor powers"
        )
    count = sum(stirling2(m, t) for t in range(min(m, max_blocks) + 1))
    if count > MAX_DIAGRAMS:
        raise SolverError(
            f"{count} partition diagrams on {m} points is more than the {MAX_DIAGRAMS} this "
            f"method lists; use smaller tensor powers"
        )
    out: list[Diagram] = []
    labels = [0] * m

    def grow(p: int, blocks: int) -> None:
        if p == m:
            out.append(tuple(labels))
            return
        for b in range(min(blocks + 1, max_blocks)):
            labels[p] = b
            grow(p + 1, max(blocks, b + 1))

    if m == 0:
        return [()]
    grow(0, 0)
    return out


def perfect_matchings(m: int) -> list[Diagram]:
    """Every perfect matching of m points (none when m is odd), as restricted growth strings."""
    if m % 2:
        return []
    count = double_factorial(m - 1)
    if count > MAX_DIAGRAMS:
        raise SolverError(
            f"{count} Brauer diagrams on {m} points is more than the {MAX_DIAGRAMS} this method "
            f"lists; use smaller tensor powers"
        )
    out: list[Diagram] = []

    def pair(free: tuple[int, ...], labels: dict[int, int]) -> None:
        if not free:
            out.append(canonical({p: labels[p] for p in range(m)}))
            return
        first, rest = free[0], free[1:]
        for i, partner in enumerate(rest):
            block = len(labels) // 2
            pair(rest[:i] + rest[i + 1 :], {**labels, first: block, partner: block})

    pair(tuple(range(m)), {})
    return sorted(out)


def canonical(labels) -> Diagram:
    """The restricted growth string of any labelling of the points (a dict or a sequence)."""
    seq = [labels[p] for p in range(len(labels))]
    seen: dict[int, int] = {}
    return tuple(seen.setdefault(x, len(seen)) for x in seq)


def blocks(diagram: Diagram) -> list[list[int]]:
    """The blocks of a diagram, each a sorted list of points, in order of first point."""
    out: dict[int, list[int]] = {}
    for p, b in enumerate(diagram):
        out.setdefault(b, []).append(p)
    return list(out.values())


def stirling2(m: int, t: int) -> int:
    """S(m, t): set partitions of m points into exactly t blocks (a row recurrence, no
    recursion: S(i, t) = t·S(i−1, t) + S(i−1, t−1))."""
    if t < 0 or t > m:
        return 0
    return _stirling_row(m, t)[t]


@cache
def _stirling_row(m: int, top: int) -> tuple[int, ...]:
    """(S(m, 0), ..., S(m, top))."""
    row = [1] + [0] * top
    for i in range(1, m + 1):
        row = (
            [0]
            + [t * row[t] + row[t - 1] for t in range(1, min(i, top) + 1)]
            + [0] * max(0, top - i)
        )
    return tuple(row)


def double_factorial(m: int) -> int:
    out = 1
    while m > 1:
        out *= m
        m -= 2
    return out


def partition_count(m: int, n: int) -> int:
    """dim Hom_{S(n)}(V^⊗k, V^⊗l) for k + l = m: Σ_{t ≤ n} S(m, t)."""
    return sum(stirling2(m, t) for t in range(min(m, n) + 1))


def partition_count_formula(m: int) -> str:
    """The dimension as a function of n, e.g. 'Bell(4) = 15 for n >= 4; 1 + 7 + 6 + ... '."""
    terms = [stirling2(m, t) for t in range(1, m + 1)]
    pieces = [f"{sum(terms[:t])} for n = {t}" for t in range(1, m)]
    bell = sum(terms)
    head = f"{bell} (Bell({m})) for n >= {m}" if m else "1 for every n"
    return head + ("; " + ", ".join(pieces) if pieces else "")


# ----------------------------------------------------------------- Möbius and Gram matrices
def mobius_matrix(parts: list[Diagram]) -> np.ndarray:
    """M[π, σ] = μ(π, σ) when σ ≥ π (σ coarser), else 0: O_π = Σ_σ M[π, σ] D_σ.

    Only coarsenings of π with at most as many blocks matter; the σ range over ``parts``, which
    must be closed under coarsening (all partitions with at most n blocks are)."""
    index = {p: i for i, p in enumerate(parts)}
    out = np.zeros((len(parts), len(parts)))
    for a, pi in enumerate(parts):
        nb = max(pi) + 1 if pi else 0
        for merge in set_partitions(nb, nb):  # every coarsening: a partition of π's blocks
            sigma = canonical([merge[b] for b in pi])
            if sigma not in index:
                continue
            sizes: dict[int, int] = {}
            for b in range(nb):
                sizes[merge[b]] = sizes.get(merge[b], 0) + 1
            mu = 1
            for s in sizes.values():
                mu *= (-1) ** (s - 1) * factorial(s - 1)
            out[a, index[sigma]] = mu
    return out


def brauer_gram(parts: list[Diagram], n: int) -> list[list[int]]:
    """G[β, γ] = n^{c(β, γ)} as Python ints, c the cycles of the union of two matchings, for
    every pair at once. A cycle of length 2r of the union is two r-cycles of the permutation
    γ∘β, so c is half the cycle count of γ∘β, found by propagating the least point of each cycle
    (log₂ m pointer doublings)."""
    d = len(parts)
    if d == 0:
        return []
    m = len(parts[0])
    partner = np.array([_partners(p) for p in parts], dtype=np.int64)  # (d, m)
    first = np.repeat(partner, d, axis=0)  # row a·d + b: β = parts[a]
    second = np.tile(partner, (d, 1))  # γ = parts[b]
    perm = np.take_along_axis(second, first, axis=1)  # p ↦ γ(β(p))
    label = np.tile(np.arange(m), (d * d, 1))
    for _ in range(max(m - 1, 1).bit_length() + 1):
        label = np.minimum(label, np.take_along_axis(label, perm, axis=1))
        perm = np.take_along_axis(perm, perm, axis=1)
    cycles = (label == np.arange(m)).sum(axis=1) // 2
    powers = [n**c for c in range(m // 2 + 1)]
    flat = cycles.tolist()
    return [[powers[c] for c in flat[a * d : (a + 1) * d]] for a in range(d)]


def _partners(diagram: Diagram) -> list[int]:
    out = [0] * len(diagram)
    for a, b in blocks(diagram):
        out[a], out[b] = b, a
    return out


def independent_subset(gram: list[list[int]]) -> list[int]:
    """Indices of columns of an integer Gram matrix that are independent and span its columns
    (pivot columns of the exact fraction-free row echelon form, python-flint)."""
    import flint

    if not gram:
        return []
    reduced, _, rank = flint.fmpz_mat(gram).rref()
    top = np.array(reduced.tolist()[:rank], dtype=object).reshape(rank, len(gram[0]))
    return [int(np.argmax(row != 0)) for row in top]


# ----------------------------------------------------------------- matrix-free application
def reduce_plan(sigma: Diagram, k: int, l: int, n: int) -> tuple[str, tuple[int, ...], tuple]:
    """(einsum that reduces x, output shape, diagonal pairs) for D_σ: V^⊗k → V^⊗l.

    x has shape (b, c, n, ..., n). The einsum keeps diagonals of repeated input letters and sums
    the blocks met only by inputs; the kept blocks (met by inputs and outputs) come out in the
    order of their first output position, so a reshape to ``shape`` (n there, 1 elsewhere)
    places them, a product with the identity on each pair (p, q) of output positions of one
    block makes the diagonals, and broadcasting fills the blocks met only by outputs."""
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
        shape.append(n if blk in inputs else 1)
        if blk in inputs:
            kept.append(blk)
    in_sub = "".join(letters[sigma[l + p]] for p in range(k))
    reduce = "bc" + in_sub + "->bc" + "".join(letters[b] for b in kept)
    return reduce, tuple(shape), tuple(dups)


def apply_diagrams(parts: list[Diagram], phi: np.ndarray, x: np.ndarray, n: int, k: int, l: int):
    """y[b, o] = Σ_{c, σ} φ[o, c, σ] (D_σ x[b, c]) for x of shape (b, c_in, n^k), in NumPy."""
    return apply_steps([reduce_plan(sigma, k, l, n) for sigma in parts], phi, x, n, k, l)


def apply_steps(steps, phi, x, n: int, k: int, l: int, xp=np):
    """:func:`apply_diagrams` from precomputed :func:`reduce_plan` steps, in the array library
    ``xp`` (NumPy here; the JAX layers pass jax.numpy, and XLA fuses the masks and broadcasts).

    Few operations, so that JAX compiles quickly: each distinct reduction of x is computed once,
    and the diagrams that place their result alike (same output shape and diagonals) are
    contracted with φ in one einsum and placed once."""
    b, c_in = x.shape[0], x.shape[1]
    c_out = phi.shape[0]
    xs = x.reshape((b, c_in) + (n,) * k)
    eye = xp.eye(n, dtype=x.dtype)
    reduced: dict[str, Any] = {}
    groups: dict[tuple, list[int]] = {}
    for s, (reduce, shape, dups) in enumerate(steps):
        if reduce not in reduced:
            reduced[reduce] = xp.einsum(reduce, xs)
        groups.setdefault((tuple(shape), tuple(dups)), []).append(s)
    y = None
    for (shape, dups), idx in groups.items():
        stacked = xp.stack([reduced[steps[s][0]] for s in idx], axis=2)  # (b, c, S, kept...)
        weights = phi[:, :, np.asarray(idx)]  # (c_out, c_in, S)
        term = xp.einsum("bcs...,ocs->bo...", stacked, weights).reshape((b, c_out) + shape)
        for p, q in dups:
            mask = [1] * (2 + l)
            mask[2 + p] = mask[2 + q] = n
            term = term * eye.reshape(mask)
        y = term if y is None else y + term
    if y is None:
        return xp.zeros((b, c_out, n**l), dtype=x.dtype)
    return xp.broadcast_to(y, (b, c_out) + (n,) * l).reshape(b, c_out, n**l)


def diagram_entries(sigma: Diagram, k: int, l: int, n: int) -> np.ndarray:
    """The flat (row-major out × in) positions where D_σ is 1: one per assignment of an index
    to each block (n^{#blocks} of them)."""
    nb = max(sigma) + 1 if sigma else 0
    values = np.indices((n,) * nb).reshape(nb, -1) if nb else np.zeros((0, 1), np.int64)
    flat = np.zeros(values.shape[1], dtype=np.int64)
    for p in range(l + k):
        flat = flat * n + values[sigma[p]]
    return flat


def form_signs(sigma: Diagram, k: int, l: int, n: int, eta: np.ndarray) -> np.ndarray:
    """The entries of the η-weighted Brauer tensor at the positions of :func:`diagram_entries`:
    Π η[v] over the blocks pairing two inputs or two outputs (v the block's index value)."""
    nb = max(sigma) + 1 if sigma else 0
    values = np.indices((n,) * nb).reshape(nb, -1) if nb else np.zeros((0, 1), np.int64)
    signs = np.ones(values.shape[1])
    for b, (first, second) in enumerate(_pairs_by_block(sigma)):
        if (first < l) == (second < l):  # two outputs or two inputs: the form η
            signs = signs * eta[values[b]]
    return signs


def _pairs_by_block(sigma: Diagram) -> list[tuple[int, int]]:
    out = blocks(sigma)
    return [(blk[0], blk[-1]) for blk in out]


def form_axes(sigma: Diagram, k: int, l: int) -> tuple[list[int], list[int]]:
    """(input axes, output axes) to scale by η for the η-weighted Brauer tensor of σ: one axis
    of every pair of two inputs (before the contraction) and of two outputs (after)."""
    ins, outs = [], []
    for first, second in _pairs_by_block(sigma):
        if first >= l:
            ins.append(first - l)
        elif second < l:
            outs.append(first)
    return ins, outs


def orbit_entries(pi: Diagram, k: int, l: int, n: int) -> np.ndarray:
    """The flat positions where O_π is 1: block values pairwise distinct (n!/(n−t)! of them)."""
    flat = diagram_entries(pi, k, l, n)
    nb = max(pi) + 1 if pi else 0
    if nb <= 1:
        return flat
    values = np.indices((n,) * nb).reshape(nb, -1)
    distinct = np.ones(values.shape[1], dtype=bool)
    for a in range(nb):
        for b in range(a + 1, nb):
            distinct &= values[a] != values[b]
    return flat[distinct]


def draw(diagram: Diagram, k: int, l: int) -> str:
    """A one-line drawing: the outputs' block letters, then the inputs'.

    >>> draw((0, 1, 0, 1), 2, 2)
    'out a b | in a b'
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    top = " ".join(letters[b % 26] for b in diagram[:l]) or "-"
    bottom = " ".join(letters[b % 26] for b in diagram[l:]) or "-"
    return f"out {top} | in {bottom}"
