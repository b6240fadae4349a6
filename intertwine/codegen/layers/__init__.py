"""The layers room: live JAX layers read from a layout (functional core, nonlinearities, MLPs),
with Equinox modules and a Flax linen module loaded lazily. JAX itself is imported only when a
layer is built or applied, never by ``import intertwine``."""

from . import _nonlinearity as nonlinearities  # noqa: F401  (re-exported)
from ._apply import weight as weight
from ._core import Layer as Layer
from ._core import apply_layer as apply_layer
from ._core import equivariant_linear as equivariant_linear
from ._core import init_params as init_params
from ._core import num_parameters as num_parameters
from ._gated import gated as gated
from ._gated import gated_rep as gated_rep
from ._gated import mixed_rep as mixed_rep
from ._invariant import invariant_network as invariant_network
from ._irrep_network import IrrepGate as IrrepGate
from ._irrep_network import gate_input as gate_input
from ._irrep_network import irrep_gate as irrep_gate
from ._irrep_network import irrep_network as irrep_network
from ._mlp import MLP as MLP
from ._mlp import equivariant_mlp as equivariant_mlp
from ._module import Apply as Apply
from ._module import Init as Init
from ._module import Module as Module
from ._network import Network as Network
from ._network import equivariant_bilinear as equivariant_bilinear
from ._network import gated_network as gated_network
from ._network import product_layer as product_layer
from ._tensor_product import TensorProductLayer as TensorProductLayer
from ._tensor_product import tensor_product as tensor_product

_LAZY = {
    "EquivariantLinear": "_equinox",
    "EquivariantMLP": "_equinox",
    "EquivariantNetwork": "_equinox",
    "EquivariantDense": "_flax",
}


def __getattr__(name: str):
    """Equinox and Flax modules load on first use, so that importing intertwine imports
    neither."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
