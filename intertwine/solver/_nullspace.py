"""Nullspaces of the reduced constraint matrix M (rows × s): exact, dense float, iterative.

The constraint W X_in = X_out W for a generator X is linear in vec(W). With W row-major
(vec(W)[i·in + j] = W[i, j]) it reads (I_out ⊗ X_inᵀ − X_out ⊗ I_in) vec(W) = 0; the orbit stage
has already replaced vec(W) by s reduced unknowns, so what is left is null(M) for one sparse M.

- :func:`exact_nullspace`: integer M, exact over Q with python-flint. A fraction-free RREF gives
  M ~ [D·I | F] / D up to a column permutation (D the common denominator, pivots first), so the
  null space is spanned by one vector per free column f: D at f and −F[:, f] on the pivots. Tall
  matrices are first compressed by a random ±1 matrix R (s + 8 rows): null(R M) ⊇ null(M) always,
  with equality unless R M loses rank, which happens only on a vanishing set of R; the caller
  verifies every vector exactly against every constraint, so an unlucky draw costs a retry,
  never a wrong basis. The compression is used only while |M|·rows < 2⁵⁰, so the float product
  R M is exact. The dimension is proved: the k vectors lie in null(M) and are independent, and
  null(M) ⊆ null(R M), which has dimension k.
- :func:`dense_nullspace`: float64 SVD (after a QR that brings a tall M down to s × s); the null
  vectors are the right singular vectors of singular values below a relative tolerance.
- the iterative stage, with its certified count, is in ``_iterative``.
- :func:`rref_rows` and :func:`rationalize`: the canonical reduced row echelon form (unique for a
  subspace, so two methods agree on a span exactly when their RREFs agree), and the rounding of
  a float RREF to small rationals, kept only if the caller verifies it exactly.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from ._intmatrix import IntMatrix


def _nonzero_rows(m: sp.csr_array) -> sp.csr_array:
    m = sp.csr_array(m)
    m.eliminate_zeros()
    keep = np.diff(m.indptr) > 0
    return m[keep] if not keep.all() else m


def integer_rows(rows: list[list[Fraction]]) -> np.ndarray:
    """Scale each rational row to coprime integers (leading entry positive)."""
    out = []
    for row in rows:
        den = 1
        for x in row:
            den = lcm(den, x.denominator)
        ints = [int(x * den) for x in row]
        g = 0
        for v in ints:
            g = gcd(g, v)
        g = g or 1
        first = next((v for v in ints if v), 1)
        if first < 0:
            g = -g
        out.append([v // g for v in ints])
    if not out:
        return np.zeros((0, 0), dtype=np.int64)
    big = max(abs(v) for r in out for v in r)
    return np.array(out, dtype=np.int64 if big < 2**62 else object)


COMPRESS_CHUNK = 2**26  # entries of the random ±1 compression held at once (512 MB)


def exact_nullspace(m: IntMatrix, s: int, seed: int = 0, compress: bool = True) -> np.ndarray:
    """Integer rows spanning {v ∈ Q^s : M v = 0}, in reduced row echelon order (k × s)."""
    import flint

    m = m.nonzero_rows()
    if m.shape[0] == 0:
        return np.eye(s, dtype=np.int64)
    bound = m.max_abs() * m.shape[0]
    if compress and not m.is_big and m.shape[0] > s + 8 and bound < 2**50:
        rng = np.random.default_rng(seed)
        sparse = m.to_scipy().tocsr().astype(np.float64)
        dense = np.zeros((s + 8, s))
        step = max(1, COMPRESS_CHUNK // (s + 8))  # the ±1 matrix R a slab of rows at a time
        for lo in range(0, m.shape[0], step):
            r = rng.choice(np.array([-1.0, 1.0]), size=(min(step, m.shape[0] - lo), s + 8))
            dense += np.asarray((sparse[lo : lo + step].T @ r).T)
        rows = np.rint(dense).astype(np.int64).tolist()
    else:
        rows = m.tolist()
    reduced, den, rank = flint.fmpz_mat(rows).rref()  # fraction-free: RREF = reduced / den
    if rank == s:
        return np.zeros((0, s), dtype=np.int64)
    top = np.array(reduced.tolist()[:rank], dtype=object).reshape(rank, s)
    pivots = np.argmax(top != 0, axis=1) if rank else np.zeros(0, dtype=np.int64)
    free = np.setdiff1d(np.arange(s), pivots)
    # one null vector per free column f: den at f, -reduced[i, f] at the i-th pivot
    null = np.zeros((free.size, s), dtype=object)
    null[np.arange(free.size), free] = int(den)
    if rank:
        null[:, pivots] = -top[:, free].T
    return canonical_rows(null)


def canonical_rows(rows: np.ndarray) -> np.ndarray:
    """The reduced row echelon form of integer rows, each scaled to coprime integers with a
    positive leading entry (int64 when it fits, else Python ints)."""
    import flint

    reduced, _, rank = flint.fmpz_mat(rows.tolist()).rref()
    out = np.array(reduced.tolist()[:rank], dtype=object).reshape(rank, rows.shape[1])
    for r in range(rank):
        g = gcd(*(int(v) for v in out[r][out[r] != 0]))
        lead = out[r][np.argmax(out[r] != 0)]
        out[r] = out[r] // (g if lead > 0 else -g)
    big = max((abs(int(v)) for v in out.ravel()), default=0)
    return out.astype(np.int64) if big < 2**62 else out


def dense_nullspace(m: sp.csr_array, s: int) -> np.ndarray:
    """Orthonormal float rows spanning the nullspace of M, by SVD."""
    m = _nonzero_rows(m)
    if m.shape[0] == 0:
        return np.eye(s)
    a = m.toarray().astype(np.float64)
    if a.shape[0] > 2 * s:
        a = scipy.linalg.qr(a, mode="r", overwrite_a=True, check_finite=False)[0][:s]
    _, sv, vt = np.linalg.svd(a, full_matrices=True)
    scale = sv[0] if sv.size else 1.0
    tol = max(a.shape) * np.finfo(float).eps * max(scale, 1.0) * 100
    rank = int(np.sum(sv > tol))
    return vt[rank:]


def rref_rows(v: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Reduced row echelon form of a float k × s matrix of full row rank."""
    a = np.array(v, dtype=np.float64, copy=True)
    k, s = a.shape
    row = 0
    for col in range(s):
        if row == k:
            break
        piv = row + int(np.argmax(np.abs(a[row:, col])))
        if abs(a[piv, col]) <= tol:
            continue
        a[[row, piv]] = a[[piv, row]]
        a[row] /= a[row, col]
        others = np.arange(k) != row
        a[others] -= np.outer(a[others, col], a[row])
        row += 1
    a[np.abs(a) < tol] = 0.0
    return a[:row]


def rationalize(
    rows: np.ndarray, max_denominator: int = 4096, tol: float = 1e-8
) -> np.ndarray | None:
    """Round an rref float basis to small rationals and scale rows to integers (None if not)."""
    out = []
    for row in rows:
        fr = [Fraction(float(x)).limit_denominator(max_denominator) for x in row]
        if any(abs(float(f) - float(x)) > tol * (1 + abs(x)) for f, x in zip(fr, row)):
            return None
        out.append(fr)
    return integer_rows(out) if out else np.zeros((0, rows.shape[1]), dtype=np.int64)
