"""The solver's public entry points that take spec strings: the one place in the solver that
reads them (through :func:`intertwine.spec.resolve`); everything below takes values."""

from __future__ import annotations

from dataclasses import replace

from ..core import Rep
from ..errors import ActionError
from .diagrams import EveryN, every_n_of


def every_n(group: str, rep_in: Rep | str, rep_out: Rep | str) -> EveryN:
    """The diagrams and dimensions of ``group`` written with a symbolic n (``"S(n)"``).

    >>> e = every_n("S(n)", "V**2", "V**2")
    >>> e.dimension_text()
    '15 for n >= 4; 1 for n = 1, 8 for n = 2, 14 for n = 3'
    """
    from ..spec import parse_rep, symbolic_action

    stand_in = symbolic_action(group)
    if stand_in is None:
        raise ActionError(f"{group!r} is not S(n), O(n), SO(n) or Sp(n) with the letter n")
    a, b = parse_rep(stand_in, rep_in), parse_rep(stand_in, rep_out)
    return replace(every_n_of(stand_in, a, b), rep_in=str(rep_in), rep_out=str(rep_out))
