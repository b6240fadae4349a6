"""A :class:`Recipe` from one core template: its constants typed once for every target.

A templated core reads its plan through ``$NAME`` (see ``_dialect``): a :class:`Constant` is a
module-level ``NAME = literal`` for NumPy and JAX, and a typed attribute ``self.name: type``
(assigned from ``NAME`` in ``__init__``) of the PyTorch module, as TorchScript needs; an array is
``NAME = _DATA["name"]`` and the PyTorch buffer ``self.name``. So the three cores, the module's
constants and the PyTorch declarations all come from the template, the constants and the
features the plan has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._dialect import JAX, NUMPY, TORCH, instantiate
from ._recipe import Recipe


@dataclass(frozen=True)
class Constant:
    """``NAME = literal`` in the module; ``kind`` is its TorchScript type (``int``,
    ``list[list[int]]``, ...). ``items``: the literal of a list, one item a line when long."""

    name: str
    kind: str
    literal: str = ""
    items: tuple[str, ...] | None = None

    def line(self) -> str:
        if self.items is None:
            return f"{self.name} = {self.literal}"
        one_line = f"{self.name} = [" + ", ".join(self.items) + "]"
        if len(one_line) <= 88 and "\n" not in one_line:
            return one_line
        return f"{self.name} = [\n" + "".join(f"    {item},\n" for item in self.items) + "]"


def listed(name: str, kind: str, items: list[str]) -> Constant:
    """A list constant of TorchScript type ``kind``."""
    return Constant(name, kind, items=tuple(items))


def templated_recipe(
    kind: str,
    template: str,
    arrays: dict[str, np.ndarray],
    constants: list[Constant],
    features: frozenset[str] = frozenset(),
    comments: dict[str, str] | None = None,
) -> Recipe:
    """The :class:`Recipe` of ``template`` (a core in the ``_dialect`` vocabulary): each array
    ``key`` is the constant ``KEY`` (a PyTorch buffer), each constant a module line and a typed
    PyTorch attribute; ``comments`` puts a comment line before the named constant."""
    comments = comments or {}
    lines = [f'{key.upper()} = _DATA["{key}"]' for key in arrays]
    for constant in constants:
        if constant.name in comments:
            lines.append("# " + comments[constant.name])
        lines.append(constant.line())
    # TorchScript infers the scalars' types; the lists are declared (an empty one is ambiguous)
    typed = [c for c in constants if c.kind.startswith("list")]
    attributes = "".join(f"    {c.name.lower()}: {c.kind}\n" for c in typed)
    assign = "".join(f"        self.{c.name.lower()} = {c.name}\n" for c in constants)
    return Recipe(
        kind=kind,
        arrays=arrays,
        constants=tuple(lines),
        numpy_core=instantiate(template, NUMPY, features),
        jax_core=instantiate(template, JAX, features),
        torch_core=instantiate(template, TORCH, features),
        torch_attributes="\n" + attributes,
        torch_assign=assign,
    )
