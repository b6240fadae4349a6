"""The solver against closed forms, characters, and its own methods."""

import itertools
import math

import numpy as np
import pytest
import sympy
from helpers import assert_intertwines, span_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.functions.combinatorial.numbers import stirling

from intertwine import solver
from intertwine.core import Matrix
from intertwine.errors import SolverError, VerificationError
from intertwine.groups import permutation_group
from intertwine.monoids import transformation_monoid
from intertwine.solver import invariants, solve
from intertwine.solver._check import check_basis
from intertwine.spec import parse_action, parse_rep


def _solve(group, a, b, method="auto"):
    action = parse_action(group)
    ri, ro = parse_rep(action, a), parse_rep(action, b)
    basis = solve(action, ri, ro, method)
    assert_intertwines(basis, ri, ro)
    return basis


def _power(k):
    return "1" if k == 0 else f"V**{k}"


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7])
@pytest.mark.parametrize("k,l", [(0, 1), (1, 1), (1, 2), (2, 2), (0, 3), (1, 3)])
def test_symmetric_group_stirling(n, k, l):
    want = sum(stirling(k + l, t) for t in range(0, min(n, k + l) + 1))
    assert _solve(f"S({n})", _power(k), _power(l)).dim == want


# (k+l-1)!! holds in the stable range n >= (k+l)/2; below it the diagrams are dependent.
@pytest.mark.parametrize(
    "n,k,l",
    [
        (n, k, l)
        for n in (2, 3, 4, 5)
        for k, l in [(1, 1), (1, 2), (2, 2), (1, 3), (0, 2), (3, 3)]
        if (k + l) % 2 or n >= (k + l) // 2
    ],
)
def test_orthogonal_double_factorial(n, k, l):
    m = k + l
    want = 0 if m % 2 else math.prod(range(m - 1, 0, -2))
    assert _solve(f"O({n})", _power(k), _power(l)).dim == want


def test_levi_civita():
    basis = _solve("SO(3)", "V**2", "V")
    assert basis.dim == 1 and basis.exact
    w = basis.dense[0].reshape(3, 3, 3)
    eps = np.zeros((3, 3, 3))
    for p in itertools.permutations(range(3)):
        eps[p] = Permutation(list(p)).signature()
    assert np.allclose(w, eps) or np.allclose(w, -eps)
    assert _solve("O(3)", "V**2", "V").dim == 0  # a reflection kills it


@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_shift_is_causal_convolution(n):
    basis = _solve(f"Shift({n})", "V", "V")
    assert basis.dim == n and basis.method == "orbit"
    t = basis.tying
    for i, j in itertools.product(range(n), range(n)):
        assert t[i, j] == (i - j if i >= j else -1)


@pytest.mark.parametrize("h,w", [(2, 2), (3, 4), (1, 5)])
def test_shift_2d(h, w):
    assert _solve(f"Shift({h},{w})", "V", "V").dim == h * w


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_transformation_monoid_only_scalars(n):
    assert _solve(f"Trans({n})", "V", "V").dim == 1
    assert _solve(f"S({n})", "V", "V").dim == 2


def test_trans_against_brute_force():
    """Trans(3) on V**2: the generators' answer equals the one from all 27 maps."""
    n = 3
    maps = [list(t) for t in itertools.product(range(n), repeat=n)]
    full = transformation_monoid(maps, name="all-maps")
    gen = parse_action("Trans(3)")
    a = solve(full, full.V() ** 2, full.V() ** 2, "numeric")
    b = solve(gen, gen.V() ** 2, gen.V() ** 2)
    assert a.dim == b.dim
    assert span_equal(a.sparse.toarray(), b.sparse.toarray())


