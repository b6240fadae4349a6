"""One conformance suite that every built-in action passes."""

import itertools
import math

import numpy as np
import pytest

from intertwine.errors import RepError
from intertwine.groups import invariant_form
from intertwine.spec import REGISTRY, parse_action, parse_rep

ACTIONS = [
    "S(1)",
    "S(2)",
    "S(5)",
    "A(3)",
    "A(4)",
    "A(5)",
    "Z(1)",
    "Z(6)",
    "Dih(5)",
    "C(1)",
    "C(6)",
    "C(8)",
    "D(4)",
    "D(6)",
    "SO(2)",
    "SO(3)",
    "SO(4)",
    "O(1)",
    "O(3)",
    "SL(3)",
    "GL(2)",
    "Sp(1)",
    "Sp(2)",
    "O(1,3)",
    "SO(1,3)",
    "O(2,2)",
    "Shift(5)",
    "Shift(3,4)",
    "Trans(1)",
    "Trans(4)",
    "S(3) x Z(4)",
    "SO(3) x S(3)",
]


def test_every_registry_name_is_in_the_suite():
    names = {spec.split("(")[0] for spec in ACTIONS}
    assert set(REGISTRY) <= names


@pytest.fixture(params=ACTIONS)
def action(request):
    return parse_action(request.param)


def test_generator_shapes_and_exactness(action):
    for g in action.generators:
        for m, d in zip(g.matrices, action.degrees):
            assert m.shape == (d, d)
            assert m.is_exact
    rep = action.V(0)
    for m in rep.generators:
        assert m.shape == (rep.dim, rep.dim)


def test_sum_tensor_power_dims(action):
    v = action.V(0)
    d = v.dim
    assert (v + v**2).dim == d + d * d
    assert (v * v).dim == d * d
    assert (3 * v).dim == 3 * d
    assert (v**0).dim == 1
    first = action.factor_names[0]
    assert parse_rep(action, f"{first} + 1").dim == d + 1


def test_equality_and_hash_by_generators(action):
    v = action.V(0)
    assert v**2 == v * v and hash(v**2) == hash(v * v)
    assert v + v == 2 * v
    again = parse_action(action.name)
    assert again == action and hash(again) == hash(action)


def test_dual_only_for_groups(action):
    v = action.V(0)
    if action.is_group:
        dual = v.dual()
        for g, a, b in zip(action.generators, v.generators, dual.generators):
            a, b = a.to_numpy(), b.to_numpy()
            if g.kind == "discrete":
                np.testing.assert_allclose(b, np.linalg.inv(a).T, atol=1e-12)
            else:
                np.testing.assert_allclose(b, -a.T)
    else:
        with pytest.raises(RepError, match="monoid"):
            v.dual()


LIE_ACTIONS = [
    "SO(3)",
    "O(3)",
    "SO(4)",
    "SL(3)",
    "GL(2)",
    "Sp(1)",
    "Sp(2)",
    "O(1,3)",
    "SO(1,3)",
    "O(2,2)",
]
FORM_ACTIONS = ["SO(2)", "SO(3)", "SO(4)", "O(1)", "O(3)", "Sp(1)", "Sp(2)", "O(1,3)", "SO(1,3)"]
FORM_ACTIONS += ["O(2,2)"]


def test_the_lie_and_form_lists_are_complete():
    """Every single-factor action with two or more Lie generators is in LIE_ACTIONS, and every
    one with an invariant form in FORM_ACTIONS, so the tests below skip none."""
    for spec in ACTIONS:
        a = parse_action(spec)
        if len(a.degrees) > 1:
            continue
        if sum(g.kind == "lie" for g in a.generators) >= 2:
            assert spec in LIE_ACTIONS
        if invariant_form(a) is not None and spec not in FORM_ACTIONS:
            pytest.fail(f"{spec} has an invariant form; add it to FORM_ACTIONS")


