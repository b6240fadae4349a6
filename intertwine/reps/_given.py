"""A rep given by its generator matrices (an irrep found by ``decompose``), usable as any rep.

``GivenRep`` is a :class:`~intertwine.core.Rep` whose matrices are stored, not computed from an
expression: sums, tensor products, powers and duals with other reps of the same action work as
usual, and ``solve`` takes it like any rep. It prints as its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import Action, Matrix, Rep


@dataclass(frozen=True)
class Given:
    """The expression node of a :class:`GivenRep`: a name and a dimension."""

    name: str
    dim: int


class GivenRep(Rep):
    """A rep of ``action`` with explicit generator (and helper) matrices, in the action's order."""

    __slots__ = ("_mats", "_helper_mats", "_inverses")

    _mats: tuple[Matrix, ...]
    _helper_mats: tuple[Matrix, ...]
    _inverses: dict[int, Matrix]

    def __init__(
        self,
        action: Action,
        name: str,
        generators: tuple[Matrix, ...],
        helpers: tuple[Matrix, ...] = (),
    ):
        dim = generators[0].shape[0] if generators else 1
        super().__init__(action, Given(name, dim))  # type: ignore[arg-type]
        object.__setattr__(self, "_mats", tuple(generators))
        object.__setattr__(self, "_helper_mats", tuple(helpers))
        object.__setattr__(self, "_inverses", {})

    @property
    def dim(self) -> int:
        node = self.node
        assert isinstance(node, Given)
        return node.dim

    @property
    def generators(self) -> tuple[Matrix, ...]:
        return self._mats

    @property
    def helpers(self) -> tuple[Matrix, ...]:
        return self._helper_mats

    def _inverse(self, m: Matrix) -> Matrix:
        key = id(m)
        if key not in self._inverses:
            self._inverses[key] = m.inverse()
        return self._inverses[key]

    def _eval(self, kind: str, base, inv) -> Matrix:
        """The stored matrix of the generator (or helper) whose standard matrices are ``base``;
        its inverse when ``base`` is that element's inverse (inside a dual)."""
        acts = self.action
        for i, g in enumerate(acts.generators):
            if base is g.matrices:
                return self._mats[i]
            if g.kind == "discrete" and acts.is_group and base is acts.inverses[i]:
                return self._inverse(self._mats[i])
        for i, h in enumerate(acts.helpers):
            if base is h and i < len(self._helper_mats):
                return self._helper_mats[i]
            if base is acts.helper_inverses[i] and i < len(self._helper_mats):
                return self._inverse(self._helper_mats[i])
        raise ValueError("GivenRep evaluated on matrices that are not its action's elements")

    def _text(self, parent: float = 0) -> str:
        node = self.node
        assert isinstance(node, Given)
        return node.name
