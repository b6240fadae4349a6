"""Shared checks for action constructors."""

from __future__ import annotations

from ..errors import ActionError

MAX_PERMUTATION_DEGREE = 100_000
MAX_MATRIX_DEGREE = 256


def check_degree(name: str, n: object, lo: int, hi: int = MAX_PERMUTATION_DEGREE) -> int:
    """``n`` as an int in [lo, hi], or an ActionError that says which values are allowed."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise ActionError(f"{name} needs an integer argument, not {n!r}")
    if not lo <= n <= hi:
        raise ActionError(f"{name}({n}) is out of range: use {lo} <= n <= {hi}")
    return n