def _elements(action):
    """All group elements as matrices on V (closure of the generators)."""
    mats = [g.matrices[0].to_numpy() for g in action.generators]
    n = action.degrees[0]
    seen = {np.round(np.eye(n), 9).tobytes(): np.eye(n)}
    frontier = [np.eye(n)]
    while frontier:
        nxt = []
        for x in frontier:
            for m in mats:
                y = m @ x
                key = (np.round(y, 9) + 0.0).tobytes()  # +0.0 folds -0.0 into 0.0
                if key not in seen:
                    seen[key] = y
                    nxt.append(y)
        frontier = nxt
    return list(seen.values())


@pytest.mark.parametrize("group", ["S(4)", "A(4)", "Z(6)", "Dih(5)", "D(4)", "C(6)", "D(3)"])
@pytest.mark.parametrize("k,l", [(1, 1), (1, 2), (2, 2), (0, 3)])
def test_character_formula(group, k, l):
    action = parse_action(group)
    els = _elements(action)
    chi = [np.trace(g) for g in els]
    want = round(sum(c ** (k + l) for c in chi) / len(els))
    assert _solve(group, _power(k), _power(l)).dim == want


def test_so2_signed_tying():
    basis = _solve("SO(2)", "V", "V")
    idx, sign = basis.signed_tying
    assert basis.tying is None
    assert idx.tolist() == [[0, 1], [1, 0]] and sign.tolist() == [[1, 1], [-1, 1]]


def test_invariants():
    assert invariants("S(5)", "V").dim == 1
    assert invariants("S(5)", "V**2").dim == 2
    assert invariants("SO(3)", "V**3").dim == 1
    assert invariants("Shift(4)", "V").dim == 0


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("SO(3)", "V**2", "V**2"),
        ("O(1,3)", "V**2", "V**2"),
        ("Sp(1)", "V**2", "1"),
        ("SL(3)", "V**3", "1"),
        ("GL(2)", "V* * V", "V* * V"),
        ("C(6)", "V**2", "V"),
        ("S(4)", "V**2", "V"),
        ("Trans(3)", "V**2", "V"),
    ],
)
def test_methods_agree(group, a, b):
    results = [_solve(group, a, b, m) for m in ("auto", "exact", "numeric", "iterative")]
    dense = [r.sparse.toarray().astype(float) for r in results]
    for d in dense[1:]:
        assert span_equal(dense[0], d)


def test_known_lie_dimensions():
    assert _solve("SO(3)", "V**4", "V**4").dim == 91
    assert _solve("Sp(1)", "V**2", "1").dim == 1  # the symplectic form
    assert _solve("SL(3)", "V**3", "1").dim == 1  # the determinant
    assert _solve("GL(3)", "V**3", "1").dim == 0
    assert _solve("O(1,3)", "V**2", "1").dim == 1  # the metric
    assert _solve("SO(1,3)", "V**4", "1").dim == 4  # 3 pairings and the Levi-Civita tensor


def test_orbit_refuses_non_injective():
    with pytest.raises(SolverError, match="collapse10"):
        solve("Trans(4)", "V", "V", method="orbit")


def test_exact_refuses_floats(tmp_path):
    p = tmp_path / "g.json"
    p.write_text('{"kind": "group", "degree": 2, "matrices": [[[0.6, -0.8], [0.8, 0.6]]]}')
    with pytest.raises(SolverError, match="numeric"):
        solve(f"@{p}", "V", "V", method="exact")
    assert solve(f"@{p}", "V", "V").dim == 2


def test_unknown_method():
    with pytest.raises(SolverError, match="unknown method"):
        solve("S(3)", "V", "V", method="magic")


def test_too_large_is_refused_before_starting():
    with pytest.raises(SolverError, match="GiB"):
        solve("A(300)", "V**3", "V**3")  # S(300) would be solved by diagrams


def test_verification_catches_a_wrong_basis():
    action = parse_action("S(3)")
    ri = ro = action.V()
    bad = solver.Basis(
        np.eye(1, 9, dtype=np.int64),
        exact=True,
        method="x",
        group="S(3)",
        kind="group",
        rep_in=ri,
        rep_out=ro,
        in_dim=3,
        out_dim=3,
    )
    with pytest.raises(VerificationError):
        check_basis(bad.sparse, True, solver.constraints(ri, ro), (3, 3))


