"""Spec strings: the group/monoid parser, the rep-expression parser, custom JSON actions, and
:func:`resolve`, the one helper that turns strings or values into an Action and its Reps."""

from ._custom import action_from_dict as action_from_dict
from ._custom import load_custom_action as load_custom_action
from ._groups import parse_action as parse_action
from ._registry import CUSTOM_EXAMPLE as CUSTOM_EXAMPLE
from ._registry import PRODUCT_EXAMPLE as PRODUCT_EXAMPLE
from ._registry import REGISTRY as REGISTRY
from ._rep_names import REP_NAMES as REP_NAMES
from ._rep_names import RepName as RepName
from ._reps import parse_rep as parse_rep
from ._resolve import resolve as resolve
from ._resolve import resolve_action as resolve_action
from ._symbolic import is_symbolic as is_symbolic
from ._symbolic import symbolic_action as symbolic_action
