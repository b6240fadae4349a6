"""The layout room: one plain-NumPy description of a layer (basis, channels, init scale and the
application plan: partition diagrams, FFT convolution, gather, scatter or dense), read alike by
the JAX layers and by every emitted target. Imports no framework."""

from ._convolution import ConvolutionPlan as ConvolutionPlan
from ._convolution import convolution_plan as convolution_plan
from ._diagram import DiagramLayout as DiagramLayout
from ._diagram import DiagramPlan as DiagramPlan
from ._diagram import diagram_plan as diagram_plan
from ._irrep import IrrepBlock as IrrepBlock
from ._irrep import IrrepPlan as IrrepPlan
from ._irrep import irrep_plan as irrep_plan
from ._choose import BACKENDS as BACKENDS
from ._choose import MODES as MODES
from ._choose import LayerLayout as LayerLayout
from ._choose import layout_from_basis as layout_from_basis
from ._normalize import Normalization as Normalization
from ._normalize import aggregation_counts as aggregation_counts
from ._tensor_product import Segment as Segment
from ._tensor_product import TensorProductPath as TensorProductPath
from ._tensor_product import TensorProductPlan as TensorProductPlan
from ._tensor_product import segments as segments
from ._tensor_product import tensor_product_plan as tensor_product_plan
