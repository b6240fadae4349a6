"""Which actions name their irreps, and how: one table keyed by the action's family.

The rep parser reads irreps notation through :func:`irrep_named`: e3nn's ``l`` and parity
``e``/``o`` for SO(3) and O(3) (``_so3_irreps``), frequencies for SO(2) and O(2)
(``_planar_irreps``). Other families have no names here (yet).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core import Action, Family, IrrepDef, Orthogonal
from ..errors import SpecError
from ._planar_irreps import parse_planar
from ._so3_irreps import parse_so3

NAMINGS: dict[Family, Callable[[str], IrrepDef]] = {
    Orthogonal(3, special=True): lambda name: parse_so3(name, with_parity=False),
    Orthogonal(3): lambda name: parse_so3(name, with_parity=True),
    Orthogonal(2, special=True): lambda name: parse_planar(name, reflections=False),
    Orthogonal(2): lambda name: parse_planar(name, reflections=True),
}


def irrep_named(action: Action, name: str) -> IrrepDef:
    """The irrep ``name`` of ``action`` (e.g. ``"1o"`` of O(3)); SpecError if it has none."""
    naming = None if action.family is None else NAMINGS.get(action.family)
    if naming is None:
        raise SpecError(
            f"{action.name} has no irreps notation ({name!r}); irreps are named for SO(3) and "
            f"O(3) (e3nn's 1o, 2e) and for SO(2) and O(2) (frequencies 1x0, 1x2); build other "
            f"reps from V"
        )
    return naming(name)


TRIVIAL_NAMES: dict[Family | None, str] = {Orthogonal(2, special=True): "0"}


def trivial_irrep(action: Action) -> IrrepDef:
    """The trivial irrep of an action that names its irreps (``0e``, or ``0`` for SO(2))."""
    return irrep_named(action, TRIVIAL_NAMES.get(action.family, "0e"))


def has_irrep_names(action: Action) -> bool:
    """Whether ``action`` names its irreps (SO(2), O(2), SO(3), O(3))."""
    return action.family in NAMINGS
