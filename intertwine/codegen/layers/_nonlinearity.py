"""Nonlinearities that keep equivariance, chosen by the type of the rep and checked.

- *pointwise* σ commutes with a permutation matrix; with an injective partial map (a truncating
  shift) only if σ(0) = 0 (the zero that is shifted in must stay zero); with a signed
  permutation only if σ is odd. With any other generator (a rotation, a Lie generator) it fails.
- *norm gate* x_b ↦ x_b · σ(‖x_b‖) on each summand b of the rep commutes with every orthogonal
  rep (ρ(g)ᵀρ(g) = I, dρ(A) = −dρ(A)ᵀ), since the norms are invariant (as EMLP's gated
  nonlinearities, without extra gate channels).
- your own functions are checked by :func:`intertwine.verify.checked_nonlinearity` (``custom``
  here is its deprecated name).

Each takes the action first, as every entry point does, and values or spec strings:
``pointwise("S(5)", "V**2", jax.nn.relu)``, ``norm_gate("SO(3)", "V + V**2")``. The older
forms ``pointwise(fn, rep)`` and ``norm_gate(rep)`` with a Rep value still work. Each returns a
function on arrays of shape (..., rep.dim) (channels on the axes before).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...core import Action, Copies, Rep, Sum
from ...errors import IntertwineError
from ...spec import resolve

_GRID = np.linspace(-3.0, 3.0, 25)


def _numpy_value(fn, values: np.ndarray) -> np.ndarray:
    import jax.numpy as jnp

    return np.asarray(fn(jnp.asarray(values, dtype=jnp.float32)), dtype=np.float64)


def _rep_of(action, rep, fn, entry: str) -> Rep:
    """The rep of the new form (action, rep, ...) with values or spec strings."""
    if not isinstance(action, (Action, str)):
        raise IntertwineError(
            f"{entry} takes the action first: {entry}(action, rep, ...), e.g. "
            f'{entry}("S(5)", "V**2"{", jax.nn.relu" if fn else ""}), not {type(action).__name__}'
        )
    if fn is not None and not callable(fn):
        raise IntertwineError(f"{entry}: the function must be callable, not {fn!r}")
    return resolve(action, rep)[1]


def pointwise(action, rep, fn: Callable | None = None, name: str | None = None) -> Callable:
    """σ applied entrywise, after checking that it commutes with every generator of the rep.

    ``pointwise(action, rep, fn)`` with the action and rep as values or spec strings (``fn``
    defaults to relu); the older ``pointwise(fn, rep)`` with a Rep value still works. Raises
    IntertwineError, naming the generator, when σ is not equivariant for the rep.

    >>> import jax
    >>> relu = pointwise("S(4)", "V**2", jax.nn.relu)
    """
    import jax

    if callable(action) and not isinstance(action, (Action, str)) and isinstance(rep, Rep):
        return _pointwise(action, rep, fn if isinstance(fn, str) else name)  # (fn, rep[, name])
    return _pointwise(fn or jax.nn.relu, _rep_of(action, rep, fn, "pointwise"), name)


def _pointwise(fn: Callable, rep: Rep, name: str | None = None) -> Callable:
    label = name or getattr(fn, "__name__", "the activation")
    zero_cols = negative = False
    for g, m in zip(rep.action.generators, rep.generators):
        mono = m.monomial() if g.kind == "discrete" else None
        if mono is None:
            raise IntertwineError(
                f"a pointwise {label} is not equivariant for {rep.action.name} on {rep}: generator "
                f"{g.name} mixes coordinates; use norm_gate (orthogonal reps) or custom"
            )
        target, sign = mono
        zero_cols |= bool(np.any(target < 0))
        negative |= bool(np.any(sign < 0))
    if zero_cols:
        at_zero = float(_numpy_value(fn, np.zeros(1))[0])
        if abs(at_zero) > 1e-6:
            raise IntertwineError(
                f"{label}(0) = {at_zero:g}, but {rep.action.name} shifts zeros in (a truncating "
                f"map), so the activation must satisfy σ(0) = 0: use relu, tanh or gelu"
            )
    if negative:
        vals = _numpy_value(fn, _GRID)
        if np.max(np.abs(vals + _numpy_value(fn, -_GRID))) > 1e-5:
            raise IntertwineError(
                f"{label} is not odd, but {rep} has signed permutations: use an "
                f"odd activation (tanh) or norm_gate"
            )
    return fn


def _blocks(rep: Rep) -> list[int]:
    node = rep.node
    if isinstance(node, Sum):
        return [d for r in node.parts for d in _blocks(r)]
    if isinstance(node, Copies):
        return _blocks(node.base) * node.count
    return [rep.dim]


def is_orthogonal(rep: Rep, tol: float = 1e-9) -> bool:
    for g, m in zip(rep.action.generators, rep.generators):
        a = m.to_numpy()
        ok = (
            np.allclose(a.T @ a, np.eye(a.shape[0]), atol=tol)
            if g.kind == "discrete"
            else np.allclose(a, -a.T, atol=tol)
        )
        if not ok:
            return False
    return True


def norm_gate(action, rep=None, gate: Callable | None = None) -> Callable:
    """x_b ↦ x_b · gate(‖x_b‖) on each summand of an orthogonal rep (gate defaults to sigmoid).

    ``norm_gate(action, rep)`` with values or spec strings; the older ``norm_gate(rep)`` with a
    Rep value still works. Raises IntertwineError for a rep that is not orthogonal.

    >>> gate = norm_gate("SO(3)", "V + V**2")
    """
    if isinstance(action, Rep):  # the older form norm_gate(rep[, gate])
        return _norm_gate(action, rep if callable(rep) else gate)
    return _norm_gate(_rep_of(action, rep, None, "norm_gate"), gate)


def _norm_gate(rep: Rep, gate: Callable | None = None) -> Callable:
    import jax
    import jax.numpy as jnp

    if not is_orthogonal(rep):
        raise IntertwineError(
            f"a norm gate needs an orthogonal rep, and {rep} of {rep.action.name} is not one "
            f"(its generators do not preserve the Euclidean norm); use custom with a checked "
            f"function"
        )
    gate = gate or jax.nn.sigmoid
    bounds = np.cumsum([0] + _blocks(rep))

    def apply(x):
        parts = []
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            xb = x[..., lo:hi]
            norm = jnp.sqrt(jnp.sum(xb * xb, axis=-1, keepdims=True) + 1e-12)
            parts.append(xb * gate(norm))
        return jnp.concatenate(parts, axis=-1)

    return apply


def custom(action, rep, fn: Callable | None = None, tol: float = 1e-5) -> Callable:
    """Deprecated: use :func:`intertwine.verify.checked_nonlinearity` (same arguments).

    Checking a function is verification, which sits above the layers; this name forwards there
    with a DeprecationWarning (the older ``custom(fn, rep)`` with a Rep value too).
    """
    import warnings

    warnings.warn(
        "nonlinearities.custom is deprecated: use intertwine.verify.checked_nonlinearity("
        "action, rep, fn)",
        DeprecationWarning,
        stacklevel=2,
    )
    if callable(action) and not isinstance(action, (Action, str)) and isinstance(rep, Rep):
        if isinstance(fn, (int, float)):  # the older form custom(fn, rep, tol)
            tol = float(fn)
        action, rep, fn = rep.action, rep, action  # the older form custom(fn, rep)
    else:
        _rep_of(action, rep, fn, "custom")
        if fn is None:
            raise IntertwineError("custom needs the function: custom(action, rep, fn)")
    # the one import up the flow, kept only for this deprecated name
    from ...verify import checked_nonlinearity

    return checked_nonlinearity(action, rep, fn, tol)


def auto(rep: Rep) -> Callable:
    """relu for permutation-like reps, a norm gate for orthogonal ones."""
    import jax

    try:
        return _pointwise(jax.nn.relu, rep, "relu")
    except IntertwineError:
        return _norm_gate(rep)
