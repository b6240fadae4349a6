"""Whether a basis is a tying: every entry of W in at most one basis element, with ±1.

When it is, W[i, j] = sign[i, j] · θ[index[i, j]] (index −1 for a forced zero): a *signed
tying*, and a *plain tying* when all signs are +1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def detect_tying(coeffs: sp.csr_array) -> tuple[np.ndarray, np.ndarray] | None:
    """(index, sign) over the N entries if every entry is ±1 in at most one element, else None."""
    n = coeffs.shape[1]
    csc = sp.csc_array(coeffs)
    if csc.nnz and (np.any(np.diff(csc.indptr) > 1) or np.any(np.abs(csc.data) != 1)):
        return None
    index = np.full(n, -1, dtype=np.int64)
    sign = np.zeros(n, dtype=np.int8)
    cols = np.repeat(np.arange(n), np.diff(csc.indptr))
    index[cols] = csc.indices
    sign[cols] = np.sign(csc.data).astype(np.int8)
    return index, sign
