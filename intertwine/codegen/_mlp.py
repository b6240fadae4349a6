"""A multilayer perceptron of equivariant linear layers and checked nonlinearities."""

from __future__ import annotations

from collections.abc import Callable

from ..core import Rep
from ..errors import IntertwineError
from ._jax import Layer, apply_layer, equivariant_linear, init_params
from ._nonlinearity import auto


def mlp_layout(
    rep_in: Rep,
    rep_out: Rep,
    hidden: Rep,
    depth: int,
    channels: int,
    in_channels: int,
    out_channels: int,
) -> list[tuple[Rep, Rep, int, int]]:
    """The (rep_in, rep_out, c_in, c_out) of each layer of an MLP, after checking its shape."""
    if depth < 1:
        raise IntertwineError(f"depth must be at least 1, not {depth}")
    if not (rep_in.action == rep_out.action == hidden.action):
        raise IntertwineError("rep_in, rep_out and hidden must be reps of one action")
    sizes = [(rep_in, in_channels)] + [(hidden, channels)] * depth + [(rep_out, out_channels)]
    return [(a, b, ca, cb) for (a, ca), (b, cb) in zip(sizes[:-1], sizes[1:])]


def equivariant_mlp(
    rep_in: Rep,
    rep_out: Rep,
    hidden: Rep,
    depth: int,
    *,
    channels: int = 16,
    in_channels: int = 1,
    out_channels: int = 1,
    nonlinearity: Callable | None = None,
    dtype=None,
) -> Layer:
    """IN → hidden → ... → hidden → OUT with ``depth`` hidden layers of ``channels`` copies.

    x has shape (..., in_channels, in); y has shape (..., out_channels, out).
    """
    plan = mlp_layout(rep_in, rep_out, hidden, depth, channels, in_channels, out_channels)
    layers = [equivariant_linear(a.action, a, b, channels=(ca, cb)).layout for a, b, ca, cb in plan]
    act = nonlinearity or auto(hidden)

    def init(key):
        import jax

        keys = jax.random.split(key, len(layers))
        return [init_params(lay, k, dtype) for lay, k in zip(layers, keys)]

    def apply(params, x):
        for i, (lay, p) in enumerate(zip(layers, params)):
            x = apply_layer(lay, p, x)
            if i < len(layers) - 1:
                x = act(x)
        return x

    return Layer(init, apply, layers[0])
