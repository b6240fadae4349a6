"""Exact conversions and identity of a :class:`~intertwine.core.Matrix`: to sympy, to nested
Python lists (ints of any size stay ints, for JSON), its monomial form, its content key and
entry-wise equality."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np

from ._domains import _float_of, _to_sympy, is_zero_exact

if TYPE_CHECKING:
    import sympy

    from ._matrix import Matrix


def to_sympy(m: Matrix) -> sympy.ImmutableSparseMatrix:
    """Exact sympy matrix (floats become sympy Floats for an RR matrix)."""
    import sympy

    entries = {
        (int(r), int(c)): _to_sympy(v if m.domain != "ZZ" else int(v))
        for r, c, v in zip(m.rows, m.cols, m.vals)
    }
    if m.domain == "RR":
        entries = {k: sympy.Float(float(v)) for k, v in entries.items()}
    return sympy.ImmutableSparseMatrix(m.shape[0], m.shape[1], entries)


def tolist(m: Matrix) -> list[list[Any]]:
    """Nested list of Python numbers: ints for integer entries of any size, floats otherwise
    (for JSON)."""
    if m.domain == "ZZ":
        dense = np.zeros(m.shape, dtype=np.int64)
        dense[m.rows, m.cols] = m.vals
        return dense.tolist()
    if m.domain == "QQ" and all(getattr(v, "is_Integer", False) for v in m.vals):
        out: list[list[Any]] = [[0] * m.shape[1] for _ in range(m.shape[0])]
        for r, c, v in zip(m.rows, m.cols, m.vals):
            out[int(r)][int(c)] = int(v)  # beyond 64 bits: exact Python ints, never floats
        return out
    return m.to_numpy().tolist()


def monomial(m: Matrix) -> tuple[np.ndarray, np.ndarray] | None:
    """If every column has at most one nonzero, equal to +-1, and no row is hit twice,
    return ``(target, sign)`` with ``M[target[j], j] = sign[j]`` (target -1 for a zero column).
    This covers permutations, injective partial maps (truncating shifts) and signed
    permutations. Otherwise None."""
    if m.domain != "ZZ" or (m.vals.size and np.any(np.abs(m.vals) != 1)):
        return None
    if np.unique(m.cols).size != m.cols.size or np.unique(m.rows).size != m.rows.size:
        return None
    target = np.full(m.shape[1], -1, dtype=np.int64)
    sign = np.zeros(m.shape[1], dtype=np.int64)
    target[m.cols] = m.rows
    sign[m.cols] = m.vals
    return target, sign


def content_key(m: Matrix) -> bytes:
    """A sha256 of the shape, domain and stored entries (the digest behind ``Matrix.digest``)."""
    h = hashlib.sha256()
    h.update(f"{m.shape}{m.domain}".encode())
    h.update(m.rows.tobytes())
    h.update(m.cols.tobytes())
    if m.domain in ("ZZ", "RR"):
        h.update(m.vals.tobytes())
    else:
        import sympy

        h.update(repr([sympy.srepr(v) for v in m.vals]).encode())
    return h.digest()


def equal(m: Matrix, other: Matrix) -> bool:
    """Entry-wise equality; algebraic entries compared by expanding their difference."""
    if m.shape != other.shape or m.domain != other.domain or m.nnz != other.nnz:
        return False
    if not (np.array_equal(m.rows, other.rows) and np.array_equal(m.cols, other.cols)):
        return False
    if m.domain in ("ZZ", "RR"):
        return bool(np.array_equal(m.vals, other.vals))
    import sympy

    return all(is_zero_exact(sympy.expand(a - b)) for a, b in zip(m.vals, other.vals))


def _max_abs(m: Matrix) -> int:
    """The largest absolute entry of a ZZ matrix, as a Python int (0 when empty)."""
    return max((abs(int(v)) for v in (m.vals.min(), m.vals.max())), default=0) if m.nnz else 0


def _floats(m: Matrix) -> np.ndarray:
    if m.domain in ("ZZ", "RR"):
        return m.vals.astype(np.float64)
    return np.array([_float_of(v) for v in m.vals], dtype=np.float64)
