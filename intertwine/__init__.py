"""intertwine: exact equivariant bases and tied-weight layers for group and monoid actions.

>>> import intertwine as it
>>> it.solve("S(5)", "V**2", "V**2").dim
15
"""

from .core import Action as Action
from .core import Matrix as Matrix
from .core import Rep as Rep
from .errors import ActionError as ActionError
from .errors import IntertwineError as IntertwineError
from .errors import RepError as RepError
from .errors import SolverError as SolverError
from .errors import SpecError as SpecError
from .errors import VerificationError as VerificationError
from .solver import Basis as Basis
from .solver import invariants as invariants
from .solver import solve as solve
from .spec import parse_action as parse_action
from .spec import parse_rep as parse_rep

# ``intertwine.verify(obj, action, rep_in, rep_out)`` is the function; its module stays importable
# as ``intertwine.verify`` through sys.modules (``from intertwine.verify import equivariant_to``).
from .verify import verify as verify  # noqa: E402

__version__ = "0.1.0"


def action(spec: str) -> Action:
    """The action a spec string names, e.g. ``action("S(5)")`` or ``action("O(1,3)")``."""
    return parse_action(spec)


def rep(spec: str, action_spec: "Action | str") -> Rep:
    """The rep an expression names for an action, e.g. ``rep("V**2", "S(5)")``."""
    a = parse_action(action_spec) if isinstance(action_spec, str) else action_spec
    return parse_rep(spec, a)
