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

from dataclasses import dataclass
from functools import cache
from itertools import combinations, permutations
from math import comb, factorial
from typing import Any

import numpy as np

from ...errors import SolverError

Diagram = tuple[int, ...]  # restricted growth string over the l + k points
MAX_DIAGRAMS = 200_000
_LETTERS = "ijklmnpqrstuvwxyzadefgh"
_EPSILON_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


# ----------------------------------------------------------------- Möbius matrix
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


# ----------------------------------------------------------------- forms and ε diagrams
@dataclass(frozen=True, eq=False)
class Forms:
    """The invariant forms of a Brauer-type family as monomial matrices:
    F[v, in_perm[v]] = in_sign[v] on a pair of two inputs, K[v, out_perm[v]] = out_sign[v] on a
    pair of two outputs (v the index at the pair's smaller point)."""

    in_perm: np.ndarray
    in_sign: np.ndarray
    out_perm: np.ndarray
    out_sign: np.ndarray

    @property
    def permutes(self) -> bool:
        return bool(np.any(self.in_perm != np.arange(self.in_perm.size)))

    @property
    def trivial(self) -> bool:
        return not self.permutes and bool(np.all(self.in_sign == 1) and np.all(self.out_sign == 1))


def forms_for(family: str, n: int, signature: tuple[int, int] | None = None) -> Forms:
    """δ for O(n) and SO(n); η = diag(+1 ×p, −1 ×q) twice for O(p,q) and SO(p,q); J and −J
    for Sp."""
    ident = np.arange(n)
    ones = np.ones(n)
    if family in ("Opq", "SOpq"):
        assert signature is not None
        eta = np.array([1.0] * signature[0] + [-1.0] * signature[1])
        return Forms(ident, eta, ident, eta)
    if family == "Sp":
        r = n // 2
        perm = np.concatenate([ident[r:], ident[:r]])
        sign = np.array([1.0] * r + [-1.0] * r)  # J[v, v + r] = 1, J[v + r, v] = −1
        return Forms(perm, sign, perm, -sign)
    return Forms(ident, ones, ident, ones)


MAX_EPSILON_N = 7  # the ε operand has n^n entries


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


# ----------------------------------------------------------------- matrix-free application
def reduce_plan(sigma: Diagram, k: int, l: int, n: int, epsilon: int = -1) -> tuple:
    """(reduce, shape, dups, in_maps, out_maps, eps) for D_σ: V^⊗k → V^⊗l.

    x has shape (b, c, n, ..., n). ``reduce`` is an einsum that keeps diagonals of repeated input
    letters and sums the blocks met only by inputs (with the ε operand as a second argument when
    ``eps``); the kept blocks come out in the order of their first output position, so a reshape
    to ``shape`` (n there, 1 elsewhere) places them, a product with the identity on each pair
    (p, q) of output positions of one block makes the diagonals, and broadcasting fills the
    blocks met only by outputs. ``in_maps`` are the input axes of the smaller point of each pair
    of two inputs, transformed by Fᵀ before the einsum, ``out_maps`` the output axes of the
    smaller point of each pair of two outputs, transformed by K after placing (both only where
    the family has forms). The ε block's points each keep a letter of their own."""
    letters = {blk: _LETTERS[blk] for blk in set(sigma) if blk != epsilon}
    eps_points = [p for p in range(l + k) if sigma[p] == epsilon]
    eps_letter = {p: _EPSILON_LETTERS[i] for i, p in enumerate(eps_points)}

    def letter(p: int) -> str:
        return eps_letter[p] if p in eps_letter else letters[sigma[p]]

    inputs = {sigma[l + p] for p in range(k)}
    kept: list[str] = []
    shape: list[int] = []
    dups: list[tuple[int, int]] = []
    first: dict[int, int] = {}
    for p in range(l):
        blk = sigma[p]
        if blk == epsilon:
            shape.append(n)
            kept.append(eps_letter[p])
            continue
        if blk in first:
            shape.append(1)
            dups.append((first[blk], p))
            continue
        first[blk] = p
        shape.append(n if blk in inputs else 1)
        if blk in inputs:
            kept.append(letters[blk])
    in_sub = "".join(letter(l + p) for p in range(k))
    eps_sub = "," + "".join(eps_letter[p] for p in eps_points) if eps_points else ""
    reduce = "bc" + in_sub + eps_sub + "->bc" + "".join(kept)
    in_maps, out_maps = [], []
    for pair in blocks(sigma):
        if len(pair) == 2 and sigma[pair[0]] != epsilon:
            if pair[0] >= l:
                in_maps.append(pair[0] - l)
            elif pair[1] < l:
                out_maps.append(pair[0])
    out_maps += [p for p in eps_points if p < l]  # ε raised by K on its outputs (η, or δ)
    return reduce, tuple(shape), tuple(dups), tuple(in_maps), tuple(out_maps), bool(eps_points)


