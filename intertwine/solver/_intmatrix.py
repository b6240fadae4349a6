"""Sparse integer matrices whose products never overflow.

Exact solves multiply integer matrices (constraint operators, tyings, bases). NumPy and scipy
wrap silently on int64 overflow, so every product here first bounds its entries:

    |(A B)[i, j]| ≤ max|A| · max|B| · min(max nnz of a row of A, max nnz of a column of B).

Below 2⁶² the product runs in scipy's int64 arithmetic (exact, since no partial sum can exceed
the bound); above it, in Python integers (arbitrary precision, slower, and only ever needed for
generators with very large entries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

INT64_SAFE = 2**62


class IntMatrix:
    """An immutable sparse integer matrix: scipy int64 CSR when every entry is below 2⁶² in
    absolute value, else coordinates with Python-int values."""

    __slots__ = ("shape", "csr", "rows", "cols", "vals")

    shape: tuple[int, int]
    csr: Any
    rows: Any
    cols: Any
    vals: Any

    def __init__(self, shape, rows, cols, vals):
        """From coordinates (duplicates summed, zeros dropped); ``vals`` may be Python ints."""
        self.shape = (int(shape[0]), int(shape[1]))
        acc: dict[tuple[int, int], int] = {}
        for r, c, v in zip(np.asarray(rows).tolist(), np.asarray(cols).tolist(), vals):
            key = (r, c)
            acc[key] = acc.get(key, 0) + int(v)
        items = sorted((k, v) for k, v in acc.items() if v)
        big = any(abs(v) >= INT64_SAFE for _, v in items)
        r_ = np.array([k[0] for k, _ in items], dtype=np.int64)
        c_ = np.array([k[1] for k, _ in items], dtype=np.int64)
        if big:
            self.csr = None
            self.rows, self.cols = r_, c_
            self.vals = [v for _, v in items]
        else:
            v_ = np.array([v for _, v in items], dtype=np.int64)
            self.csr = sp.csr_array((v_, (r_, c_)), shape=self.shape, dtype=np.int64)
            self.rows = self.cols = self.vals = None

    @classmethod
    def from_scipy(cls, m) -> IntMatrix:
        """Wrap an int64 scipy matrix (its entries must be below 2⁶²)."""
        out = object.__new__(cls)
        out.shape = (int(m.shape[0]), int(m.shape[1]))
        csr = sp.csr_array(m, dtype=np.int64)
        if csr.nnz and not np.all(csr.data):
            csr = csr.copy()
            csr.eliminate_zeros()
        if csr.nnz and int(np.max(np.abs(csr.data))) >= INT64_SAFE:
            coo = csr.tocoo()
            return cls(out.shape, coo.row, coo.col, [int(v) for v in coo.data])
        out.csr = csr
        out.rows = out.cols = out.vals = None
        return out

    # ----------------------------------------------------------------- facts
    @property
    def is_big(self) -> bool:
        return self.csr is None

    @property
    def nnz(self) -> int:
        return len(self.vals) if self.csr is None else int(self.csr.nnz)

    def max_abs(self) -> int:
        if self.csr is None:
            return max((abs(v) for v in self.vals), default=0)
        return int(np.max(np.abs(self.csr.data))) if self.csr.nnz else 0

    def _coo(self) -> tuple[list[int], list[int], list[int]]:
        if self.csr is None:
            return self.rows.tolist(), self.cols.tolist(), list(self.vals)
        coo = self.csr.tocoo()
        return coo.row.tolist(), coo.col.tolist(), [int(v) for v in coo.data]

    def _max_line(self, axis: int) -> int:
        """Largest number of nonzeros in one row (axis 0) or one column (axis 1)."""
        if self.nnz == 0:
            return 0
        idx = (self.rows if axis == 0 else self.cols) if self.csr is None else None
        if idx is None:
            coo = self.csr.tocoo()
            idx = coo.row if axis == 0 else coo.col
        return int(np.bincount(idx).max())

    # ----------------------------------------------------------------- algebra
    @property
    def T(self) -> IntMatrix:
        if self.csr is not None:
            return IntMatrix.from_scipy(self.csr.T)
        return IntMatrix((self.shape[1], self.shape[0]), self.cols, self.rows, self.vals)

    def __neg__(self) -> IntMatrix:
        if self.csr is not None:
            return IntMatrix.from_scipy(-self.csr)
        return IntMatrix(self.shape, self.rows, self.cols, [-v for v in self.vals])

    def __sub__(self, other: IntMatrix) -> IntMatrix:
        return self + (-other)

    def __add__(self, other: IntMatrix) -> IntMatrix:
        if self.shape != other.shape:
            raise ValueError(f"cannot add shapes {self.shape} and {other.shape}")
        if self.csr is not None and other.csr is not None:
            return IntMatrix.from_scipy(self.csr + other.csr)  # each < 2^62, sum < 2^63
        r1, c1, v1 = self._coo()
        r2, c2, v2 = other._coo()
        return IntMatrix(self.shape, r1 + r2, c1 + c2, v1 + v2)

    def __mul__(self, k: int) -> IntMatrix:
        k = int(k)
        if self.csr is not None and self.max_abs() * abs(k) < INT64_SAFE:
            return IntMatrix.from_scipy(self.csr * k)
        r, c, v = self._coo()
        return IntMatrix(self.shape, r, c, [x * k for x in v])

    def __matmul__(self, other) -> IntMatrix:
        other = as_intmatrix(other)
        if self.shape[1] != other.shape[0]:
            raise ValueError(f"cannot multiply shapes {self.shape} and {other.shape}")
        bound = (
            self.max_abs()
            * other.max_abs()
            * min(self._max_line(0), other._max_line(1), self.shape[1])
        )
        if self.csr is not None and other.csr is not None and bound < INT64_SAFE:
            return IntMatrix.from_scipy(self.csr @ other.csr)
        return _python_product(self, other)

    def kron(self, other: IntMatrix) -> IntMatrix:
        """Kronecker product (row-major, as numpy ``kron``)."""
        other = as_intmatrix(other)
        if (
            self.csr is not None
            and other.csr is not None
            and self.max_abs() * other.max_abs() < INT64_SAFE
        ):
            return IntMatrix.from_scipy(sp.kron(self.csr, other.csr, format="csr"))
        ra, ca, va = self._coo()
        rb, cb, vb = other._coo()
        n2, m2 = other.shape
        rows = [i * n2 + k for i in ra for k in rb]
        cols = [j * m2 + m for j in ca for m in cb]
        vals = [x * y for x in va for y in vb]
        return IntMatrix((self.shape[0] * n2, self.shape[1] * m2), rows, cols, vals)

    # ----------------------------------------------------------------- views
    def count_nonzero(self) -> int:
        return self.nnz

    def nonzero_rows(self) -> IntMatrix:
        """The same matrix without its zero rows."""
        if self.csr is not None:
            keep = np.diff(self.csr.indptr) > 0
            return self if keep.all() else IntMatrix.from_scipy(self.csr[keep])
        r, c, v = self._coo()
        keep = sorted(set(r))
        renumber = {old: new for new, old in enumerate(keep)}
        return IntMatrix((len(keep), self.shape[1]), [renumber[x] for x in r], c, v)

    def tolist(self) -> list[list[int]]:
        """Dense rows of Python ints."""
        if self.csr is not None:
            return self.csr.toarray().tolist()
        out = [[0] * self.shape[1] for _ in range(self.shape[0])]
        for r, c, v in zip(*self._coo()):
            out[r][c] = v
        return out

    def to_scipy(self) -> sp.csr_array:
        """The int64 scipy form; raises OverflowError when an entry needs more than 62 bits."""
        if self.csr is None:
            raise OverflowError("an entry needs more than 62 bits")
        return self.csr

    def mod(self, p: int) -> list[list[int]]:
        """Dense rows with every entry reduced modulo p."""
        if self.csr is not None:
            return np.mod(self.csr.toarray(), p).tolist()
        out = [[0] * self.shape[1] for _ in range(self.shape[0])]
        for r, c, v in zip(*self._coo()):
            out[r][c] = v % p
        return out

    def __repr__(self) -> str:
        kind = "python ints" if self.csr is None else "int64"
        return f"IntMatrix(shape={self.shape}, nnz={self.nnz}, {kind})"


def as_intmatrix(m) -> IntMatrix:
    """An IntMatrix from an IntMatrix or an integer scipy sparse matrix."""
    if isinstance(m, IntMatrix):
        return m
    if sp.issparse(m):
        if m.dtype.kind not in "iub":
            raise TypeError(f"an integer matrix was expected, not {m.dtype}")
        return IntMatrix.from_scipy(m)
    raise TypeError(f"cannot make an integer matrix from {type(m).__name__}")


def vstack(parts: Sequence[IntMatrix]) -> IntMatrix:
    """Rows of every part, in order."""
    if all(p.csr is not None for p in parts):
        return IntMatrix.from_scipy(sp.vstack([p.csr for p in parts], format="csr"))
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    offset = 0
    for p in parts:
        r, c, v = p._coo()
        rows += [x + offset for x in r]
        cols += c
        vals += v
        offset += p.shape[0]
    return IntMatrix((offset, parts[0].shape[1]), rows, cols, vals)


def _python_product(a: IntMatrix, b: IntMatrix) -> IntMatrix:
    """A @ B in Python integers (arbitrary precision)."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for r, c, v in zip(*b._coo()):
        by_row.setdefault(r, []).append((c, v))
    acc: dict[tuple[int, int], int] = {}
    for r, k, v in zip(*a._coo()):
        for c, w in by_row.get(k, ()):
            acc[(r, c)] = acc.get((r, c), 0) + v * w
    keys = list(acc)
    return IntMatrix(
        (a.shape[0], b.shape[1]), [k[0] for k in keys], [k[1] for k in keys], list(acc.values())
    )
