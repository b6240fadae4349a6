"""The diagram method: closed-form bases for S(n), O(n), SO(n), O(p,q), SO(p,q) and Sp(n).

One rules object per family (``_rules``), the diagrams and their counts (``_enumerate``), the
invariant forms (``_forms``), the one matrix-free application (``_apply``, in the order of its
``_schedule``), the method (``_method``), its check (``_check``), certified ranks (``_rank``),
the basis value (``_value``) with its text (``_text``) and IO (``_io``), and the dimensions for
every n (``_every_n``).
"""

from ._apply import DiagramClass as DiagramClass
from ._apply import DiagramStep as DiagramStep
from ._apply import apply_basis as apply_basis
from ._apply import apply_steps as apply_steps
from ._apply import diagram_classes as diagram_classes
from ._apply import reduce_plan as reduce_plan
from ._check import check_diagram_basis as check_diagram_basis
from ._check_entries import check_entries as check_entries
from ._degrees import applies as applies
from ._degrees import tensor_degrees as tensor_degrees
from ._draw import draw as draw
from ._draw import power_name as power_name
from ._enumerate import MAX_DIAGRAMS as MAX_DIAGRAMS
from ._enumerate import Diagram as Diagram
from ._enumerate import blocks as blocks
from ._enumerate import double_factorial as double_factorial
from ._enumerate import levi_civita as levi_civita
from ._enumerate import mobius_matrix as mobius_matrix
from ._enumerate import partition_count as partition_count
from ._enumerate import perfect_matchings as perfect_matchings
from ._enumerate import set_partitions as set_partitions
from ._enumerate import stirling2 as stirling2
from ._every_n import EveryN as EveryN
from ._every_n import every_n_of as every_n_of
from ._forms import Forms as Forms
from ._method import solve_diagrams as solve_diagrams
from ._rank import invariant_dimension as invariant_dimension
from ._rules import DiagramRules as DiagramRules
from ._rules import OrthogonalRules as OrthogonalRules
from ._rules import SymmetricRules as SymmetricRules
from ._rules import SymplecticRules as SymplecticRules
from ._rules import rules_for as rules_for
from ._schedule import Placement as Placement
from ._schedule import Reduction as Reduction
from ._schedule import Schedule as Schedule
from ._schedule import schedule as schedule
from ._value import MAX_MATERIALISED as MAX_MATERIALISED
from ._value import DiagramBasis as DiagramBasis
from ._value import DiagramTerm as DiagramTerm
