"""intertwine: exact equivariant bases and tied-weight layers for group and monoid actions.

>>> import intertwine as it
>>> it.solve("S(5)", "V**2", "V**2").dim
15
"""

# ``intertwine.verify`` is the module (``from intertwine.verify import verify, equivariant_to``);
# calling it, ``intertwine.verify(W, "S(5)", "V", "V")``, calls ``verify``.
from . import verify as verify  # noqa: E402
from .core import Action as Action
from .core import Matrix as Matrix
from .core import Rep as Rep
from .core import alt as alt
from .core import det as det
from .core import embedding as embedding
from .core import index_tensor as index_tensor
from .core import regular as regular
from .core import sym as sym
from .errors import ActionError as ActionError
from .errors import EmptyLayerWarning as EmptyLayerWarning
from .errors import IntertwineError as IntertwineError
from .errors import IntertwineWarning as IntertwineWarning
from .errors import RepError as RepError
from .errors import SolverError as SolverError
from .errors import SpecError as SpecError
from .errors import VerificationError as VerificationError
from .reps import ClebschGordan as ClebschGordan
from .reps import Decomposition as Decomposition
from .reps import character_table as character_table
from .reps import clebsch_gordan as clebsch_gordan
from .reps import decompose as decompose
from .solver import Basis as Basis
from .solver import invariants as invariants
from .solver import solve as solve
from .spec import parse_action as parse_action
from .spec import parse_rep as parse_rep
from .spec import resolve as resolve
from .spec import resolve_action

__version__ = "0.1.0"


def action(spec: Action | str) -> Action:
    """The action a spec string names, e.g. ``action("S(5)")`` or ``action("O(1,3)")``."""
    return resolve_action(spec)


def rep(action: Action | str, spec: Rep | str) -> Rep:
    """The rep an expression names for an action (action first, as everywhere).

    >>> rep("S(5)", "V**2").dim
    25
    """
    return resolve(action, spec)[1]