def apply_diagrams(parts: list[Diagram], phi: np.ndarray, x: np.ndarray, n: int, k: int, l: int):
    """y[b, o] = Σ_{c, σ} φ[o, c, σ] (D_σ x[b, c]) for x of shape (b, c_in, n^k), in NumPy."""
    return apply_steps([reduce_plan(sigma, k, l, n) for sigma in parts], phi, x, n, k, l)


def apply_steps(steps, phi, x, n: int, k: int, l: int, xp=np, forms: Forms | None = None):
    """:func:`apply_diagrams` from precomputed :func:`reduce_plan` steps, in the array library
    ``xp`` (NumPy here; the JAX layers pass jax.numpy, and XLA fuses the masks and broadcasts).
    ``forms`` (None for δ everywhere) transforms the ``in_maps`` and ``out_maps`` axes.

    Few operations, so that JAX compiles quickly: each distinct reduction of x is computed once,
    and the diagrams that place their result alike (same output shape, diagonals and output
    forms) are contracted with φ in one einsum and placed once."""
    b, c_in = x.shape[0], x.shape[1]
    c_out = phi.shape[0]
    xs = x.reshape((b, c_in) + (n,) * k)
    eye = None  # made only for diagonals: then the output has n^l ≥ n^2 entries anyway
    use_forms = forms is not None and not forms.trivial
    transformed: dict[tuple, Any] = {}
    reduced: dict[tuple, Any] = {}
    keys: list[tuple] = []
    groups: dict[tuple, list[int]] = {}
    epsilon = None
    for s, (reduce, shape, dups, in_maps, out_maps, eps) in enumerate(steps):
        key = (reduce, in_maps if use_forms else ())
        if key not in reduced:
            if key[1] not in transformed:
                transformed[key[1]] = _map_axes(xs, key[1], forms, "in", n, xp)
            operands = [transformed[key[1]]]
            if eps:
                if epsilon is None:
                    epsilon = xp.asarray(levi_civita(n), dtype=x.dtype)
                operands.append(epsilon)
            reduced[key] = xp.einsum(reduce, *operands)
        keys.append(key)
        groups.setdefault((shape, dups, out_maps if use_forms else ()), []).append(s)
    y = None
    for (shape, dups, out_maps), idx in groups.items():
        parts = [reduced[keys[s]] for s in idx]
        stacked = xp.stack(parts, axis=2)  # (b, c, S, kept...)
        weights = phi[:, :, np.asarray(idx)]  # (c_out, c_in, S)
        term = xp.einsum("bcs...,ocs->bo...", stacked, weights).reshape((b, c_out) + shape)
        for p, q in dups:
            if eye is None:
                eye = xp.eye(n, dtype=x.dtype)
            mask = [1] * (2 + l)
            mask[2 + p] = mask[2 + q] = n
            term = term * eye.reshape(mask)
        term = _map_axes(term, out_maps, forms, "out", n, xp)
        y = term if y is None else y + term
    if y is None:
        return xp.zeros((b, c_out, n**l), dtype=x.dtype)
    return xp.broadcast_to(y, (b, c_out) + (n,) * l).reshape(b, c_out, n**l)


def _map_axes(t, axes: tuple[int, ...], forms: Forms | None, side: str, n: int, xp):
    """Fᵀ (side "in": t'[w] = F[π⁻¹(w), w] t[π⁻¹(w)]) or K (side "out": t'[j] = K[j, π(j)]
    t[π(j)]) on each of ``axes`` (offset by the batch and channel axes)."""
    if not axes or forms is None:
        return t
    if side == "in":
        inverse = np.argsort(forms.in_perm)
        gather, sign = inverse, forms.in_sign[inverse]
    else:
        gather, sign = forms.out_perm, forms.out_sign
    permutes = forms.permutes
    for axis in axes:
        mask = [1] * t.ndim
        mask[2 + axis] = n
        if permutes:
            t = xp.take(t, xp.asarray(gather), axis=2 + axis)
        t = t * xp.asarray(sign, dtype=t.dtype).reshape(mask)
    return t


