"""Cells: the parametric maps an algebra or coalgebra applies at every step.

A :class:`Cell` is a pair of pure functions, ``init(key) -> params`` and ``apply(params, ...)``,
like the layers in ``intertwine.codegen``. An algebra cell for the monomial A × X^k is called as
``apply(params, label, children)`` with ``label`` of shape (N, a) (None for a summand without
labels) and ``children`` of shape (N, k, d), and returns the new states (N, d). A Mealy cell is
called as ``apply(params, symbol, state) -> (output, state)``, a stream cell as
``apply(params, state) -> (output, state)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..codegen.layers import Apply, Init
from ..codegen.layout import lift
from ..core import Action, Rep
from ..errors import IntertwineError


class Cell(NamedTuple):
    """A pure parametric map: ``init(key) -> params``, ``apply(params, ...) -> ...`` (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
    description: str = "cell"

    def __repr__(self) -> str:
        return f"Cell({self.description})"


def _activation(name_or_fn) -> Callable:
    import jax.numpy as jnp

    if callable(name_or_fn):
        return name_or_fn
    table = {"tanh": jnp.tanh, "identity": lambda v: v, "relu": lambda v: jnp.maximum(v, 0)}
    if name_or_fn not in table:
        raise IntertwineError(f"unknown activation {name_or_fn!r}; use {', '.join(table)}")
    return table[name_or_fn]


def dense_cell(label_dim: int, state_dim: int, arity: int, activation="tanh") -> Cell:
    """x' = σ(W [a; x_1; ...; x_k] + b): an unconstrained algebra cell (a constant, learned,
    when it has neither labels nor children: the initial state of a fold)."""
    import jax
    import jax.numpy as jnp

    for what, v in (("label_dim", label_dim), ("state_dim", state_dim), ("arity", arity)):
        if not isinstance(v, int) or v < 0 or (what == "state_dim" and v < 1):
            raise IntertwineError(f"{what} must be a non-negative integer (state_dim >= 1)")
    act = _activation(activation)
    fan_in = label_dim + arity * state_dim

    def init(key):
        if fan_in == 0:
            return {"b": jnp.zeros(state_dim)}
        w = jax.random.normal(key, (state_dim, fan_in)) / jnp.sqrt(fan_in)
        return {"w": w, "b": jnp.zeros(state_dim)}

    def apply(params, label, children):
        n = children.shape[0] if label is None else label.shape[0]
        if fan_in == 0:
            return jnp.broadcast_to(params["b"], (n, state_dim))
        parts = ([] if label is None else [label]) + [children.reshape(n, arity * state_dim)]
        x = jnp.concatenate(parts, axis=-1)
        h = x @ params["w"].T
        return act(h + lift(params["b"], h.ndim))

    return Cell(init, apply, f"dense {label_dim} + {arity}x{state_dim} -> {state_dim}")


def equivariant_cell(
    action: Action | str, label_rep: Rep | str | None, state_rep: Rep | str, arity: int
) -> Cell:
    """x' = σ(W [a; x_1; ...; x_k] + b) with W an equivariant linear map
    label_rep ⊕ k·state_rep → state_rep from the solver and σ an equivariant nonlinearity for
    state_rep (pointwise for permutation reps, a norm gate for orthogonal ones). A fold with
    such cells is equivariant to the action applied to every label of a structure at once.
    Without labels and children the cell is an invariant constant (Hom(1, state_rep))."""
    from ..codegen import equivariant_linear
    from ..codegen.layers import nonlinearities
    from ..spec import resolve

    parts = [] if label_rep is None else [str(label_rep)]
    if arity:
        parts.append(f"{arity}*({state_rep})")
    source = " + ".join(parts) if parts else "1"
    act, rin, rout = resolve(action, source, state_rep)
    layer = equivariant_linear(act, rin, rout)
    sigma = nonlinearities.auto(rout)

    def apply(params, label, children):
        import jax.numpy as jnp

        n = children.shape[0] if label is None else label.shape[0]
        pieces = ([] if label is None else [label]) + [children.reshape(n, -1)]
        x = jnp.concatenate(pieces, axis=-1) if parts else jnp.ones((n, 1), children.dtype)
        return sigma(layer.apply(params, x))

    return Cell(layer.init, apply, f"equivariant {act.name}: {rin} -> {rout}")


def dense_mealy_cell(input_dim: int, state_dim: int, output_dim: int) -> Cell:
    """(i, x) ↦ (o, x'): x' = tanh(W [i; x] + b), o = U x' + c."""
    import jax
    import jax.numpy as jnp

    def init(key):
        k1, k2 = jax.random.split(key)
        fan = input_dim + state_dim
        return {
            "w": jax.random.normal(k1, (state_dim, fan)) / jnp.sqrt(fan),
            "b": jnp.zeros(state_dim),
            "u": jax.random.normal(k2, (output_dim, state_dim)) / jnp.sqrt(state_dim),
            "c": jnp.zeros(output_dim),
        }

    def apply(params, symbol, state):
        h = jnp.concatenate([symbol, state], -1) @ params["w"].T
        x = jnp.tanh(h + lift(params["b"], h.ndim))
        o = x @ params["u"].T
        return o + lift(params["c"], o.ndim), x

    return Cell(init, apply, f"mealy {input_dim} x {state_dim} -> {output_dim} x {state_dim}")


def dense_stream_cell(state_dim: int, output_dim: int) -> Cell:
    """x ↦ (o, x'): a coalgebra for A × X (x' = tanh(W x + b), o = U x' + c)."""
    import jax
    import jax.numpy as jnp

    def init(key):
        k1, k2 = jax.random.split(key)
        return {
            "w": jax.random.normal(k1, (state_dim, state_dim)) / jnp.sqrt(state_dim),
            "b": jnp.zeros(state_dim),
            "u": jax.random.normal(k2, (output_dim, state_dim)) / jnp.sqrt(state_dim),
            "c": jnp.zeros(output_dim),
        }

    def apply(params, state):
        h = state @ params["w"].T
        x = jnp.tanh(h + lift(params["b"], h.ndim))
        o = x @ params["u"].T
        return o + lift(params["c"], o.ndim), x

    return Cell(init, apply, f"stream {state_dim} -> {output_dim} x {state_dim}")
