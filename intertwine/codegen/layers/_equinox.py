"""Equinox modules over the functional core (``pip install intertwine[equinox]``).

The only array leaves are θ and the bias coefficients; the layout (tying index, signs, bias basis)
is a static field, so ``eqx.filter_grad`` trains exactly the tied weights.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import IntertwineError
from ..layout import LayerLayout
from ._core import apply_layer, init_params, jax_layout
from ._mlp import mlp_layout
from ._nonlinearity import auto

try:
    import equinox as eqx
except ImportError:  # pragma: no cover - optional dependency
    eqx = None  # type: ignore[assignment]


def _need_equinox() -> None:
    if eqx is None:
        raise IntertwineError("Equinox is not installed: pip install 'intertwine[equinox]'")


if eqx is not None:

    class EquivariantLinear(eqx.Module):
        """Equinox layer: ``EquivariantLinear("S(5)", "V**2", "V**2", channels=(4, 8), key=k)``."""

        theta: object
        bias: object
        layout: LayerLayout = eqx.field(static=True)
        channels: bool = eqx.field(static=True)

        def __init__(
            self,
            basis_or_action,
            rep_in=None,
            rep_out=None,
            *,
            key,
            channels=None,
            bias: bool = True,
            dtype=None,
        ):
            self.layout = jax_layout(basis_or_action, rep_in, rep_out, channels=channels, bias=bias)
            params = init_params(self.layout, key, dtype)
            self.theta = params["theta"]
            self.bias = params.get("bias")
            self.channels = channels is not None

        @property
        def layouts(self) -> tuple[LayerLayout, ...]:
            """The layouts of its linear maps, first to last: here one."""
            return (self.layout,)

        def __repr__(self) -> str:
            return f"EquivariantLinear({self.layout.describe()}, mode={self.layout.mode})"

        def __call__(self, x):
            params = {"theta": self.theta}
            if self.bias is not None:
                params["bias"] = self.bias
            return apply_layer(self.layout, params, x, self.channels)

    class EquivariantMLP(eqx.Module):
        """IN → hidden (``depth`` layers of ``channels`` copies) → OUT, with a checked
        nonlinearity (relu for permutation-like reps, a norm gate for orthogonal ones)."""

        layers: list
        act: Callable = eqx.field(static=True)
        channels: bool = eqx.field(static=True)

        def __init__(
            self,
            action,
            rep_in,
            rep_out,
            hidden,
            depth: int,
            *,
            key,
            channels: int = 16,
            in_channels: int | None = None,
            out_channels: int | None = None,
            nonlinearity=None,
            dtype=None,
        ):
            import jax

            # shapes as equivariant_mlp: (..., in) -> (..., out), or with channel axes on both
            # sides when in_channels or out_channels is given
            self.channels = in_channels is not None or out_channels is not None
            in_channels, out_channels = in_channels or 1, out_channels or 1
            hid, plan = mlp_layout(
                action, rep_in, rep_out, hidden, depth, channels, in_channels, out_channels
            )
            keys = jax.random.split(key, len(plan))
            self.layers = [
                EquivariantLinear(a.action, a, b, key=k, channels=(ca, cb), dtype=dtype)
                for (a, b, ca, cb), k in zip(plan, keys)
            ]
            self.act = nonlinearity or auto(hid)

        @property
        def layouts(self) -> tuple[LayerLayout, ...]:
            """The layouts of its linear maps, first to last."""
            return tuple(layer.layout for layer in self.layers)

        def __repr__(self) -> str:
            return f"EquivariantMLP({len(self.layers)} layers: {self.layers[0].layout.describe()})"

        def __call__(self, x):
            if not self.channels:
                x = x[..., None, :]
            for i, layer in enumerate(self.layers):
                x = layer(x)
                if i < len(self.layers) - 1:
                    x = self.act(x)
            return x if self.channels else x[..., 0, :]

    class EquivariantNetwork(eqx.Module):
        """:func:`gated_network` as an Equinox module: the parameters are the module's leaves,
        the structure (layers, gates, products) is static. Called on (..., dim IN); the keyword
        options (``bilinear``, ``product_head``, ``max_copies``, ``scalar_fn``) go to
        :func:`gated_network`."""

        params: Any
        network: Any = eqx.field(static=True)

        def __init__(self, action, rep_in, rep_out, hidden, depth: int, *, key, **options):
            from ._network import gated_network

            self.network = gated_network(action, rep_in, rep_out, hidden, depth, **options)
            self.params = self.network.init(key)

        def __repr__(self) -> str:
            return f"EquivariantNetwork({self.network.description})"

        def __call__(self, x):
            return self.network.apply(self.params, x)

else:  # pragma: no cover

    class EquivariantNetwork:  # type: ignore[no-redef]
        def __init__(self, *args, **kwargs):
            _need_equinox()

    class EquivariantLinear:  # type: ignore[no-redef]
        def __init__(self, *args, **kwargs):
            _need_equinox()

    class EquivariantMLP:  # type: ignore[no-redef]
        def __init__(self, *args, **kwargs):
            _need_equinox()
