"""Building matrices: Kronecker products, block diagonals, and coercion of user data."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import ActionError
from ._domains import _INT_LIMIT, _join
from ._matrix import Matrix, _max_abs


def kron(a: Matrix, b: Matrix) -> Matrix:
    """Kronecker product, row-major (numpy ``kron``), kept sparse."""
    d = _join(a.domain, b.domain)
    if d == "ZZ" and _max_abs(a) * _max_abs(b) >= _INT_LIMIT:
        d = "QQ"  # int64 could overflow: multiply exactly
    n1, m1 = a.shape
    n2, m2 = b.shape
    rows = (a.rows[:, None] * n2 + b.rows[None, :]).ravel()
    cols = (a.cols[:, None] * m2 + b.cols[None, :]).ravel()
    va, vb = a._coerce_vals(d), b._coerce_vals(d)
    with np.errstate(over="ignore", invalid="ignore"):  # an RR overflow is refused below
        vals = (va[:, None] * vb[None, :]).ravel()
    return Matrix((n1 * n2, m1 * m2), rows, cols, vals, d)


def block_diag(blocks: Sequence[Matrix]) -> Matrix:
    """Direct sum: blocks along the diagonal, in the order given."""
    d = _join(*(b.domain for b in blocks))
    r0 = c0 = 0
    rows, cols, vals = [], [], []
    for b in blocks:
        rows.append(b.rows + r0)
        cols.append(b.cols + c0)
        vals.append(b._coerce_vals(d))
        r0 += b.shape[0]
        c0 += b.shape[1]
    if not blocks:
        return Matrix.zeros(0)
    return Matrix((r0, c0), np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), d)


def as_matrix(data: Any) -> Matrix:
    """Coerce a Matrix, nested list, numpy array or sympy matrix to a :class:`Matrix`."""
    if isinstance(data, Matrix):
        return data
    sympy = sys.modules.get("sympy")  # a sympy matrix exists only once sympy is imported
    if sympy is not None and isinstance(data, sympy.MatrixBase):
        return Matrix.from_dense(np.array(data.tolist(), dtype=object))
    if sp.issparse(data):
        coo = sp.coo_array(data)
        return Matrix(coo.shape, coo.row, coo.col, coo.data)
    arr = np.asarray(data)
    if arr.dtype.kind in "iub":
        r, c = np.nonzero(arr)
        return Matrix(arr.shape, r, c, arr[r, c].astype(np.int64), "ZZ")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ActionError("a matrix has NaN or infinite entries; give finite numbers")
        r, c = np.nonzero(arr)
        return Matrix(arr.shape, r, c, arr[r, c], "RR")
    return Matrix.from_dense(arr)
