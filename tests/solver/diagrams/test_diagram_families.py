"""Conformance of every diagram family in the registry: the number of diagrams each family's
rules list against closed forms computed here from scratch (Stirling numbers by their explicit
sum, Bell numbers, (m − 1)!!), and the certified dimension against the exact constraint solver.

A new family passes this suite by adding its rules (``solver/diagrams/_rules.py``) and a row to
``CASES``; a built-in group whose family has no rules must say so (``NO_RULES``).
"""

from __future__ import annotations

from math import comb, factorial

import pytest

import intertwine as it
from intertwine.core import Orthogonal, Planar, Symmetric, Symplectic
from intertwine.errors import SolverError
from intertwine.solver.diagrams import rules_for
from intertwine.spec import REGISTRY

NO_RULES = (Planar,)  # C(k), D(k): solved by weights, not by diagrams


def stirling2(m: int, t: int) -> int:
    """S(m, t) = (1/t!) Σ_j (−1)^j C(t, j) (t − j)^m (the explicit formula, not a recurrence)."""
    return sum((-1) ** j * comb(t, j) * (t - j) ** m for j in range(t + 1)) // factorial(t)


def odd_double_factorial(m: int) -> int:
    """(m − 1)!! = m! / (2^(m/2) (m/2)!) perfect matchings of m points (m even)."""
    return factorial(m) // (2 ** (m // 2) * factorial(m // 2))


def closed_form(family, m: int) -> int:
    """The number of diagrams in a basis of (V^⊗m)^G where the generic diagrams are
    independent: Σ_{t ≤ n} S(m, t) for S(n), (m − 1)!! (0 for odd m) for the Brauer families."""
    if isinstance(family, Symmetric):
        return sum(stirling2(m, t) for t in range(min(m, family.n) + 1))
    return 0 if m % 2 else odd_double_factorial(m)


# (group, m = k + l): the Brauer families at n large enough for the matchings to be independent
# (n ≥ m/2 for O(n) and O(p,q), 2r ≥ m for Sp(r), n > m for SO(n): no ε diagram)
CASES = [
    ("S(2)", 4),
    ("S(3)", 4),
    ("S(6)", 4),
    ("S(5)", 5),
    ("O(2)", 4),
    ("O(3)", 6),
    ("O(4)", 3),
    ("SO(7)", 6),
    ("O(1,3)", 4),
    ("SO(2,3)", 4),
    ("Sp(2)", 4),
    ("Sp(3)", 6),
]


def _split(m: int) -> tuple[int, int]:
    return m // 2, m - m // 2


@pytest.mark.parametrize("group,m", CASES)
def test_enumeration_counts_are_the_closed_forms(group, m):
    family = it.parse_action(group).family
    rules = rules_for(family)
    assert rules is not None and rules.family == family
    k, l = _split(m)
    assert len(rules.basis(k, l)) == closed_form(family, m) == rules.dimension(m)


@pytest.mark.parametrize("m", range(0, 7))
def test_generic_diagrams_are_bell_and_double_factorial(m):
    """The diagrams for every n: Bell(m) partitions, (m − 1)!! matchings."""
    bell = sum(stirling2(m, t) for t in range(m + 1))
    assert len(rules_for(Symmetric(3)).generic(m)) == bell  # type: ignore[union-attr]
    for family in (Orthogonal(3), Orthogonal(3, special=True), Symplectic(2)):
        assert len(rules_for(family).generic(m)) == closed_form(family, m)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("S(3)", "V**2", "V**2"),
        ("O(2)", "V**2", "V**2"),
        ("SO(2)", "V**2", "V**2"),  # ε diagrams on 2 of the 4 points, selected to rank 6
        ("SO(3)", "V**2", "V"),
        ("O(1,2)", "V**2", "V**2"),
        ("Sp(1)", "V**2", "V**2"),
    ],
)
def test_certified_dimension_is_the_exact_solvers(group, a, b):
    """Small n, where diagrams may be dependent: the diagram basis has the dimension the
    constraint solver (exact nullspace over Q) finds."""
    diagram = it.solve(group, a, b, method="diagram", cache=False)
    exact = it.solve(group, a, b, method="exact", cache=False)
    assert diagram.dim == exact.dim


def test_every_registry_family_has_rules_or_says_why_not():
    """Each built-in group with a family either has diagram rules or is in NO_RULES (and then
    the diagram method refuses it with a reason)."""
    seen = set()
    for entry in REGISTRY.values():
        for count, build in entry.builders.items():
            action = build(*([3] * count))
            family = action.family
            if family is None:
                continue
            seen.add(type(family))
            if isinstance(family, NO_RULES):
                assert rules_for(family) is None
                with pytest.raises(SolverError, match="diagram method covers"):
                    it.solve(action, "V", "V", method="diagram", cache=False)
            else:
                assert rules_for(family) is not None, entry.name
    assert seen == {Symmetric, Orthogonal, Symplectic, Planar}