# ----------------------------------------------------------------- entries
def brauer_entries(
    sigma: Diagram, k: int, l: int, n: int, forms: Forms, epsilon: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """(flat row-major out × in positions, values ±1) of the nonzero entries of a Brauer-type
    tensor: one free index per pair (its partner's index fixed by δ, F or K), a permutation of
    0..n−1 on the ε block."""
    pairs = [blk for blk in blocks(sigma) if sigma[blk[0]] != epsilon]
    eps_points = [p for p in range(l + k) if sigma[p] == epsilon]
    free = np.zeros((0, 1), np.int64)
    if pairs:
        free = np.indices((n,) * len(pairs)).reshape(len(pairs), -1)
    if eps_points:
        perms = np.array(list(permutations(range(n))), dtype=np.int64).T  # (n, n!)
        parity = np.array([_parity(p) for p in perms.T], dtype=np.float64)
    else:
        perms, parity = np.zeros((0, 1), np.int64), np.ones(1)
    count_free, count_eps = free.shape[1], perms.shape[1]
    index = np.zeros((l + k, count_free, count_eps), dtype=np.int64)
    values = np.ones((count_free, count_eps)) * parity[None, :]
    for blk, v in zip(pairs, free):
        for p in blk:
            index[p] = v[:, None]
        if len(blk) != 2:  # not a pair (no family lists one): δ on the block
            continue
        a, b = blk
        if a >= l:  # two inputs: F[v, π(v)]
            index[b] = forms.in_perm[v][:, None]
            values = values * forms.in_sign[v][:, None]
        elif b < l:  # two outputs: K[v, π(v)]
            index[b] = forms.out_perm[v][:, None]
            values = values * forms.out_sign[v][:, None]
    for t, p in enumerate(eps_points):
        index[p] = perms[t][None, :]
        if p < l:  # ε raised by K = diag(out_sign) on its output points
            values = values * forms.out_sign[perms[t]][None, :]
    flat = np.zeros((count_free, count_eps), dtype=np.int64)
    for p in range(l + k):
        flat = flat * n + index[p]
    return flat.ravel(), values.ravel()


def brauer_values(
    sigma: Diagram, points: np.ndarray, l: int, forms: Forms, epsilon: int = -1
) -> np.ndarray:
    """The entries D_σ[J, I] at index tuples ``points`` of shape (P, l + k), vectorised."""
    out = np.ones(points.shape[0])
    for blk in blocks(sigma):
        if sigma[blk[0]] == epsilon:
            vals = points[:, blk]
            distinct = np.ones(points.shape[0], dtype=bool)
            inversions = np.zeros(points.shape[0], dtype=np.int64)
            for s in range(len(blk)):
                for t in range(s + 1, len(blk)):
                    distinct &= vals[:, s] != vals[:, t]
                    inversions += vals[:, s] > vals[:, t]
            out *= np.where(distinct, 1.0 - 2.0 * (inversions % 2), 0.0)
            for s, p in enumerate(blk):
                if p < l:  # ε raised by K = diag(out_sign) on its output points
                    out *= forms.out_sign[vals[:, s]]
            continue
        if len(blk) != 2:  # not a pair (no family lists one): δ on the block
            for q in blk[1:]:
                out *= points[:, blk[0]] == points[:, q]
            continue
        a, b = blk
        u, w = points[:, a], points[:, b]
        if a >= l:
            out *= np.where(forms.in_perm[u] == w, forms.in_sign[u], 0.0)
        elif b < l:
            out *= np.where(forms.out_perm[u] == w, forms.out_sign[u], 0.0)
        else:
            out *= u == w
    return out


def orbit_entries(pi: Diagram, k: int, l: int, n: int) -> np.ndarray:
    """The flat positions where O_π is 1: block values pairwise distinct (n!/(n−t)! of them)."""
    nb = max(pi) + 1 if pi else 0
    values = np.indices((n,) * nb).reshape(nb, -1) if nb else np.zeros((0, 1), np.int64)
    flat = np.zeros(values.shape[1], dtype=np.int64)
    for p in range(l + k):
        flat = flat * n + values[pi[p]]
    distinct = np.ones(values.shape[1], dtype=bool)
    for a in range(nb):
        for b in range(a + 1, nb):
            distinct &= values[a] != values[b]
    return flat[distinct]


def power_name(k: int) -> str:
    """ "1", "V" or "V**k": the tensor power as the rep language writes it."""
    return "1" if k == 0 else "V" if k == 1 else f"V**{k}"


def draw(diagram: Diagram, k: int, l: int, epsilon: int = -1) -> str:
    """A one-line drawing: the outputs' block letters, then the inputs' (ε for the points of
    the ε block).

    >>> draw((0, 1, 0, 1), 2, 2)
    'out a b | in a b'
    >>> draw((0, 0, 1, 0, 1), 3, 2, epsilon=0)
    'out ε ε | in a ε a'
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    names: dict[int, str] = {}
    for b in diagram:
        if b != epsilon and b not in names:
            names[b] = letters[len(names) % 26]
    marks = ["ε" if b == epsilon else names[b] for b in diagram]
    top = " ".join(marks[:l]) or "-"
    bottom = " ".join(marks[l:]) or "-"
    return f"out {top} | in {bottom}"
