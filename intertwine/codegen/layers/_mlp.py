"""A multilayer perceptron of equivariant linear layers and checked nonlinearities."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ...core import Action, Rep
from ...errors import IntertwineError
from ...spec import resolve
from ..layout import LayerLayout
from ._core import apply_layer, equivariant_linear, init_params
from ._module import Apply, Init
from ._nonlinearity import auto


def jnp_asarray(x):
    import jax.numpy as jnp

    return jnp.asarray(x)


def mlp_layout(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: Rep | str,
    depth: int,
    channels: int,
    in_channels: int,
    out_channels: int,
) -> tuple[Rep, list[tuple[Rep, Rep, int, int]]]:
    """The hidden rep and the (rep_in, rep_out, c_in, c_out) of each layer of an MLP."""
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise IntertwineError(f"depth must be a positive int, not {depth!r}")
    for what, c in (("channels", channels), ("in_channels", in_channels), ("out", out_channels)):
        if not isinstance(c, int) or isinstance(c, bool) or c < 1:
            raise IntertwineError(f"{what} must be a positive int, not {c!r}")
    _, ri, ro, hid = resolve(action, rep_in, rep_out, hidden)
    sizes = [(ri, in_channels)] + [(hid, channels)] * depth + [(ro, out_channels)]
    return hid, [(a, b, ca, cb) for (a, ca), (b, cb) in zip(sizes[:-1], sizes[1:])]


def equivariant_mlp(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: Rep | str,
    depth: int,
    *,
    channels: int = 16,
    in_channels: int | None = None,
    out_channels: int | None = None,
    nonlinearity: Callable | None = None,
    dtype=None,
) -> MLP:
    """IN → hidden → ... → hidden → OUT with ``depth`` hidden layers of ``channels`` copies.

    Shapes follow the layers' rule: one vector per example, x (..., in) → y (..., out), as
    :func:`gated_network`; with ``in_channels`` or ``out_channels`` given, channel axes on both
    sides, x (..., in_channels, in) → y (..., out_channels, out). (A channel axis of size 1 is
    one more batch axis, so (batch, 1, in) still gives (batch, 1, out).)

    >>> import jax
    >>> mlp = equivariant_mlp("S(6)", "V", "1", "V", depth=2, channels=8)
    >>> mlp
    MLP(S(6): V -> 1, hidden 2 x 8*(V), 3 layers)
    >>> mlp.apply(mlp.init(jax.random.PRNGKey(0)), jax.numpy.ones((5, 6))).shape
    (5, 1)
    """
    has_channels = in_channels is not None or out_channels is not None
    in_channels, out_channels = in_channels or 1, out_channels or 1
    hid, plan = mlp_layout(
        action, rep_in, rep_out, hidden, depth, channels, in_channels, out_channels
    )
    layers = [equivariant_linear(a.action, a, b, channels=(ca, cb)).layout for a, b, ca, cb in plan]
    act = nonlinearity or auto(hid)

    def init(key):
        import jax

        keys = jax.random.split(key, len(layers))
        return [init_params(lay, k, dtype) for lay, k in zip(layers, keys)]

    def apply(params, x):
        if not has_channels:  # one vector per example: a channel axis of size 1 inside
            x = jnp_asarray(x)[..., None, :]
        for i, (lay, p) in enumerate(zip(layers, params)):
            x = apply_layer(lay, p, x)
            if i < len(layers) - 1:
                x = act(x)
        return x if has_channels else x[..., 0, :]

    return MLP(init, apply, layers[0], tuple(layers))


class MLP(NamedTuple):
    """A pure MLP: ``init(key) -> params`` (one dict per layer), ``apply(params, x) -> y`` (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
    layout: LayerLayout  # the first layer's
    layouts: tuple[LayerLayout, ...]

    def __repr__(self) -> str:
        first, last = self.layouts[0], self.layouts[-1]
        return (
            f"MLP({first.group}: {first.rep_in} -> {last.rep_out}, hidden "
            f"{len(self.layouts) - 1} x {first.c_out}*({first.rep_out}), "
            f"{len(self.layouts)} layers)"
        )

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<li>{html.escape(layout.describe())}, mode {layout.mode}</li>"
            for layout in self.layouts
        )
        return f"<b>MLP</b>, {len(self.layouts)} layers:<ol>{rows}</ol>"
