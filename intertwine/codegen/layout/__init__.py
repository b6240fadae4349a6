"""The layout room: one plain-NumPy description of a layer (basis, channels, init scale and the
application plan: partition diagrams, FFT convolution, gather, scatter, dense or irrep blocks),
read alike by the JAX layers and by every emitted target. Imports no framework.

The plan is one of the typed plans of :data:`Plan`; readers dispatch on its type (``match``,
ending in :func:`assert_never`). Plans and layouts are values, equal and hashed by content.
"""

from ._broadcast import lift as lift
from ._choose import BACKENDS as BACKENDS
from ._choose import layout_from_basis as layout_from_basis
from ._convolution import ConvolutionPlan as ConvolutionPlan
from ._convolution import convolution_plan as convolution_plan
from ._diagram import DiagramClassPlan as DiagramClassPlan
from ._diagram import DiagramPlan as DiagramPlan
from ._diagram import diagram_plan as diagram_plan
from ._formed import DensePlan as DensePlan
from ._formed import GatherPlan as GatherPlan
from ._formed import ScatterPlan as ScatterPlan
from ._invariant import InvariantNetworkPlan as InvariantNetworkPlan
from ._invariant import signed_minors as signed_minors
from ._irrep import IrrepBlock as IrrepBlock
from ._irrep import IrrepPlan as IrrepPlan
from ._irrep import irrep_plan as irrep_plan
from ._layout import LayerLayout as LayerLayout
from ._normalize import Normalization as Normalization
from ._normalize import aggregation_counts as aggregation_counts
from ._plans import MODES as MODES
from ._plans import PLAN_TYPES as PLAN_TYPES
from ._plans import Plan as Plan
from ._plans import assert_never as assert_never
from ._tensor_product import Segment as Segment
from ._tensor_product import TensorProductPath as TensorProductPath
from ._tensor_product import TensorProductPlan as TensorProductPlan
from ._tensor_product import segments as segments
from ._tensor_product import tensor_product_plan as tensor_product_plan
from ._value import Value as Value
from ._value import frozen as frozen
