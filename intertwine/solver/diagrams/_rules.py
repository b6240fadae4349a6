"""One rules object per diagram family: which diagrams span, how many are independent, the forms.

:func:`rules_for` picks the rules of an action's :class:`~intertwine.core.Family` by a ``match``
that mypy checks for exhaustiveness (a new family that is not handled here fails type checking).
Adding a family is one dataclass in ``core/_family.py``, one rules class here, one ``case`` line
and one conformance test (``tests/solver/diagrams/test_diagram_families.py``).

- :class:`SymmetricRules` (S(n); Maron et al., ICLR 2019): the orbit tensors O_π of the set
  partitions with at most n blocks, independent for every n, Σ_{t ≤ n} S(m, t) of them.
- :class:`OrthogonalRules` (O(n), SO(n), O(p,q), SO(p,q); Brauer 1937, Pearce-Crump 2023): the
  Brauer diagrams, and the ε diagrams for the special groups; where they are dependent (small n)
  an independent subset of the certified dimension (Pieri walk counts, ``_rank``).
- :class:`SymplecticRules` (Sp(r) on R^(2r)): the Brauer diagrams with J, selected likewise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from ...core import Family, Orthogonal, Planar, Symmetric, Symplectic
from ._enumerate import (
    Diagram,
    blocks,
    epsilon_diagrams,
    partition_count,
    perfect_matchings,
    set_partitions,
)
from ._forms import Forms, euclidean, lorentzian, symplectic
from ._rank import independent_diagrams, invariant_dimension

CERTIFY_ALL = 2000  # spanning sets up to this size are proved independent mod p as well
Report = Callable[[str], None] | None
Part = tuple[Diagram, int]  # a diagram and the label of its ε block (−1 for none)


@dataclass(frozen=True)
class SymmetricRules:
    """S(n): partition diagrams, applied as orbit tensors."""

    family: Symmetric
    tensor = "orbit"
    epsilon = False
    dual_is_v = True
    first_n = 1

    @property
    def n(self) -> int:
        return self.family.n

    def at(self, n: int) -> SymmetricRules:
        return SymmetricRules(Symmetric(n))

    def forms(self) -> Forms:
        return euclidean(self.n)

    def dimension(self, m: int) -> int:
        """dim Hom(V^⊗k, V^⊗l) for k + l = m: Σ_{t ≤ n} S(m, t)."""
        return partition_count(m, self.n)

    def basis(self, k: int, l: int, report: Report = None) -> list[Part]:
        return [(d, -1) for d in set_partitions(k + l, self.n)]

    def generic(self, m: int) -> list[Diagram]:
        """The diagrams that span for every n (a basis from n = m)."""
        return set_partitions(m, m)

    def stable_from(self, m: int) -> int:
        return max(m, 1)


def brauer_spanning(m: int, n: int, epsilon: bool) -> list[Part]:
    """The Brauer diagrams on m points, and the ε diagrams when ``epsilon``."""
    parts = [(d, -1) for d in perfect_matchings(m)]
    return parts + (epsilon_diagrams(m, n) if epsilon else [])


def brauer_basis(k: int, l: int, n: int, walk: str, epsilon: bool, report: Report) -> list[Part]:
    """All spanning diagrams when their number is the certified dimension (walk counts in the
    branching graph ``walk``), else an independent subset of that size (mod-p evaluations,
    ``_rank``)."""
    m = k + l
    spanning = brauer_spanning(m, n, epsilon)
    target = invariant_dimension(m, n, walk)
    if len(spanning) == target and (len(spanning) > CERTIFY_ALL or not spanning):
        return spanning  # a spanning set of the dimension's size (independence by the theorem)
    if report is not None:
        report(f"V^{k} -> V^{l}: {target} independent among {len(spanning)} diagrams (mod p)")
    evaluations = []
    for d, eps in spanning:
        blks = blocks(d)
        pairs = [(blk[0], blk[1]) for i, blk in enumerate(blks) if i != eps]
        evaluations.append((pairs, tuple(blks[eps]) if eps >= 0 else ()))
    keep = independent_diagrams(evaluations, walk, n, target, report)
    return [spanning[i] for i in sorted(keep)]


def _brauer_stable_from(m: int) -> int:
    return 1 if m % 2 else max(m // 2, 1)  # odd m: no map at any n


@dataclass(frozen=True)
class OrthogonalRules:
    """O(p,q) and SO(p,q) (q = 0: O(n), SO(n)): Brauer diagrams with δ or η, and ε diagrams
    for the special groups."""

    family: Orthogonal

    @property
    def n(self) -> int:
        return self.family.n

    @property
    def walk(self) -> str:
        """The branching graph of ``_rank`` that counts the dimension (O(p,q) has O(p+q)'s)."""
        return "SO" if self.family.special else "O"

    @property
    def epsilon(self) -> bool:
        return self.family.special

    @property
    def tensor(self) -> str:
        return "form" if self.family.q else "diagram"

    @property
    def dual_is_v(self) -> bool:
        return self.family.q == 0

    @property
    def first_n(self) -> int:
        return 2 if self.family.special else 1

    def at(self, n: int) -> OrthogonalRules:
        return OrthogonalRules(Orthogonal(n, special=self.family.special))

    def forms(self) -> Forms:
        f = self.family
        return lorentzian(f.p, f.q) if f.q else euclidean(f.n)

    def dimension(self, m: int) -> int:
        return invariant_dimension(m, self.n, self.walk)

    def basis(self, k: int, l: int, report: Report = None) -> list[Part]:
        return brauer_basis(k, l, self.n, self.walk, self.epsilon, report)

    def generic(self, m: int) -> list[Diagram]:
        return perfect_matchings(m)

    def stable_from(self, m: int) -> int:
        if self.family.special:
            return max(m + 1, 2)  # no ε diagram beyond n = k + l; SO(n) starts at n = 2
        return _brauer_stable_from(m)


@dataclass(frozen=True)
class SymplecticRules:
    """Sp(r) on R^(2r): Brauer diagrams with J on input pairs and −J on output pairs."""

    family: Symplectic
    walk = "Sp"
    epsilon = False
    tensor = "symplectic"
    dual_is_v = False
    first_n = 1

    @property
    def n(self) -> int:
        return self.family.dimension

    def at(self, n: int) -> SymplecticRules:
        return SymplecticRules(Symplectic(n))

    def forms(self) -> Forms:
        return symplectic(self.family.r)

    def dimension(self, m: int) -> int:
        return invariant_dimension(m, self.n, self.walk)

    def basis(self, k: int, l: int, report: Report = None) -> list[Part]:
        return brauer_basis(k, l, self.n, self.walk, self.epsilon, report)

    def generic(self, m: int) -> list[Diagram]:
        return perfect_matchings(m)

    def stable_from(self, m: int) -> int:
        return _brauer_stable_from(m)


DiagramRules = SymmetricRules | OrthogonalRules | SymplecticRules


def assert_never(value: NoReturn) -> NoReturn:
    """Unreachable when every family is handled (mypy checks it: ``typing.assert_never``)."""
    raise AssertionError(f"no diagram rules for family {value!r}")


def rules_for(family: Family | None) -> DiagramRules | None:
    """The diagram rules of ``family``, or None when it has no diagram basis."""
    match family:
        case None:
            return None
        case Symmetric():
            return SymmetricRules(family)
        case Orthogonal():
            return OrthogonalRules(family)
        case Symplectic():
            return SymplecticRules(family)
        case Planar():
            return None
        case _:
            assert_never(family)


def family_of(code: str, n: int, signature: tuple[int, int] | None = None) -> Family:
    """The family a saved diagram basis names by its code ("S", "O", "SO", "Opq", "SOpq",
    "Sp"), its n (the dimension of V) and its signature; ValueError for any other code."""
    if code == "S":
        return Symmetric(n)
    if code in ("O", "SO"):
        return Orthogonal(n, special=code == "SO")
    if code in ("Opq", "SOpq") and signature is not None:
        return Orthogonal(signature[0], signature[1], special=code == "SOpq")
    if code == "Sp" and n % 2 == 0:
        return Symplectic(n // 2)
    raise ValueError(f"no diagram family {code!r} with n = {n} and signature {signature}")
