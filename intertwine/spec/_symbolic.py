"""Group specs written with the letter n (``S(n)``, ``O(n)``, ``SO(n)``, ``Sp(n)``): the diagram
families whose bases can be listed for every n at once.

:func:`symbolic_action` reads such a spec with the group parser's tokens and returns the family's
action at a stand-in n (enough to read the reps: their tensor degrees do not depend on n), or
None for any other spec.

>>> symbolic_action("SO(n)").family
Orthogonal(p=8, q=0, special=True)
>>> symbolic_action("SO(3)") is None
True
"""

from __future__ import annotations

from ..core import Action
from ..errors import SpecError
from ._groups import _tokens
from ._registry import REGISTRY

# the families with diagram rules for every n, and the n their stand-in action is built at
STAND_IN_N = {"S": 8, "O": 8, "SO": 8, "Sp": 4}


def symbolic_action(text: str) -> Action | None:
    """The stand-in action of ``text`` when it names a diagram family with the letter n."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    try:
        tokens = _tokens(text.strip())
    except SpecError:
        return None
    if len(tokens) != 4 or tokens[1:] != ["(", "n", ")"] or tokens[0] not in STAND_IN_N:
        return None
    return REGISTRY[tokens[0]].builders[1](STAND_IN_N[tokens[0]])


def is_symbolic(text: str) -> bool:
    """True for ``S(n)``, ``O(n)``, ``SO(n)`` or ``Sp(n)`` written with the letter n."""
    return symbolic_action(text) is not None
