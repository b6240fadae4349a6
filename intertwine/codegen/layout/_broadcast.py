"""Explicit broadcasting, so that the layers run under JAX's strict rank promotion.

JAX (like NumPy) broadcasts ``x (b, c, n) * v (n,)`` by prepending unit axes to ``v``; with
``jax_numpy_rank_promotion="raise"`` that implicit step is an error. The layers and the
emitted sources write it out instead: :func:`lift` gives ``v`` the unit axes, which is the
same arithmetic (NumPy's broadcasting rule, https://numpy.org/doc/stable/user/basics.broadcasting.html)
and works alike for NumPy and JAX arrays whatever the user's setting.
"""

from __future__ import annotations


def lift(v, ndim: int):
    """``v`` reshaped to rank ``ndim`` by leading unit axes, e.g. (n,) to (1, 1, n).

    Args:
        v: a NumPy or JAX array of rank at most ``ndim``.
        ndim: the rank of the array it is to be combined with.

    Raises:
        ValueError: if ``v`` has more than ``ndim`` axes.

    >>> import numpy as np
    >>> lift(np.arange(3.0), 3).shape
    (1, 1, 3)
    """
    extra = ndim - v.ndim
    if extra < 0:
        raise ValueError(f"cannot lift an array of rank {v.ndim} to rank {ndim}")
    return v.reshape((1,) * extra + tuple(v.shape)) if extra else v
