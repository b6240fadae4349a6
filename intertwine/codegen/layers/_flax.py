"""A Flax linen module over the functional core (``pip install intertwine[flax]``).

Its parameters are "theta" (c_out, c_in, dim) and "bias" (c_out, bias_dim); the layout is a
module attribute (static), so ``module.init`` and ``jax.grad`` see only the tied weights.
"""

from __future__ import annotations

from ...errors import IntertwineError
from ..layout import LayerLayout
from ._core import apply_layer, init_params, jax_layout

try:
    import flax.linen as nn
except ImportError:  # pragma: no cover - optional dependency
    nn = None  # type: ignore[assignment]


if nn is not None:

    class EquivariantDense(nn.Module):
        """Flax linen layer: ``EquivariantDense.build("S(5)", "V**2", "V**2", channels=(4, 8))``,
        then ``variables = module.init(key, x)`` and ``module.apply(variables, x)``."""

        layout: LayerLayout
        channels: bool = True

        @classmethod
        def build(cls, basis_or_action, rep_in=None, rep_out=None, *, channels=None, bias=True):
            layout = jax_layout(basis_or_action, rep_in, rep_out, channels=channels, bias=bias)
            return cls(layout=layout, channels=channels is not None)

        @nn.compact
        def __call__(self, x):
            lay = self.layout
            params = {"theta": self.param("theta", lambda k: init_params(lay, k)["theta"])}
            if lay.bias_basis is not None:
                params["bias"] = self.param("bias", lambda k: init_params(lay, k)["bias"])
            return apply_layer(lay, params, x, self.channels)

else:  # pragma: no cover

    class EquivariantDense:  # type: ignore[no-redef]
        def __init__(self, *args, **kwargs):
            raise IntertwineError("Flax is not installed: pip install 'intertwine[flax]'")

        @classmethod
        def build(cls, *args, **kwargs):
            raise IntertwineError("Flax is not installed: pip install 'intertwine[flax]'")