@st.composite
def _perm_problem(draw):
    n = draw(st.integers(1, 5))
    gens = draw(st.lists(st.permutations(list(range(n))), min_size=1, max_size=3))
    reps = ["V", "V**2", "V + 1", "V* * V", "1"]
    return n, gens, draw(st.sampled_from(reps)), draw(st.sampled_from(reps[:3]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_perm_problem())
def test_random_permutation_groups_methods_agree(problem):
    n, gens, a, b = problem
    action = permutation_group(gens, n)
    ri, ro = parse_rep(action, a), parse_rep(action, b)
    orbit = solve(action, ri, ro, "orbit", cache=False)
    exact = solve(action, ri, ro, "exact", cache=False)
    numeric = solve(action, ri, ro, "numeric", cache=False)
    assert orbit.dim == exact.dim == numeric.dim
    assert span_equal(orbit.sparse.toarray(), exact.sparse.toarray())
    assert span_equal(orbit.sparse.toarray(), numeric.sparse.toarray())
    # character formula over the whole group
    from sympy.combinatorics import Permutation, PermutationGroup

    grp = PermutationGroup([Permutation(list(p), size=n) for p in gens])
    chi_in = {
        "V": lambda f: f,
        "V**2": lambda f: f * f,
        "V + 1": lambda f: f + 1,
        "V* * V": lambda f: f * f,
        "1": lambda f: 1,
    }
    fixed = [n - len(g.support()) for g in grp.elements]
    total = sum(chi_in[a](f) * chi_in[b](f) for f in fixed)
    assert orbit.dim * grp.order() == total


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, n - 1), min_size=n, max_size=n), min_size=1, max_size=3
        )
    ),
    st.sampled_from(["V", "V**2", "V + 1"]),
    st.sampled_from(["V", "V**2", "1"]),
)
def test_random_transformation_monoids_methods_agree(maps, a, b):
    action = transformation_monoid(maps)
    ri, ro = parse_rep(action, a), parse_rep(action, b)
    results = [solve(action, ri, ro, m, cache=False) for m in ("auto", "exact", "numeric")]
    for r in results:
        assert_intertwines(r, ri, ro)
    assert results[0].dim == results[1].dim == results[2].dim
    assert span_equal(results[0].sparse.toarray(), results[1].sparse.toarray())


def test_matrix_group_rational(tmp_path):
    from intertwine.groups import matrix_group

    g = matrix_group([Matrix.from_dense([[sympy.Rational(1, 2), 0], [0, 2]])])
    basis = solve(g, g.V() ** 2, g.V() ** 2)
    assert basis.exact and basis.dim == 6  # weights 1/4, 1, 1, 4: 1 + 4 + 1


def test_quarter_turns_shrink_lie_problems():
    """The claim in docs/concepts/solver.md: SO(3) on V**4 -> V**4 goes from 6561 unknowns to
    274 in stage 1, the number of orbits of the rotation group of the cube (character formula)."""
    from intertwine.solver import orbit_tying

    action = parse_action("SO(3)")
    v4 = action.V() ** 4
    pairs = [c.monomial() for c in solver.constraints(v4, v4) if c.helper]
    assert orbit_tying(pairs, 81, 81).count == 274
    # the quarter turns generate the chiral octahedral group; its invariants on V**8 number
    # (1/|G|) Σ_g tr(g)^8 (the character formula), computed from the group itself
    mats = [h.to_numpy().astype(np.int64) for (h,) in action.helpers]
    group = {np.eye(3, dtype=np.int64).tobytes(): np.eye(3, dtype=np.int64)}
    frontier = list(group.values())
    while frontier:
        frontier = [m @ g for g in frontier for m in mats if (m @ g).tobytes() not in group]
        for g in frontier:
            group[g.tobytes()] = g
    assert len(group) == 24
    assert sum(int(np.trace(g)) ** 8 for g in group.values()) // len(group) == 274
