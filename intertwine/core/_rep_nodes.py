"""The expression nodes of a :class:`~intertwine.core.Rep`: the standard reps, the trivial rep,
sums, tensor products, powers, copies, duals, named irreps and derived nodes (Sym, Alt, index
symmetries, det, R), with the precedence used to print them back as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._irrep import IrrepDef
    from ._matrix import Matrix
    from ._rep import Rep


@dataclass(frozen=True)
class Standard:
    """V_f, the standard rep of factor ``factor`` (``V``, or ``V1``, ``V2`` of a product)."""

    factor: int


@dataclass(frozen=True)
class Trivial:
    """``1``: every discrete generator acts as [[1]], every Lie generator as [[0]]."""


@dataclass(frozen=True)
class Sum:
    """``A + B + ...``: block diagonal, blocks in the order written."""

    parts: tuple[Rep, ...]


@dataclass(frozen=True)
class Tensor:
    """``A * B * ...``: row-major Kronecker products."""

    parts: tuple[Rep, ...]


@dataclass(frozen=True)
class Power:
    """``A**k`` (k >= 2): the k-fold tensor product of ``base``."""

    base: Rep
    exponent: int


@dataclass(frozen=True)
class Copies:
    """``k*A`` (k >= 2): k copies of ``base``, as blocks."""

    count: int
    base: Rep


@dataclass(frozen=True)
class Dual:
    """``A*``: ρ(g⁻¹)ᵀ and −dρ(X)ᵀ (groups only)."""

    base: Rep


@dataclass(frozen=True)
class Irrep:
    """A named irreducible rep (``1o``); ``k`` copies print in e3nn's form ``kx1o``."""

    irrep: IrrepDef


class Derived:
    """A node defined in its own module (``Sym``, ``Alt``, index symmetries, ``det``, ``R``).

    It states its dimension, the reps it is built from, its text in the spec language (an atom,
    such as ``Sym(V, 2)``), and the matrix of one generator from the factor matrices ``base``
    (and their inverses ``inv`` when a dual occurs), like every other node.
    """

    def dim(self) -> int:
        raise NotImplementedError

    def children(self) -> tuple[Rep, ...]:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def evaluate(self, kind: str, base: tuple[Matrix, ...], inv: tuple[Matrix, ...] | None):
        raise NotImplementedError


Node = Standard | Trivial | Sum | Tensor | Power | Copies | Dual | Irrep | Derived

_PRECEDENCE = {
    Sum: 1,
    Copies: 1.5,
    Tensor: 2,
    Power: 3,
    Dual: 4,
    Standard: 5,
    Trivial: 5,
    Irrep: 5,
}
