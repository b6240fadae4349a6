"""The solver: constraints, the orbit/exact/numeric/iterative methods, the Basis value, a cache.

Also re-exported: what the codegen layout reads of the diagram and Schur machinery
(``diagram_classes``, ``Forms``, ``reduce_plan``, ``schedule``, ``apply_steps``, ``mobius_matrix``,
``levi_civita``, ``irrep_summands``, ``MAX_MATERIALISED``), so that no other package imports the
solver's private modules."""

from ._basis import Basis as Basis
from ._basis_protocol import BasisLike as BasisLike
from ._cache import cache_dir as cache_dir
from ._cache import clear_cache as clear_cache
from ._constraints import Constraint as Constraint
from ._constraints import constraints as constraints
from ._float_rank import DEFAULT_TOL as DEFAULT_TOL
from ._json import refuse_before_solving as refuse_before_solving
from ._orbit import Tying as Tying
from ._orbit import orbit_tying as orbit_tying
from ._public import every_n as every_n
from ._schur import irrep_summands as irrep_summands
from ._solve import METHODS as METHODS
from ._solve import invariants as invariants
from ._solve import solve as solve
from .diagrams import MAX_MATERIALISED as MAX_MATERIALISED
from .diagrams import DiagramBasis as DiagramBasis
from .diagrams import DiagramStep as DiagramStep
from .diagrams import DiagramTerm as DiagramTerm
from .diagrams import EveryN as EveryN
from .diagrams import Forms as Forms
from .diagrams import Schedule as Schedule
from .diagrams import apply_steps as apply_steps
from .diagrams import diagram_classes as diagram_classes
from .diagrams import levi_civita as levi_civita
from .diagrams import mobius_matrix as mobius_matrix
from .diagrams import reduce_plan as reduce_plan
from .diagrams import schedule as schedule
