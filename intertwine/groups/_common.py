"""Shared checks for action constructors."""

from __future__ import annotations

from ..errors import ActionError

MAX_PERMUTATION_DEGREE = 100_000
MAX_MATRIX_DEGREE = 256


def check_degree(
    name: str,
    n: object,
    lo: int,
    hi: int = MAX_PERMUTATION_DEGREE,
    *,
    call: str = "",
    arg: str = "n",
) -> int:
    """``n`` as an int in [lo, hi], or an ActionError that says which values are allowed.
    ``call`` is the whole spec as written (e.g. ``Shift(5,0)``) and ``arg`` the argument's name,
    so that a bad argument of several is named."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise ActionError(f"{name} needs an integer argument, not {n!r}")
    if not lo <= n <= hi:
        raise ActionError(
            f"{call or f'{name}({n})'}: {arg} = {n} is out of range; use {lo} <= {arg} <= {hi}"
        )
    return n
