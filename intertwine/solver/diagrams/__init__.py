"""The diagram method: closed-form bases for S(n), O(n), SO(n), O(p,q), SO(p,q) and Sp(n)."""

from ._every_n import EveryN as EveryN
from ._every_n import every_n as every_n
from ._every_n import is_symbolic as is_symbolic
from ._value import MAX_MATERIALISED as MAX_MATERIALISED
from ._value import DiagramBasis as DiagramBasis
from ._value import DiagramTerm as DiagramTerm
from ._value import applies as applies
from ._value import diagram_classes as diagram_classes
from ._value import solve_diagrams as solve_diagrams
from ._value import tensor_degrees as tensor_degrees
from ._rank import invariant_dimension as invariant_dimension
from ._tensors import Forms as Forms
from ._tensors import apply_steps as apply_steps
from ._tensors import blocks as blocks
from ._tensors import levi_civita as levi_civita
from ._tensors import mobius_matrix as mobius_matrix
from ._tensors import partition_count as partition_count
from ._tensors import reduce_plan as reduce_plan
