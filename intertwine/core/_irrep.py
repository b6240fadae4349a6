"""The irreducible representations an action names (e3nn's ``1o``, SO(2)'s frequencies), as values.

An :class:`IrrepDef` gives the matrices of one irreducible representation from the matrices of the
action's standard representation: ``matrix(kind, base)`` maps ρ_V(g) (or dρ_V(A) for a Lie
generator) to ρ_irrep(g) (dρ_irrep(A)). Because it reads the standard matrix rather than a
generator index, the same definition serves generators, helpers and inverses (duals).

``key`` is the irrep's identity up to isomorphism: two irreps of one action with equal keys have
equal matrices, and with different keys are not isomorphic. ``endomorphisms`` is a basis of
End_G(irrep) (1 matrix for a real irrep, 2 for a complex one): by Schur's lemma Hom between two
sums of named irreps is block-structured, with these blocks between copies of the same irrep.
"""

from __future__ import annotations

from typing import Protocol

from ._matrix import Matrix


class IrrepDef(Protocol):
    """One named irrep of an action (implemented in ``intertwine.groups``)."""

    @property
    def name(self) -> str:
        """The name as written, e.g. ``"1o"``."""
        ...

    @property
    def key(self) -> tuple:
        """The isomorphism class: equal keys, equal matrices; different keys, not isomorphic."""
        ...

    @property
    def dim(self) -> int: ...

    def matrix(self, kind: str, base: tuple[Matrix, ...]) -> Matrix:
        """ρ_irrep of the element whose standard matrices are ``base`` (kind discrete or lie)."""
        ...

    def endomorphisms(self) -> tuple[Matrix, ...]:
        """A basis of End_G(irrep), exact."""
        ...
