"""Certificates for the dimension of an exact basis.

A basis is *exact* only with a proof that nothing is missing. Its k vectors are already checked to
lie in null(M) and to be independent, so k ≤ dim null(M); what is needed is dim null(M) ≤ k, i.e.
rank(M) ≥ s − k for the s × rows constraint matrix M on s unknowns. Two lower bounds for a rank:

- *Rational M, modulo a prime.* For integer M and any prime p, rank(M mod p) ≤ rank_Q(M), because
  a nonzero minor mod p is a nonzero integer minor. Multiplying by any matrix R first never raises
  a rank either, so rank(R M mod p) ≤ rank_Q(M) for a random ±1 matrix R that makes a tall M
  square. python-flint's ``nmod_mat`` computes the rank mod p.
- *Algebraic M, by interval arithmetic.* A float M̃ differs from the exact M entry by entry by at
  most a bound ε from the floating-point error analysis of how M̃ was formed. If the determinant
  of an r × r submatrix, evaluated in ball arithmetic (python-flint's ``arb_mat``) on entries
  [M̃ ± ε], excludes 0, then that exact submatrix is nonsingular and rank(M) ≥ r.

When neither proves the bound (a problem too large for the certificate, an unlucky prime, an
ill-conditioned submatrix) the basis is returned with ``exact`` false.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from ._intmatrix import IntMatrix

PRIMES = (2_147_483_629, 2_147_483_587, 2_147_483_579)  # primes below 2^31
CERTIFY_MAX_ENTRIES = 16_000_000  # a dense s × s matrix mod p (about 10 s at the limit)
CERTIFY_MAX_ARB = 1500  # the largest submatrix whose determinant is taken in ball arithmetic


def rank_mod_p(m: IntMatrix, p: int) -> int:
    """rank(M mod p), a lower bound of the rank of M over Q."""
    import flint

    if m.shape[0] == 0 or m.shape[1] == 0 or m.nnz == 0:
        return 0
    return int(flint.nmod_mat(m.mod(p), p).rank())


def _compressed_mod_p(m: IntMatrix, p: int, rows: int, seed: int) -> list[list[int]]:
    """(R M) mod p for a random ±1 matrix R with ``rows`` rows, as dense rows."""
    rng = np.random.default_rng(seed)
    r = rng.choice(np.array([-1, 1], dtype=np.int64), size=(m.shape[0], rows))
    if m.is_big:
        reduced = IntMatrix(m.shape, m.rows, m.cols, [v % p for v in m.vals]).to_scipy()
    else:
        reduced = m.to_scipy().copy()
        reduced.data = np.mod(reduced.data, p)
    # entries below 2^31 times ±1, summed over at most 2^31 rows: exact in int64
    prod = np.asarray((reduced.T @ r).T, dtype=np.int64)
    return np.mod(prod, p).tolist()


def rank_lower_bound(m: IntMatrix, s: int, target: int) -> int:
    """A proved lower bound of rank_Q(M) (0 when the matrix is too large to certify); stops as
    soon as ``target`` is reached. Tries a compressed M mod two primes, then M itself."""
    import flint

    m = m.nonzero_rows()
    rows = m.shape[0]
    if rows == 0 or target == 0:
        return 0
    best = 0
    height = min(rows, s + 8)
    if height * s > CERTIFY_MAX_ENTRIES:
        return 0
    for seed, p in enumerate(PRIMES[:2]):
        dense = _compressed_mod_p(m, p, height, seed) if rows > height else m.mod(p)
        best = max(best, int(flint.nmod_mat(dense, p).rank()))
        if best >= target:
            return best
    if rows > height and rows * s <= CERTIFY_MAX_ENTRIES:
        best = max(best, rank_mod_p(m, PRIMES[2]))
    return best


def certify_nullity(m: IntMatrix, s: int, k: int) -> bool:
    """True when dim null(M) ≤ k is proved (with k independent null vectors in hand: = k)."""
    if k >= s:
        return True
    return rank_lower_bound(m, s, s - k) >= s - k


def certify_rank_float(m: sp.csr_array, target: int, radius: float) -> bool:
    """True when every matrix within ``radius`` of the float M, entry by entry, has rank at least
    ``target`` (so the exact M it approximates does): an r × r submatrix picked by pivoted QR
    has a determinant ball that excludes 0."""
    import flint

    if target == 0:
        return True
    if target > CERTIFY_MAX_ARB or m.shape[0] * m.shape[1] > CERTIFY_MAX_ENTRIES:
        return False
    a = m.toarray() if sp.issparse(m) else np.asarray(m)
    if min(a.shape) < target:
        return False
    _, _, cols = scipy.linalg.qr(a, mode="economic", pivoting=True)
    sub = a[:, cols[:target]]
    _, _, rows = scipy.linalg.qr(sub.T, mode="economic", pivoting=True)
    square = sub[rows[:target]]
    ball = flint.arb_mat([[flint.arb(float(v), radius) for v in row] for row in square])
    return not ball.det().contains(0)
