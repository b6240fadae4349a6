"""Layers from bases: the JAX functional core, nonlinearities, MLPs, Equinox modules."""

from . import _nonlinearity as nonlinearities
from ._emit import TARGETS as TARGETS
from ._emit import Emitted as Emitted
from ._emit import emit as emit
from ._jax import Layer as Layer
from ._jax import apply_layer as apply_layer
from ._jax import equivariant_linear as equivariant_linear
from ._jax import init_params as init_params
from ._jax import num_parameters as num_parameters
from ._jax import weight as weight
from ._layout import LayerLayout as LayerLayout
from ._layout import layout_from_basis as layout_from_basis
from ._mlp import equivariant_mlp as equivariant_mlp


def __getattr__(name: str):
    """Equinox modules load lazily, so that importing intertwine never imports Equinox."""
    if name in ("EquivariantLinear", "EquivariantMLP"):
        from . import _equinox

        return getattr(_equinox, name)
    raise AttributeError(f"module 'intertwine.codegen' has no attribute {name!r}")


__all__ = [
    "EquivariantLinear",
    "EquivariantMLP",
    "nonlinearities",
    "Layer",
    "apply_layer",
    "equivariant_linear",
    "init_params",
    "num_parameters",
    "weight",
    "LayerLayout",
    "layout_from_basis",
    "equivariant_mlp",
]