@pytest.mark.parametrize("spec", LIE_ACTIONS)
def test_lie_algebra_closes_under_commutator(spec):
    action = parse_action(spec)
    lie = [g.matrices[0].to_numpy() for g in action.generators if g.kind == "lie"]
    assert len(lie) >= 2
    span = np.stack([a.ravel() for a in lie], axis=1)
    rank = np.linalg.matrix_rank(span)
    for a, b in itertools.combinations(lie, 2):
        comm = (a @ b - b @ a).ravel()[:, None]
        assert np.linalg.matrix_rank(np.hstack([span, comm])) == rank


@pytest.mark.parametrize("spec", FORM_ACTIONS)
def test_invariant_form_preserved(spec):
    action = parse_action(spec)
    form = invariant_form(action)
    assert form is not None
    eta = form.to_numpy()
    for g in action.generators:
        m = g.matrices[0].to_numpy()
        if g.kind == "lie":
            np.testing.assert_allclose(m.T @ eta + eta @ m, 0, atol=1e-12)
        else:
            np.testing.assert_allclose(m.T @ eta @ m, eta, atol=1e-12)
    for (h,) in action.helpers:  # helper elements are members of the group
        h = h.to_numpy()
        np.testing.assert_allclose(h.T @ eta @ h, eta, atol=1e-12)
        if action.name.startswith(("SO", "SL", "Sp")):
            assert np.isclose(np.linalg.det(h), 1)


@pytest.mark.parametrize(
    "spec,order",
    [
        ("S(1)", 1),
        ("S(2)", 2),
        ("S(5)", 120),
        ("S(7)", 5040),
        ("A(3)", 3),
        ("A(4)", 12),
        ("A(6)", 360),
        ("Z(6)", 6),
        ("Dih(5)", 10),
        ("S(3) x Z(4)", 24),
    ],
)
def test_permutation_group_orders(spec, order):
    a = parse_action(spec)
    assert a.order() == order
    if spec.startswith("S(") and " x " not in spec:
        assert order == math.factorial(a.degrees[0])


def _closure(mats, limit=10_000):
    """All products of the generator matrices (a finite monoid), as a set of byte keys."""
    n = mats[0].shape[0]
    seen = {np.eye(n, dtype=np.int64).tobytes(): np.eye(n, dtype=np.int64)}
    frontier = list(seen.values())
    while frontier and len(seen) < limit:
        nxt = []
        for x in frontier:
            for m in mats:
                y = m @ x
                k = y.tobytes()
                if k not in seen:
                    seen[k] = y
                    nxt.append(y)
        frontier = nxt
    return seen


# Trans(n) has n^n elements; Shift(n) is {s^0..s^(n-1), 0}; Shift(h,w) is
# {down^a right^b : a < h, b < w} plus the zero map.
@pytest.mark.parametrize(
    "spec,size",
    [("Trans(3)", 27), ("Trans(4)", 256), ("Shift(5)", 6), ("Shift(2,3)", 7), ("Shift(3,3)", 10)],
)
def test_monoid_sizes(spec, size):
    a = parse_action(spec)
    mats = [g.matrices[0].to_numpy().astype(np.int64) for g in a.generators]
    assert len(_closure(mats)) == size


@pytest.mark.parametrize("k", [3, 4, 6, 8])
def test_planar_rotation_has_order_k(k):
    r = parse_action(f"C({k})").generators[0].matrices[0].to_sympy()
    import sympy

    assert sympy.simplify(r**k - sympy.eye(2)) == sympy.zeros(2)
    assert sympy.simplify(r ** (k - 1) - sympy.eye(2)) != sympy.zeros(2)


def test_lorentz_has_parity_and_time_reversal():
    a = parse_action("O(1,3)")
    names = {g.name: g.matrices[0].to_numpy() for g in a.generators}
    np.testing.assert_array_equal(names["parity"], np.diag([1, -1, -1, -1]))
    np.testing.assert_array_equal(names["time_reversal"], np.diag([-1, 1, 1, 1]))
    assert parse_rep(a, "V**2").dim == 16
