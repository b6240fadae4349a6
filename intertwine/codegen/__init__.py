"""Everything generated from a basis, in three rooms that read one layout:

- :mod:`intertwine.codegen.layout`: plain NumPy; the basis, channels, init scale and the
  application plan (partition diagrams, FFT convolution, gather, scatter, dense);
- :mod:`intertwine.codegen.layers`: live JAX layers (functional core, nonlinearities, MLPs,
  Equinox modules, a Flax linen module);
- :mod:`intertwine.codegen.source`: standalone source for torch, numpy, jax, equinox, flax.

and from the generated PyTorch source, :mod:`intertwine.codegen.deploy`: deployable artifacts
(ONNX models, torch.export + AOTInductor packages) and their loader.

The names below are re-exported from the rooms. Importing this package imports no framework:
JAX loads when a layer is built, Equinox and Flax when their modules are first used.
"""

from .layers import MLP as MLP
from .layers import IrrepGate as IrrepGate
from .layers import Layer as Layer
from .layers import Module as Module
from .layers import Network as Network
from .layers import TensorProductLayer as TensorProductLayer
from .layers import apply_layer as apply_layer
from .layers import equivariant_bilinear as equivariant_bilinear
from .layers import equivariant_linear as equivariant_linear
from .layers import equivariant_mlp as equivariant_mlp
from .layers import gated as gated
from .layers import gated_network as gated_network
from .layers import gated_rep as gated_rep
from .layers import init_params as init_params
from .layers import invariant_network as invariant_network
from .layers import irrep_gate as irrep_gate
from .layers import irrep_network as irrep_network
from .layers import mixed_rep as mixed_rep
from .layers import nonlinearities as nonlinearities
from .layers import num_parameters as num_parameters
from .layers import product_layer as product_layer
from .layers import tensor_product as tensor_product
from .layers import weight as weight
from .layout import LayerLayout as LayerLayout
from .layout import Normalization as Normalization
from .layout import layout_from_basis as layout_from_basis
from .source import TARGETS as TARGETS
from .source import Emitted as Emitted
from .source import emit as emit
from .source import emit_network as emit_network
from .source import emit_tensor_product as emit_tensor_product


def __getattr__(name: str):
    """Equinox modules (EquivariantLinear, EquivariantMLP) and the Flax module EquivariantDense
    load on first use, so that importing intertwine imports neither framework."""
    if name in ("EquivariantLinear", "EquivariantMLP", "EquivariantNetwork", "EquivariantDense"):
        from . import layers

        return getattr(layers, name)
    raise AttributeError(f"module 'intertwine.codegen' has no attribute {name!r}")


__all__ = [
    "EquivariantDense",
    "EquivariantLinear",
    "EquivariantMLP",
    "EquivariantNetwork",
    "Emitted",
    "IrrepGate",
    "Layer",
    "LayerLayout",
    "MLP",
    "Module",
    "Network",
    "Normalization",
    "TARGETS",
    "apply_layer",
    "emit",
    "emit_network",
    "emit_tensor_product",
    "equivariant_bilinear",
    "equivariant_linear",
    "equivariant_mlp",
    "gated",
    "gated_network",
    "gated_rep",
    "init_params",
    "invariant_network",
    "irrep_gate",
    "irrep_network",
    "layout_from_basis",
    "mixed_rep",
    "product_layer",
    "tensor_product",
    "TensorProductLayer",
    "nonlinearities",
    "num_parameters",
    "weight",
]
