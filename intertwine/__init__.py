"""intertwine: exact equivariant bases and tied-weight layers for group and monoid actions.

>>> import intertwine as it
>>> it.solve("S(5)", "V**2", "V**2").dim
15

The names below load on first use (PEP 562), so that ``import intertwine`` and the command line's
start-up import nothing heavy: a Ctrl-C during start-up then reaches the command line's own
handler (exit 130, one line) instead of interrupting an import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # ``intertwine.verify`` is the module (``from intertwine.verify import verify,
    # equivariant_to``); calling it, ``intertwine.verify(W, "S(5)", "V", "V")``, calls ``verify``.
    from . import verify as verify
    from .codegen import invariant_network as invariant_network
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
    from .reps import IrrepCoordinates as IrrepCoordinates
    from .reps import character_table as character_table
    from .reps import clebsch_gordan as clebsch_gordan
    from .reps import decompose as decompose
    from .reps import to_irreps as to_irreps
    from .solver import Basis as Basis
    from .solver import invariants as invariants
    from .solver import solve as solve
    from .spec import parse_action as parse_action
    from .spec import parse_rep as parse_rep
    from .spec import resolve as resolve

__version__ = "0.1.0"

_LAZY = {
    "invariant_network": ".codegen",
    "Action": ".core",
    "Matrix": ".core",
    "Rep": ".core",
    "alt": ".core",
    "det": ".core",
    "embedding": ".core",
    "index_tensor": ".core",
    "regular": ".core",
    "sym": ".core",
    "ActionError": ".errors",
    "EmptyLayerWarning": ".errors",
    "IntertwineError": ".errors",
    "IntertwineWarning": ".errors",
    "RepError": ".errors",
    "SolverError": ".errors",
    "SpecError": ".errors",
    "VerificationError": ".errors",
    "ClebschGordan": ".reps",
    "Decomposition": ".reps",
    "character_table": ".reps",
    "clebsch_gordan": ".reps",
    "decompose": ".reps",
    "IrrepCoordinates": ".reps",
    "to_irreps": ".reps",
    "Basis": ".solver",
    "invariants": ".solver",
    "solve": ".solver",
    "parse_action": ".spec",
    "parse_rep": ".spec",
    "resolve": ".spec",
}
_SUBMODULES = (
    "verify",
    "core",
    "groups",
    "monoids",
    "spec",
    "solver",
    "codegen",
    "recursion",
    "reps",
    "errors",
    "testing",
)
__all__ = sorted([*_LAZY, "verify", "action", "rep", "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


def action(spec: Action | str) -> Action:
    """The action a spec string names, e.g. ``action("S(5)")`` or ``action("O(1,3)")``."""
    from .spec import resolve_action

    return resolve_action(spec)


def rep(action: Action | str, spec: Rep | str) -> Rep:
    """The rep an expression names for an action (action first, as everywhere).

    >>> rep("S(5)", "V**2").dim
    25
    """
    from .spec import resolve

    return resolve(action, spec)[1]
