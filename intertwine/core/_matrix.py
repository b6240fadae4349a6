"""Immutable sparse matrices whose entries stay exact where the input was exact.

A :class:`Matrix` stores its nonzeros in canonical coordinate form (sorted by row, then column,
no duplicates, no zeros), so two matrices are equal exactly when their entries are equal, and the
hash is a content hash. The *domain* says what the entries are:

- ``"ZZ"``: integers (int64);
- ``"QQ"``: rationals (sympy ``Rational``);
- ``"EX"``: algebraic numbers as sympy expressions (e.g. ``sqrt(3)/2``);
- ``"RR"``: float64, for user matrices that are not exact.

Tensor powers of large representations stay sparse: nothing here densifies unless asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ..errors import ActionError
from ._domains import (
    _INT_LIMIT,
    _canonical,
    _domain_of_objects,
    _guess_domain,
    _join,
    _to_sympy,
)
from ._matrix_convert import _floats, _max_abs

if TYPE_CHECKING:
    import sympy


class Matrix:
    """An immutable sparse matrix with exact (ZZ, QQ, EX) or float (RR) entries."""

    __slots__ = ("shape", "domain", "rows", "cols", "vals", "_hash")

    _hash: int | None
    shape: tuple[int, int]
    domain: str
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    def __init__(self, shape, rows, cols, vals, domain: str | None = None):
        """Build from coordinates; duplicates are summed and zeros dropped."""
        n, m = int(shape[0]), int(shape[1])
        rows = np.asarray(rows, dtype=np.int64).ravel()
        cols = np.asarray(cols, dtype=np.int64).ravel()
        if domain is None:
            domain = _guess_domain(vals)
        if domain == "ZZ":
            try:
                vals = np.asarray(vals, dtype=np.int64).ravel()
            except OverflowError:  # Python ints beyond 64 bits: exact, as sympy Integers
                domain = "QQ"
        if domain == "RR":
            with np.errstate(over="ignore", invalid="ignore"):
                vals = np.asarray(vals, dtype=np.float64).ravel()
            if not np.all(np.isfinite(vals)):
                raise ActionError(
                    "a matrix entry overflows float64 (or is NaN): the generators' entries are "
                    "too large for this tensor power; rescale them or use smaller powers"
                )
        elif domain != "ZZ":
            vals = np.array(
                [_to_sympy(v) for v in np.asarray(vals, dtype=object).ravel()], dtype=object
            )
        if not (rows.size == cols.size == vals.size):
            raise ValueError("rows, cols and vals must have the same length")
        if rows.size and (rows.min() < 0 or rows.max() >= n or cols.min() < 0 or cols.max() >= m):
            raise ValueError("matrix coordinates out of range")
        rows, cols, vals = _canonical(n, m, rows, cols, vals, domain)
        if (
            domain == "ZZ"
            and vals.size
            and max(abs(int(v)) for v in (vals.min(), vals.max())) >= _INT_LIMIT
        ):
            domain = "QQ"  # beyond 62 bits: kept exact as sympy Integers, never wrapped
            import sympy

            vals = np.array([sympy.Integer(int(v)) for v in vals], dtype=object)
        if domain in ("QQ", "EX"):
            domain = _domain_of_objects(vals) if vals.size else "ZZ"
            if domain == "ZZ":
                vals = np.array([int(v) for v in vals], dtype=np.int64)
        elif (
            domain == "RR"
            and vals.size
            and np.all(vals == np.round(vals))
            and np.all(np.abs(vals) < _INT_LIMIT)
        ):
            domain, vals = "ZZ", vals.astype(np.int64)
        elif domain == "RR" and not vals.size:
            domain, vals = "ZZ", vals.astype(np.int64)
        object.__setattr__(self, "shape", (n, m))
        object.__setattr__(self, "domain", domain)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)
        object.__setattr__(self, "vals", vals)
        object.__setattr__(self, "_hash", None)
        for arr in (rows, cols, vals):
            arr.flags.writeable = False

    def __setattr__(self, name, value):
        raise AttributeError("Matrix is immutable")

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_dense(cls, data: Any) -> Matrix:
        """From a nested list or array; ints stay ints, floats that are integers become ints."""
        arr = np.asarray(data, dtype=object)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D matrix, got an array of shape {arr.shape}")
        if arr.size == 0:
            return cls(arr.shape, [], [], np.zeros(0, dtype=np.int64), "ZZ")
        r, c = np.nonzero(np.vectorize(lambda v: v != 0, otypes=[bool])(arr))
        return cls(arr.shape, r, c, arr[r, c] if len(r) else [], None)

    @classmethod
    def identity(cls, n: int) -> Matrix:
        idx = np.arange(n)
        return cls((n, n), idx, idx, np.ones(n, dtype=np.int64), "ZZ")

    @classmethod
    def zeros(cls, n: int, m: int | None = None) -> Matrix:
        return cls((n, n if m is None else m), [], [], np.zeros(0, dtype=np.int64), "ZZ")

    @classmethod
    def from_map(cls, images: Sequence[int], n: int | None = None) -> Matrix:
        """The matrix of a map t of {0..n-1}: e_i -> e_{t[i]}, i.e. M[t[i], i] = 1."""
        t = np.asarray(images, dtype=np.int64)
        n = len(t) if n is None else n
        return cls((n, len(t)), t, np.arange(len(t)), np.ones(len(t), dtype=np.int64), "ZZ")

    # ----------------------------------------------------------------- properties
    @property
    def nnz(self) -> int:
        return int(self.vals.size)

    @property
    def is_exact(self) -> bool:
        return self.domain != "RR"

    @property
    def is_square(self) -> bool:
        return self.shape[0] == self.shape[1]

    def monomial(self) -> tuple[np.ndarray, np.ndarray] | None:
        """If every column has at most one nonzero, equal to +-1, and no row is hit twice,
        return ``(target, sign)`` with ``M[target[j], j] = sign[j]`` (target -1 for a zero column).
        This covers permutations, injective partial maps (truncating shifts) and signed
        permutations. Otherwise None."""
        from ._matrix_convert import monomial

        return monomial(self)

    # ----------------------------------------------------------------- conversions
    def to_scipy(self, dtype=np.float64) -> sp.csr_array:
        """As a scipy CSR array (float64 by default; int64 for ZZ on request)."""
        if dtype == np.int64 and self.domain != "ZZ":
            raise TypeError(f"a {self.domain} matrix has no int64 form")
        vals = self.vals if dtype == np.int64 else _floats(self)
        return sp.csr_array((vals, (self.rows, self.cols)), shape=self.shape, dtype=dtype)

    def to_numpy(self) -> np.ndarray:
        """Dense float64 array."""
        out = np.zeros(self.shape)
        out[self.rows, self.cols] = _floats(self)
        return out

    def to_sympy(self) -> sympy.ImmutableSparseMatrix:
        """Exact sympy matrix (floats become sympy Floats for an RR matrix)."""
        from ._matrix_convert import to_sympy

        return to_sympy(self)

    def tolist(self) -> list[list[Any]]:
        """Nested list of Python numbers: ints for integer entries of any size, floats otherwise
        (for JSON)."""
        from ._matrix_convert import tolist

        return tolist(self)

    def entry_strings(self) -> list[list[str]]:
        """Nested list of exact entries as text ('0', '1/2', 'sqrt(3)/2')."""
        out = [["0"] * self.shape[1] for _ in range(self.shape[0])]
        for r, c, v in zip(self.rows, self.cols, self.vals):
            out[int(r)][int(c)] = str(v)
        return out

    # ----------------------------------------------------------------- algebra
    def _coerce_vals(self, domain: str) -> np.ndarray:
        if domain == self.domain:
            return self.vals
        if domain == "RR":
            return _floats(self)
        return np.array(
            [_to_sympy(int(v)) if self.domain == "ZZ" else v for v in self.vals], dtype=object
        )

    @property
    def T(self) -> Matrix:
        return Matrix((self.shape[1], self.shape[0]), self.cols, self.rows, self.vals, self.domain)

    def __neg__(self) -> Matrix:
        return Matrix(self.shape, self.rows, self.cols, -self.vals, self.domain)

    def __add__(self, other: Matrix) -> Matrix:
        if self.shape != other.shape:
            raise ValueError(f"cannot add matrices of shapes {self.shape} and {other.shape}")
        d = _join(self.domain, other.domain)
        return Matrix(
            self.shape,
            np.concatenate([self.rows, other.rows]),
            np.concatenate([self.cols, other.cols]),
            np.concatenate([self._coerce_vals(d), other._coerce_vals(d)]),
            d,
        )

    def __sub__(self, other: Matrix) -> Matrix:
        return self + (-other)

    def __matmul__(self, other: Matrix) -> Matrix:
        if self.shape[1] != other.shape[0]:
            raise ValueError(f"cannot multiply shapes {self.shape} and {other.shape}")
        d = _join(self.domain, other.domain)
        if d == "ZZ" and _max_abs(self) * _max_abs(other) * self.shape[1] >= _INT_LIMIT:
            d = "QQ"  # int64 could overflow: multiply exactly
        if d in ("ZZ", "RR"):
            dtype = np.int64 if d == "ZZ" else np.float64
            prod = (self.to_scipy(dtype) @ other.to_scipy(dtype)).tocoo()
            return Matrix((self.shape[0], other.shape[1]), prod.row, prod.col, prod.data, d)
        prod = self.to_sympy() @ other.to_sympy()
        items = [(r, c, v) for (r, c), v in prod.todok().items()]
        return _from_items((self.shape[0], other.shape[1]), items, d)

    def inverse(self) -> Matrix:
        """Exact inverse (signed permutations directly; otherwise sympy, for small matrices;
        float64 for RR). Raises :class:`ActionError` for a singular or non-square matrix."""
        from ._matrix_inverse import inverse

        return inverse(self)

    # ----------------------------------------------------------------- identity
    def _key(self) -> bytes:
        from ._matrix_convert import content_key

        return content_key(self)

    def digest(self) -> bytes:
        """A content hash of the stored entries (a cache key). Exact for ZZ, QQ and RR; algebraic
        (EX) entries hash as written, so two forms of one number may give two digests (a cache
        miss, never a wrong hit: every cached basis is checked again)."""
        return self._key()

    def __hash__(self) -> int:
        """Equal matrices hash equal: exact algebraic entries (EX) can be equal in different
        forms (``sqrt(3)/2`` and ``sqrt(3)*(1/2)``), so their hash covers only the sparsity."""
        h = self._hash
        if h is None:
            if self.domain == "EX":
                key = (self.shape, self.rows.tobytes(), self.cols.tobytes())
                h = hash(key)
            else:
                h = int.from_bytes(self._key()[:8], "little")
            object.__setattr__(self, "_hash", h)
        return h

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Matrix):
            return NotImplemented
        from ._matrix_convert import equal

        return equal(self, other)

    def __repr__(self) -> str:
        if self.shape[0] * self.shape[1] <= 64:
            return f"Matrix({self.entry_strings()})"
        return f"Matrix(shape={self.shape}, nnz={self.nnz}, domain={self.domain})"


def _from_items(shape, items: Iterable[tuple[int, int, Any]], domain: str) -> Matrix:
    items = list(items)
    if not items:
        return Matrix.zeros(*shape)
    r, c, v = zip(*items)
    return Matrix(shape, r, c, np.array(v, dtype=object) if domain != "RR" else v, domain)
