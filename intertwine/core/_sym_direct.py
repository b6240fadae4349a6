"""Sym(A, k) evaluated on monomials, without the tensor power A^⊗k.

The symmetric tensors of A^⊗k are the degree-k polynomials in n = dim A variables: the orbit
sum E_m of the multiset m (count vector, Σ m = k) maps to |orbit m|·x^m under
e_u ↦ x_{u_0}…x_{u_k-1},
with |orbit m| = k!/Π m_i!. A discrete generator g acts by the substitution x_i ↦ Σ_r g_{ri} x_r
and a Lie generator A by the derivation Σ_i (Σ_r A_{ri} x_r) ∂/∂x_i, so in the orbit basis
(the one ``fixed_basis`` builds, columns ordered by sorted representative tuple):

- Lie:      ρ'(A)[m − e_i + e_r, m] += A_{ri} · (m − e_i + e_r)_r   for every i with m_i > 0, r;
- discrete: ρ'(g)[m', m] = (|orbit m| / |orbit m'|) · [x^{m'}] Π_i (Σ_r g_{ri} x_r)^{m_i},
  which for a monomial g (one nonzero per column, g e_i = g_{f(i)i} e_{f(i)}, f not
  necessarily injective: a transformation) is the single entry
  (|orbit m| / |orbit m'|) Π_i g_{f(i)i}^{m_i} at m' = Σ_i m_i e_{f(i)}.

Dimension C(n+k−1, k): Sym(V, 30) of SO(3) has 496 dimensions where V**30 has 3^30 entries.
Entries stay in the generators' domain (integers stay integers, rationals rationals).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations_with_replacement
from math import comb, factorial, prod

import numpy as np

from ._matrix import Matrix

MAX_SYM_DIM = 5000  # columns of a directly evaluated symmetric power


def sym_dim(n: int, k: int) -> int:
    return comb(n + k - 1, k)


def monomials(n: int, k: int) -> list[tuple[int, ...]]:
    """Count vectors of the multisets of size k, in the orbit basis's order."""
    out = []
    for t in combinations_with_replacement(range(n), k):
        m = [0] * n
        for i in t:
            m[i] += 1
        out.append(tuple(m))
    return out


def _entries(a: Matrix) -> dict[tuple[int, int], object]:
    return {(int(r), int(c)): v for r, c, v in zip(a.rows, a.cols, a.vals)}


def _exact(v: object) -> object:
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    return v


def sym_matrix(a: Matrix, k: int, kind: str) -> Matrix:
    """ρ'(X) on Sym^k for the matrix ``a`` of X on A (module docstring)."""
    n = a.shape[0]
    basis = monomials(n, k)
    index = {m: j for j, m in enumerate(basis)}
    ent = {key: _exact(v) for key, v in _entries(a).items()}
    acc: dict[tuple[int, int], object] = {}

    def add(row: int, col: int, v: object) -> None:
        acc[(row, col)] = acc.get((row, col), 0) + v  # type: ignore[operator]

    if kind == "lie":
        for j, m in enumerate(basis):
            for (r, i), v in ent.items():
                if m[i] == 0:
                    continue
                mm = list(m)
                mm[i] -= 1
                mm[r] += 1
                add(index[tuple(mm)], j, v * mm[r])  # type: ignore[operator]
    else:
        cols_of = [[(r, v) for (r, i), v in ent.items() if i == c] for c in range(n)]
        monomial = all(len(c) == 1 for c in cols_of)
        for j, m in enumerate(basis):
            if monomial:
                mm = [0] * n
                coeff: object = 1
                for i, e in enumerate(m):
                    r, v = cols_of[i][0]
                    mm[r] += e
                    coeff = coeff * v**e  # type: ignore[operator]
                ratio = Fraction(orbit_size(m), orbit_size(tuple(mm)))  # 1 unless g merges
                add(index[tuple(mm)], j, coeff * ratio if ratio != 1 else coeff)  # type: ignore[operator]
                continue
            poly: dict[tuple[int, ...], object] = {tuple([0] * n): 1}
            for i, e in enumerate(m):
                for _ in range(e):
                    nxt: dict[tuple[int, ...], object] = {}
                    for mon, c in poly.items():
                        for r, v in cols_of[i]:
                            t = list(mon)
                            t[r] += 1
                            key = tuple(t)
                            nxt[key] = nxt.get(key, 0) + c * v  # type: ignore[operator]
                    poly = nxt
            size_m = orbit_size(m)
            for mon, c in poly.items():
                add(index[mon], j, c * Fraction(size_m, orbit_size(mon)))  # type: ignore[operator]
    keys = [key for key, v in acc.items() if v != 0]
    vals = [_clean(acc[key], a.domain) for key in keys]
    rows = [key[0] for key in keys]
    cols = [key[1] for key in keys]
    d = len(basis)
    domain = {"ZZ": "QQ", "QQ": "QQ", "RR": "RR"}.get(a.domain, "EX")
    return Matrix((d, d), rows, cols, np.array(vals, dtype=object), domain)


def orbit_size(m: tuple[int, ...]) -> int:
    return factorial(sum(m)) // prod(factorial(e) for e in m)


def _clean(v: object, domain: str) -> object:
    import sympy

    if domain == "RR":
        return float(v)  # type: ignore[arg-type]
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    return v
