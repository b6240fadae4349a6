"""Nonlinearities of your own, accepted only when they verify as equivariant.

Built-in activations (:mod:`intertwine.codegen.nonlinearities`: ``pointwise``, ``norm_gate``) are
equivariant by construction; any other function σ: (..., rep.dim) → (..., rep.dim) is checked
here, σ(ρ(g) x) = ρ(g) σ(x) on random inputs for every generator, by :func:`verify`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core import Action, Rep
from ..errors import IntertwineError
from ..spec import resolve
from ._verify import verify


def checked_nonlinearity(
    action: Action | str, rep: Rep | str, fn: Callable, tol: float = 1e-5
) -> Callable:
    """``fn`` itself, after checking that it commutes with every generator of ``rep``.

    ``action`` and ``rep`` are values or spec strings; ``fn`` maps arrays of shape (...,
    rep.dim) to the same shape (JAX, NumPy or PyTorch; see :func:`verify`), ``tol`` is the
    relative residual allowed. Raises IntertwineError naming the failing generators and their
    residuals when it is not equivariant, or when ``fn`` is not callable.

    >>> import jax.numpy as jnp
    >>> cube = checked_nonlinearity("SO(3)", "V", lambda x: x * jnp.sum(x * x, -1, keepdims=True))
    """
    if not callable(fn):
        raise IntertwineError(f"checked_nonlinearity needs a callable function, not {fn!r}")
    _, r = resolve(action, rep)
    report = verify(fn, r.action, r, r, tol=tol, name=getattr(fn, "__name__", "custom"))
    if not report:
        failing = ", ".join(f"{c.name} ({c.error:.1e})" for c in report.failures)
        raise IntertwineError(f"the nonlinearity is not equivariant for {r}: {failing}")
    return fn
