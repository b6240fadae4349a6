"""Truncating shifts: the monoid {s^k} acting on R^n by e_i ↦ e_{i+1}, e_{n−1} ↦ 0.

Its intertwiners V → V are exactly the lower-triangular Toeplitz matrices (a causal convolution,
n parameters). Shift(h, w) has two commuting shifts on the h×w grid (index i·w + j), down and
right, and gives a 2-D causal convolution (h·w parameters).
"""

from __future__ import annotations

from ..core import Action, Generator, Matrix
from ..groups import check_degree


def _shift_matrix(n: int, step: int, keep) -> Matrix:
    cols = [i for i in range(n) if keep(i)]
    return Matrix((n, n), [i + step for i in cols], cols, [1] * len(cols), "ZZ")


def shift(n: int) -> Action:
    """Shift(n): the truncating shift on R^n."""
    check_degree("Shift", n, 1)
    gen = Generator("shift", "discrete", (_shift_matrix(n, 1, lambda i: i < n - 1),))
    return Action(
        f"Shift({n})",
        "monoid",
        (n,),
        [gen],
        description=f"truncating shift on R^{n} (causal sequences)",
    )


def shift2d(h: int, w: int) -> Action:
    """Shift(h,w): commuting truncating shifts down and right on an h×w grid."""
    check_degree("Shift", h, 1, call=f"Shift({h},{w})", arg="h")
    check_degree("Shift", w, 1, call=f"Shift({h},{w})", arg="w")
    n = h * w
    down = _shift_matrix(n, w, lambda i: i // w < h - 1)
    right = _shift_matrix(n, 1, lambda i: i % w < w - 1)
    return Action(
        f"Shift({h},{w})",
        "monoid",
        (n,),
        [Generator("down", "discrete", (down,)), Generator("right", "discrete", (right,))],
        description=f"truncating shifts on an {h}x{w} grid (causal images)",
    )
