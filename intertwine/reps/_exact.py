"""Dense exact linear algebra over Q for the decomposition, on python-flint's ``fmpq_mat``.

The decomposition works on subspaces of modest dimension (a rep of a few hundred dimensions at
most, irreducible pieces of a few dozen), where dense rational arithmetic in FLINT is fast. Every
function here is exact: kernels, characteristic polynomials and their factors over Q, Gram–Schmidt
without normalisation (so orthogonal columns stay rational; the norms are kept apart as squares).
"""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
import scipy.sparse as sp

Q = flint.fmpq_mat


def from_sparse(m: sp.sparray | np.ndarray) -> flint.fmpq_mat:
    """An integer scipy/numpy matrix as an ``fmpq_mat``."""
    dense = m.toarray() if sp.issparse(m) else np.asarray(m)  # type: ignore[union-attr]
    rows, cols = dense.shape
    return Q(rows, cols, [int(v) for v in dense.ravel()])


def from_rows(rows: list[list]) -> flint.fmpq_mat:
    n = len(rows)
    m = len(rows[0]) if n else 0
    return Q(
        n,
        m,
        [
            flint.fmpq(v.numerator, v.denominator) if isinstance(v, Fraction) else v
            for r in rows
            for v in r
        ],
    )


def to_floats(m: flint.fmpq_mat) -> np.ndarray:
    num, den = m.numer_denom()
    arr = np.array(num.tolist(), dtype=object).reshape(m.nrows(), m.ncols())
    return arr.astype(np.float64) / float(int(den))


def identity(n: int) -> flint.fmpq_mat:
    out = Q(n, n)
    for i in range(n):
        out[i, i] = 1
    return out


def columns(m: flint.fmpq_mat, idx: list[int]) -> flint.fmpq_mat:
    rows = m.tolist()
    return Q(m.nrows(), len(idx), [r[j] for r in rows for j in idx])


def hstack(parts: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    n = parts[0].nrows()
    lists = [p.tolist() for p in parts]
    return Q(
        n, sum(p.ncols() for p in parts), [v for i in range(n) for lst in lists for v in lst[i]]
    )


def is_zero(m: flint.fmpq_mat) -> bool:
    return all(v == 0 for v in m.entries())


def is_scalar(m: flint.fmpq_mat) -> bool:
    n = m.nrows()
    c = m[0, 0] if n else 0
    return all(m[i, j] == (c if i == j else 0) for i in range(n) for j in range(n))


def nullspace(m: flint.fmpq_mat) -> flint.fmpq_mat:
    """A basis of {x : m x = 0} as the columns of an integer-valued ``fmpq_mat``."""
    num, _den = m.numer_denom()
    x, r = num.nullspace()
    return Q(columns(Q(x), list(range(r))))


def poly_at(f: flint.fmpq_poly, m: flint.fmpq_mat) -> flint.fmpq_mat:
    """f(m) by Horner's rule."""
    coeffs = f.coeffs()
    out = Q(m.nrows(), m.ncols())
    ident = identity(m.nrows())
    for c in reversed(coeffs):
        out = out * m + ident * c
    return out


def factors(m: flint.fmpq_mat) -> list[flint.fmpq_poly]:
    """The distinct monic irreducible factors over Q of the characteristic polynomial of m."""
    _c, fs = m.charpoly().factor()
    return [f / f.coeffs()[-1] for f, _e in fs]


def gram_schmidt(b: flint.fmpq_mat) -> tuple[flint.fmpq_mat, list[flint.fmpq]]:
    """Orthogonal columns C spanning the same space as b's (independent) columns, without square
    roots, and their squared norms: from the small Gram matrix G = bᵀb = Rᵀ D R (R unit upper
    triangular, the LDLᵀ factorisation), C = b R⁻¹, D the squared norms."""
    g = b.transpose() * b
    k = g.nrows()
    rows = g.tolist()
    r = [[flint.fmpq(0)] * k for _ in range(k)]
    dvals: list[flint.fmpq] = []
    for j in range(k):
        for i in range(j):
            s = rows[i][j] - sum((r[m][i] * dvals[m] * r[m][j] for m in range(i)), flint.fmpq(0))
            r[i][j] = s / dvals[i]
        dj = rows[j][j] - sum((r[m][j] * r[m][j] * dvals[m] for m in range(j)), flint.fmpq(0))
        if dj == 0:
            raise ValueError("gram_schmidt needs independent columns")
        dvals.append(dj)
        r[j][j] = flint.fmpq(1)
    rmat = Q(k, k, [v for row in r for v in row])
    return b * rmat.inv(), dvals


def project_onto(b: flint.fmpq_mat) -> flint.fmpq_mat:
    """The orthogonal projector onto the column space of b (full column rank)."""
    bt = b.transpose()
    return b * (bt * b).inv() * bt


def block_diag(blocks: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """The exact block-diagonal matrix of square blocks."""
    n = sum(b.nrows() for b in blocks)
    out = flint.fmpq_mat(n, n)
    o = 0
    for b in blocks:
        for i in range(b.nrows()):
            for j in range(b.ncols()):
                out[o + i, o + j] = b[i, j]
        o += b.nrows()
    return out
