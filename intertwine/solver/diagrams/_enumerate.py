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
  matchings of the m points, blocks of size 2: δ on every pair); nothing when m is odd.
- **O(p,q), Sp(n)**: the same matchings with the invariant form F on every pair of two inputs and
  its inverse K on every pair of two outputs (η and η for O(p,q); J = [[0, I], [−I, 0]] and
  J⁻¹ = −J for Sp(n) on R^{2n}, the pair read from its smaller point). Both forms are monomial
  (:class:`Forms`), so every tensor has entries 0, ±1 and is applied by permuting and signing axes.
- **SO(n)**: the Brauer diagrams and the ε diagrams, which join n of the points to the
  Levi-Civita symbol (in point order) and pair the rest; they exist when m ≥ n and m − n is even
  (Pearce-Crump 2023, Theorem for SO(n)). **SO(p,q)**: the same with η on the pairs as for
  O(p,q), and the ε block's output points raised by η (conjugating by diag(1 ×p, i ×q) maps the
  SO(p+q) tensors to these, up to nonzero constants, over C).

Where the diagrams are dependent (small n), ``_diagram_rank`` chooses an independent subset of
the certified dimension without forming any tensor.

Every diagram tensor is applied matrix-free by :func:`apply_diagram` in O(n^max(k,l)) per sample.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, permutations
from math import comb, factorial

import numpy as np

from ...errors import SolverError

Diagram = tuple[int, ...]  # restricted growth string over the l + k points


MAX_DIAGRAMS = 200_000

MAX_EPSILON_N = 7  # the ε operand has n^n entries


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


def epsilon_diagrams(m: int, n: int) -> list[tuple[Diagram, int]]:
    """(diagram, label of its ε block) for every ε diagram on m points: n points joined to ε,
    the other m − n paired; none unless m ≥ n and m − n is even."""
    if m < n or (m - n) % 2:
        return []
    count = comb(m, n) * double_factorial(m - n - 1)
    if count > MAX_DIAGRAMS:
        raise SolverError(
            f"{count} ε diagrams on {m} points is more than the {MAX_DIAGRAMS} this method lists;"
            f" use smaller tensor powers"
        )
    out = []
    for chosen in combinations(range(m), n):
        rest = [p for p in range(m) if p not in chosen]
        for matching in perfect_matchings(len(rest)):
            labels = {p: -1 for p in chosen}
            for i, p in enumerate(rest):
                labels[p] = matching[i]
            diagram = canonical(labels)
            out.append((diagram, diagram[chosen[0]]))
    return out


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


# ----------------------------------------------------------------- counts
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


# ----------------------------------------------------------------- Möbius matrix and ε
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


def levi_civita(n: int) -> np.ndarray:
    """ε[i_1, …, i_n]: the sign of the permutation, 0 on repeated indices."""
    out = np.zeros((n,) * n)
    for perm in permutations(range(n)):
        out[perm] = _parity(perm)
    return out


def _parity(perm) -> int:
    size = len(perm)
    inversions = sum(1 for a in range(size) for b in range(a + 1, size) if perm[a] > perm[b])
    return -1 if inversions % 2 else 1
