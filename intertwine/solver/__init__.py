"""The solver: constraints, the orbit/exact/numeric/iterative methods, the Basis value, a cache."""

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
from .diagrams import DiagramBasis as DiagramBasis
from .diagrams import DiagramTerm as DiagramTerm
from .diagrams import EveryN as EveryN
