"""Exact orthogonality of integer vectors by residues (the Lie method's copies of an irrep).

Python integers are exact but slow; float64 is fast but exact only below 2**53. A Gram entry g
of integer vectors is bounded by |g| <= B = max|entry|² · rows, so g ≡ 0 modulo primes whose
product exceeds 2B forces g = 0 (Chinese remainder theorem), and each residue Gram matrix is a
float64 product whose sums stay below 2**53, hence exact.
"""

from __future__ import annotations

import flint
import numpy as np


def orthogonal_copies(copies: list[np.ndarray]) -> bool:
    """Columns of different copies (integer word bases) are orthogonal, exactly: their Gram
    matrix over Z is zero off the copies' diagonal blocks.

    Proof by residues: every Gram entry g satisfies |g| <= B = max|entry|² · rows, and g ≡ 0
    modulo primes whose product exceeds 2B forces g = 0 (Chinese remainder theorem). Each
    residue Gram matrix is a float64 product whose sums stay below 2**53, hence exact.
    """
    full = np.hstack(copies)
    rows = full.shape[0]
    mask = np.ones((full.shape[1], full.shape[1]), dtype=bool)
    o = 0
    for c in copies:
        mask[o : o + c.shape[1], o : o + c.shape[1]] = False
        o += c.shape[1]
    big = int(np.abs(full).max(initial=0))
    if big * big * rows < 2**52:  # float64 products and sums of these are exact
        f64 = full.astype(np.float64)
        return not np.any((f64.T @ f64)[mask])
    bound = 2 * big * big * rows
    limit = int((2**52 // max(rows, 1)) ** 0.5)  # residues below this keep sums exact
    product = 1
    p = limit
    while product <= bound:
        p = _prev_prime(p)
        if p < 3:
            break
        r = np.mod(full, p).astype(np.float64)
        if np.any(np.mod(r.T @ r, p)[mask]):
            return False
        product *= p
    else:
        return True
    z = flint.fmpz_mat(full.shape[0], full.shape[1], [int(v) for v in full.ravel()])
    gram = np.array((z.transpose() * z).tolist(), dtype=object).reshape(full.shape[1], -1)
    return not np.any(gram[mask] != 0)


def _prev_prime(n: int) -> int:
    """The largest prime below n (trial division; n is at most about 2**26)."""
    k = n - 1
    while k > 2:
        if all(k % q for q in range(2, int(k**0.5) + 1)):
            return k
        k -= 1
    return 2
