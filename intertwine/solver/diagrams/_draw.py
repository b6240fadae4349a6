"""Diagrams as text: the tensor powers' names and a one-line drawing of a diagram."""

from __future__ import annotations

from ._enumerate import Diagram


def power_name(k: int) -> str:
    """ "1", "V" or "V**k": the tensor power as the rep language writes it."""
    return "1" if k == 0 else "V" if k == 1 else f"V**{k}"


def draw(diagram: Diagram, k: int, l: int, epsilon: int = -1) -> str:
    """A one-line drawing: the outputs' block letters, then the inputs' (ε for the points of
    the ε block).

    >>> draw((0, 1, 0, 1), 2, 2)
    'out a b | in a b'
    >>> draw((0, 0, 1, 0, 1), 3, 2, epsilon=0)
    'out ε ε | in a ε a'
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    names: dict[int, str] = {}
    for b in diagram:
        if b != epsilon and b not in names:
            names[b] = letters[len(names) % 26]
    marks = ["ε" if b == epsilon else names[b] for b in diagram]
    top = " ".join(marks[:l]) or "-"
    bottom = " ".join(marks[l:]) or "-"
    return f"out {top} | in {bottom}"
