"""The matrix-free check of diagram bases: both ways (whole vectors, entries) pass a correct
basis of every family and reject a corrupted one, and the check forms nothing of size n^2 for
V -> V."""

import tracemalloc

import pytest

import intertwine as it
from intertwine.errors import VerificationError
from intertwine.solver import DiagramBasis, DiagramTerm
from intertwine.solver.diagrams import check_diagram_basis, check_entries


def _corrupt(basis: DiagramBasis, term: DiagramTerm) -> DiagramBasis:
    """The basis with its last element replaced by ``term``."""
    return DiagramBasis(
        family=basis.family,
        n=basis.n,
        in_degrees=basis.in_degrees,
        out_degrees=basis.out_degrees,
        terms=[*basis.terms[:-1], term],
        group=basis.group,
        kind=basis.kind,
        rep_in=basis.rep_in,
        rep_out=basis.rep_out,
        signature=basis.signature,
    )


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("O(4)", "V**2", "V**2"),
        ("SO(3)", "V**2", "V + 1"),  # an ε diagram
        ("Sp(2)", "V**2", "V**2"),  # Lie generators only, not monomial
        ("O(1,2)", "V**2", "V**2"),
    ],
)
def test_both_checks_pass_and_reject(group, a, b):
    """A correct basis passes both ways; one whose last diagram is replaced by a partition
    with a singleton block (no Brauer diagram: not invariant) fails both."""
    basis = it.solve(group, a, b, method="diagram")
    action = it.action(group)
    assert check_diagram_basis(basis, action) < 1e-9
    assert check_entries(basis, action) < 1e-9
    last = basis.terms[-1]
    m = len(last.diagram)
    singleton = (0,) * (m - 1) + (1,) if m > 1 else (0,)
    bad = DiagramTerm(last.out_block, last.in_block, singleton)
    corrupted = _corrupt(basis, bad)
    with pytest.raises(VerificationError, match="fails generator"):
        check_diagram_basis(corrupted, action)
    with pytest.raises(VerificationError, match="fails generator"):
        check_entries(corrupted, action)


def test_symmetric_group_bases_pass_both_checks():
    """S(n) (monomial generators, the orbit tensors) with a scalar block and several pairs."""
    basis = it.solve("S(5)", "1 + V**2", "V + 1", method="diagram")
    action = it.action("S(5)")
    assert check_diagram_basis(basis, action) == 0.0 and check_entries(basis, action) == 0.0


def test_check_of_v_to_v_at_large_n_forms_nothing_of_size_n_squared():
    """S(20000) on V -> V: the check peaks far below one n x n array (3.2 GB)."""
    tracemalloc.start()
    try:
        basis = it.solve("S(20000)", "V", "V", method="diagram")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert basis.dim == 2 and peak < 50e6
