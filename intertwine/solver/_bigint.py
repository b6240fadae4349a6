"""Exact bases whose integer entries do not fit in 64 bits.

A hyperbolic integer generator such as [[100000, 99999], [1, 1]] has a commutant on V⊗⁴ whose
integer basis needs entries of 67 bits (no other integer basis of that lattice is smaller:
LLL reduction leaves them as large). Such a basis is kept exactly: the :class:`Basis` holds its
sparse structure with float64 approximations in ``coefficients`` (for the float consumers:
layers, pictures) and the exact values as Python integers in ``exact_values``, in CSR order.
JSON prints them as integers of any size; the .npz file stores them as decimal strings (no
pickles) beside the float data, and loading gives back equal integers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..errors import VerificationError
from ._certificate import PRIMES
from ._constraints import Constraint, operator
from ._intmatrix import IntMatrix


def split(rows: IntMatrix) -> tuple[sp.csr_array, tuple[int, ...]]:
    """(float64 CSR with the same structure, the exact values in CSR order)."""
    r, c, v = rows._coo()
    order = np.lexsort((np.asarray(c), np.asarray(r)))
    rr, cc = np.asarray(r)[order], np.asarray(c)[order]
    vals = tuple(int(v[i]) for i in order)
    data = np.array([float(x) for x in vals], dtype=np.float64)
    csr = sp.csr_array((data, (rr, cc)), shape=rows.shape)
    csr.sort_indices()
    return csr, vals


def join(coeffs: sp.csr_array, values: tuple[int, ...]) -> IntMatrix:
    """The exact k × N IntMatrix of a basis stored by :func:`split`."""
    coo = sp.csr_array(coeffs).tocoo()
    return IntMatrix(coeffs.shape, coo.row, coo.col, list(values))


def check(rows: IntMatrix, cons: list[Constraint]) -> None:
    """Every row satisfies every non-helper constraint exactly, and the rows are independent
    (full rank modulo a prime, which bounds the rank over Q from below)."""
    import flint

    for c in cons:
        if c.helper:
            continue
        if c.domain not in ("ZZ", "QQ"):
            raise VerificationError(f"a big-integer basis met {c.domain} generator {c.name}")
        if (operator(c, exact=True) @ rows.T).count_nonzero():
            raise VerificationError(f"basis fails generator {c.name} exactly")
    k = rows.shape[0]
    for p in PRIMES[:2]:
        if int(flint.nmod_mat(rows.mod(p), p).rank()) == k:
            return
    raise VerificationError("big-integer basis elements are not linearly independent")


def encode(values: tuple[int, ...]) -> np.ndarray:
    """Decimal strings (a fixed-width unicode array: no pickles)."""
    return np.array([str(v) for v in values], dtype=str)


def decode(strings: np.ndarray, data: np.ndarray) -> tuple[int, ...]:
    """The integers of :func:`encode`, checked against the float data (ValueError if not)."""
    if strings.dtype.kind != "U" or strings.ndim != 1 or strings.size != data.size:
        raise ValueError("exact values do not match the coefficient data")
    values = tuple(int(s) for s in strings.tolist())
    if not np.array_equal(np.array([float(v) for v in values], dtype=np.float64), data):
        raise ValueError("exact values do not match the coefficient data")
    return values
