"""The named family an action's generators come from, as a typed value.

A built-in group knows which classical family it belongs to; the solver's closed forms (the
diagram bases of Brauer 1937 and Maron et al. 2019) and the irreps notation apply only to these.
:attr:`Action.family` holds one of the values below, or None for any other action (custom JSON
actions, products, monoids). Equality of actions still compares generators alone.

- :class:`Symmetric` ``S(n)``: all permutations of n points;
- :class:`Orthogonal` ``O(n)``, ``SO(n)`` (``q = 0``) and ``O(p,q)``, ``SO(p,q)`` (``q >= 1``):
  the maps preserving diag(+1 ×p, −1 ×q), of determinant 1 when ``special``;
- :class:`Symplectic` ``Sp(r)``: the maps of R^{2r} preserving J = [[0, I], [−I, 0]];
- :class:`Planar` ``C(k)``, ``D(k)``: the rotations of R² by multiples of 2π/k, with the
  reflections when ``reflections``.

>>> Orthogonal(1, 3).code, Orthogonal(3, special=True).code, Symplectic(2).dimension
('Opq', 'SO', 4)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Symmetric:
    """S(n) acting on R^n by permuting coordinates."""

    n: int

    @property
    def code(self) -> str:
        return "S"

    @property
    def dimension(self) -> int:
        """The dimension of the standard representation V."""
        return self.n


@dataclass(frozen=True)
class Orthogonal:
    """O(p,q) (SO(p,q) when ``special``) on R^(p+q); ``q = 0`` is O(n) (SO(n))."""

    p: int
    q: int = 0
    special: bool = False

    @property
    def n(self) -> int:
        return self.p + self.q

    @property
    def signature(self) -> tuple[int, int] | None:
        """(p, q) for an indefinite form, None for the Euclidean one."""
        return (self.p, self.q) if self.q else None

    @property
    def code(self) -> str:
        """ "O", "SO", "Opq" or "SOpq": the family's name in saved files and JSON."""
        return ("SO" if self.special else "O") + ("pq" if self.q else "")

    @property
    def dimension(self) -> int:
        return self.p + self.q


@dataclass(frozen=True)
class Symplectic:
    """Sp(r) acting on R^(2r)."""

    r: int

    @property
    def code(self) -> str:
        return "Sp"

    @property
    def dimension(self) -> int:
        return 2 * self.r


@dataclass(frozen=True)
class Planar:
    """C(k) (D(k) with ``reflections``) acting on R²."""

    k: int
    reflections: bool = False

    @property
    def code(self) -> str:
        return "D" if self.reflections else "C"

    @property
    def dimension(self) -> int:
        return 2


Family = Symmetric | Orthogonal | Symplectic | Planar
