"""One door from user input to values: spec strings or values in, an Action and Reps out.

Every public entry point (solve, layers, MLPs, verify, emit, the CLI) takes the action first and
then the reps, each either a value or a spec string, and passes them through :func:`resolve`.

>>> action, rep_in, rep_out = resolve("S(4)", "V", "V**2")
>>> action.name, rep_in.dim, rep_out.dim
('S(4)', 4, 16)
"""

from __future__ import annotations

from typing import Any, overload

from ..core import Action, Rep
from ..errors import SpecError
from ._groups import parse_action
from ._reps import parse_rep


def resolve_action(action: Action | str) -> Action:
    """An Action from a value or a spec string such as ``"S(5)"``."""
    if isinstance(action, Action):
        return action
    if isinstance(action, Rep):
        raise SpecError(
            f"expected an action first, got the rep {action}; pass the action, then the reps "
            f"(e.g. solve({action.action.name!r}, {str(action)!r}, ...))"
        )
    if not isinstance(action, str):
        raise SpecError(
            f"an action is an Action or a spec string like 'S(5)', not {type(action).__name__}"
        )
    return parse_action(action)


@overload
def resolve(action: Action | str, rep: Rep | str, /) -> tuple[Action, Rep]: ...
@overload
def resolve(
    action: Action | str, rep_in: Rep | str, rep_out: Rep | str, /
) -> tuple[Action, Rep, Rep]: ...
@overload
def resolve(action: Action | str, *reps: Rep | str) -> tuple[Any, ...]: ...


def resolve(action: Action | str, *reps: Rep | str) -> tuple[Any, ...]:
    """(action, rep, ...) as values; each rep must belong to the action."""
    a = resolve_action(action)
    return (a, *(parse_rep(a, r) for r in reps))
