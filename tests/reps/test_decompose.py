"""Decomposition into irreducibles / indecomposables, checked against independent computations:
characters summed over a group enumerated here (not by the library), the Clebsch–Gordan rule
for SO(3), the block structure ρ(g) Q = Q (⊕ blocks) for every generator, exact rational checks
for monoids."""

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from scipy.linalg import block_diag

import intertwine as it
from intertwine.cli import main
from intertwine.errors import SolverError

TYPE_DIM = {"real": 1, "complex": 2, "quaternionic": 4}


# ----------------------------------------------------------------- independent helpers
def closure(gens: list[np.ndarray]) -> list[tuple[int, ...]]:
    """Words in the generators, as products of the given matrices: a list of words (tuples of
    generator indices), one per element, found by breadth-first search on the matrices."""
    n = gens[0].shape[0]
    seen = {np.eye(n).round(9).tobytes(): ()}
    frontier = [(np.eye(n), ())]
    while frontier:
        nxt = []
        for m, w in frontier:
            for i, g in enumerate(gens):
                p = g @ m
                k = (p.round(9) + 0.0).tobytes()
                if k not in seen:
                    seen[k] = (i,) + w
                    nxt.append((p, (i,) + w))
        frontier = nxt
    return list(seen.values())


def word_matrix(word, mats):
    out = np.eye(mats[0].shape[0])
    for i in reversed(word):
        out = mats[i] @ out
    return out


def check_characters(action, rep, dec):
    """Multiplicities and types against the character inner product over the group."""
    std = [g.matrices[0].to_numpy() for g in action.generators]
    words = closure(std)
    order = len(words)
    v = [m.to_numpy() for m in rep.generators]
    chi_v = np.array([np.trace(word_matrix(w, v)) for w in words])
    chis = []
    for r in dec.irreps:
        mats = [m.to_numpy() for m in r.rep.generators]
        chi = np.array([np.trace(word_matrix(w, mats)) for w in words])
        # <chi_W, chi_W> = dim End_G(W): irreducible of the stated type
        assert np.sum(chi * chi) / order == pytest.approx(TYPE_DIM[r.type])
        assert np.sum(chi_v * chi) / order == pytest.approx(r.multiplicity * TYPE_DIM[r.type])
        chis.append(chi)
    for i in range(len(chis)):
        for j in range(i):
            assert np.sum(chis[i] * chis[j]) / order == pytest.approx(0.0, abs=1e-9)
    assert sum(r.multiplicity * r.dim for r in dec.irreps) == rep.dim
    return order


def check_blocks(rep, dec, orthogonal=True):
    """ρ(X) Q = Q (⊕ blocks) for every generator, and Q orthogonal (or invertible)."""
    q = dec.change_of_basis
    for k, m in enumerate(rep.generators):
        blocks = [r.rep.generators[k].to_numpy() for r in dec.irreps for _ in range(r.multiplicity)]
        assert np.abs(m.to_numpy() @ q - q @ block_diag(*blocks)).max() < 1e-10
    if orthogonal:
        assert np.abs(q.T @ q - np.eye(len(q))).max() < 1e-10
    else:
        assert np.linalg.matrix_rank(q) == len(q)


def check_exact(rep, dec):
    """The exact form: ρ(X) R = R B(X) over Q with R rational (B from R's own columns)."""
    r = sympy.Matrix(dec.rational_basis.tolist())
    rinv = r.inv()
    for m in rep.generators:
        b = rinv * m.to_sympy() * r
        # block diagonal with the irreps' sizes (up to the orthonormal rescaling)
        o = 0
        for irr in dec.irreps:
            for _ in range(irr.multiplicity):
                n = irr.dim
                assert all(
                    b[i, j] == 0
                    for i in range(o, o + n)
                    for j in range(b.cols)
                    if not o <= j < o + n
                )
                o += n


# ----------------------------------------------------------------- finite groups
@pytest.mark.parametrize(
    "group,rep,summary",
    [
        ("S(3)", "V", "1x1a + 1x2a"),
        ("S(3)", "V**2", "2x1a + 1x1b + 3x2a"),
        ("S(4)", "V**2", "2x1a + 1x2a + 3x3a + 1x3b"),
        ("Dih(4)", "V**2", None),
        ("A(4)", "V**2", None),
    ],
)
def test_finite_group_multiplicities_match_characters(group, rep, summary):
    action = it.action(group)
    r = it.rep(action, rep)
    dec = it.decompose(action, r)
    check_characters(action, r, dec)
    check_blocks(r, dec)
    assert dec.exact and not dec.indecomposable
    check_exact(r, dec)
    if summary is not None:
        assert dec.summary() == summary


def test_cyclic_group_has_complex_type_irreps():
    """Z(5) on R^5: the trivial rep and two 2-dim real irreps of complex type (rotations by
    2π/5 and 4π/5), whose projectors are irrational: float64, checked."""
    action = it.action("Z(5)")
    r = it.rep(action, "V")
    dec = it.decompose(action, r)
    assert [(x.dim, x.multiplicity, x.type) for x in dec.irreps] == [
        (1, 1, "real"),
        (2, 1, "complex"),
        (2, 1, "complex"),
    ]
    check_characters(action, r, dec)
    check_blocks(r, dec)
    assert not dec.exact and dec.residual < 1e-10 and dec.certificate


def test_quaternion_group_gives_a_quaternionic_irrep(tmp_path):
    """Q8 as left multiplication by i and j on H = R^4: one irrep of quaternionic type."""
    li = [[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]]
    lj = [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]]
    path = tmp_path / "q8.json"
    path.write_text(json.dumps({"kind": "group", "degree": 4, "matrices": [li, lj]}))
    action = it.action(f"@{path}")
    r = action.V()
    dec = it.decompose(action, r)
    assert [(x.dim, x.multiplicity, x.type) for x in dec.irreps] == [(4, 1, "quaternionic")]
    assert check_characters(action, r, dec) == 8
    check_blocks(r, dec)
    # V⊗V of Q8: 16 = four 1-dim reps (the quotient Z2 x Z2), the trivial one four times
    dec2 = it.decompose(action, "V**2")
    check_characters(action, it.rep(action, "V**2"), dec2)


def test_regular_rep_contains_every_irrep_dim_over_type_times():
    from intertwine.reps._characters import regular_rep

    action = it.action("S(4)")
    r = regular_rep(action)
    dec = it.decompose(action, r)
    check_characters(action, r, dec)
    assert all(x.multiplicity == x.dim // TYPE_DIM[x.type] for x in dec.irreps)
    assert sum(x.dim**2 // TYPE_DIM[x.type] for x in dec.irreps) == 24
    assert it.decompose(action, "R").summary() == dec.summary()  # the rep language's R


def test_irrep_is_a_rep_usable_everywhere():
    dec = it.decompose("S(4)", "V**2")
    w = dec.irreps[-1].rep
    assert str(w) == dec.irreps[-1].name
    assert it.solve("S(4)", w, w).dim == 1  # Schur: End of a real-type irrep is the scalars
    assert it.solve("S(4)", w + it.rep("S(4)", "V"), w).dim == 1
    assert (w * w).dim == 9


def test_character_table_orthogonality_and_sizes():
    """Rows orthogonal with norm dim End; Σ dim²/dim End = |G| (the regular rep)."""
    for group in ("S(4)", "A(4)", "Dih(5)"):
        table = it.character_table(group)
        sizes = np.array(table.class_sizes)
        rows = np.array([r.values for r in table.rows])
        gram = (rows * sizes) @ rows.T / table.order
        assert np.allclose(gram, np.diag([TYPE_DIM[r.type] for r in table.rows]))
        assert sum(r.dim**2 // TYPE_DIM[r.type] for r in table.rows) == table.order
        assert sizes.sum() == table.order


# ----------------------------------------------------------------- Lie groups
def so3_multiplicities(k: int) -> dict[int, int]:
    """Multiplicities of l in (R^3)^⊗k by the Clebsch–Gordan rule l ⊗ 1 = |l−1| ⊕ l ⊕ (l+1)."""
    mult = {0: 1}
    for _ in range(k):
        nxt: dict[int, int] = {}
        for ell, m in mult.items():
            for new in range(abs(ell - 1), ell + 2):
                if ell == 0 and new == 0:
                    continue
                nxt[new] = nxt.get(new, 0) + m
        mult = nxt
    return mult


@pytest.mark.parametrize("k", [2, 3])
def test_so3_tensor_powers_follow_clebsch_gordan(k):
    action = it.action("SO(3)")
    r = it.rep(action, f"V**{k}")
    dec = it.decompose(action, r)
    got = {int(x.name): x.multiplicity for x in dec.irreps}
    assert got == so3_multiplicities(k)
    assert all(x.dim == 2 * int(x.name) + 1 for x in dec.irreps)
    assert dec.exact
    check_blocks(r, dec)
    # each block's Casimir Σ L² is −l(l+1), computed here from its generators
    for x in dec.irreps:
        cas = sum(m.to_numpy() @ m.to_numpy() for m in x.rep.generators)
        ell = int(x.name)
        assert np.allclose(cas, -ell * (ell + 1) * np.eye(x.dim))


def test_o3_parity_names():
    dec2 = it.decompose("O(3)", "V**2")
    dec3 = it.decompose("O(3)", "V**3")
    assert dec2.summary() == "1x0e + 1x1e + 1x2e"
    assert dec3.summary() == "1x0o + 3x1o + 2x2o + 1x3o"


# ----------------------------------------------------------------- monoids
def _check_monoid(rep, dec):
    q = sympy.Matrix(dec.rational_basis.tolist())
    assert q.det() != 0
    qinv = q.inv()
    for k, m in enumerate(rep.generators):
        blocks = [
            sympy.Matrix(r.rep.generators[k].to_sympy())
            for r in dec.irreps
            for _ in range(r.multiplicity)
        ]
        assert qinv * m.to_sympy() * q == sympy.diag(*blocks)


@pytest.mark.parametrize("monoid,n", [("Shift(4)", 4), ("Trans(3)", 3)])
def test_monoid_rep_is_one_indecomposable(monoid, n):
    """The truncating shift (its commutant is the lower-triangular Toeplitz matrices, a local
    algebra) and Trans(n) (sum-zero subspace without an invariant complement) on R^n."""
    action = it.action(monoid)
    r = action.V()
    dec = it.decompose(action, r)
    assert [(x.dim, x.multiplicity, x.type) for x in dec.irreps] == [(n, 1, "indecomposable")]
    assert dec.indecomposable and dec.exact
    _check_monoid(r, dec)


def test_idempotent_monoid_splits_into_image_and_kernel(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"kind": "monoid", "degree": 2, "transformations": [[0, 0]]}))
    action = it.action(f"@{path}")
    r = action.V()
    dec = it.decompose(action, r)
    assert [(x.dim, x.multiplicity) for x in dec.irreps] == [(1, 1), (1, 1)]
    values = sorted(int(x.rep.generators[0].to_numpy()[0, 0]) for x in dec.irreps)
    assert values == [0, 1]  # the kernel (e acts as 0) and the image (e acts as 1)
    _check_monoid(r, dec)


@pytest.mark.parametrize(
    "monoid,rep", [("Shift(3)", "V**2"), ("Shift(2)", "V**3"), ("Shift(4)", "V**2")]
)
def test_one_nilpotent_generator_gives_its_jordan_blocks(monoid, rep):
    """A monoid generated by one nilpotent N: the indecomposables are the Jordan blocks of N, two
    isomorphic iff of equal size. The count of blocks of size >= k is rank N^(k-1) - rank N^k,
    from numpy ranks (independent of the decomposition)."""
    action = it.action(monoid)
    r = it.rep(action, rep)
    (g,) = [m.to_numpy() for m in r.generators]
    ranks = [r.dim] + [
        int(np.linalg.matrix_rank(np.linalg.matrix_power(g, k))) for k in range(1, r.dim + 1)
    ]
    at_least = [ranks[k - 1] - ranks[k] for k in range(1, r.dim + 1)]
    want = {k: at_least[k - 1] - (at_least[k] if k < r.dim else 0) for k in range(1, r.dim + 1)}
    want = {k: m for k, m in want.items() if m}
    dec = it.decompose(action, r)
    assert {x.dim: x.multiplicity for x in dec.irreps} == want
    assert all(x.type == "indecomposable" for x in dec.irreps)
    _check_monoid(r, dec)


def test_isomorphic_monoid_summands_are_one_class(tmp_path):
    """Summands with the same generators are one class (the split by primary components of one
    element must not be taken for non-isomorphism): the rep below has 4 summands on which both
    generators act as 0."""
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps({"kind": "monoid", "degree": 3, "transformations": [[1, 1, 2], [0, 0, 0]]})
    )
    action = it.action(f"@{path}")
    dec = it.decompose(action, it.rep(action, "V**2"))
    zero = [x for x in dec.irreps if all(not m.to_numpy().any() for m in x.rep.generators)]
    assert [(x.dim, x.multiplicity) for x in zero] == [(1, 4)]


# ----------------------------------------------------------------- bad input, CLI, JSON
def test_too_large_is_refused_before_the_work():
    with pytest.raises(SolverError, match="3125"):
        it.decompose("S(5)", "V**5")


def test_non_orthogonal_group_rep_decomposes_exactly():
    d = it.decompose("SL(2)", "V")
    assert [(r.dim, r.multiplicity, r.type) for r in d.irreps] == [(2, 1, "real")] and d.exact


def test_cli_json_contract(capsys):
    code = main(["decompose", "S(3)", "V**2", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {
        "group",
        "kind",
        "rep",
        "dim",
        "exact",
        "irreps",
        "change_of_basis",
        "indecomposable",
    } <= set(out)
    assert out["group"] == "S(3)" and out["kind"] == "group" and out["dim"] == 9
    assert [(x["dim"], x["name"]) for x in out["irreps"]] == sorted(
        (x["dim"], x["name"]) for x in out["irreps"]
    )
    assert all(set(x) == {"name", "dim", "multiplicity", "type"} for x in out["irreps"])
    q = np.array(out["change_of_basis"])
    assert q.shape == (9, 9) and np.allclose(q.T @ q, np.eye(9))
    exact = out["change_of_basis_exact"]
    rat = np.array([[float(Fraction(v)) for v in row] for row in exact["rational"]])
    scale = np.sqrt([float(Fraction(s)) for s in exact["scale_squares"]])
    assert np.allclose(rat * scale, q)


def test_cli_monoid_text_and_errors(capsys):
    assert main(["decompose", "Shift(3)", "V"]) == 0
    assert "1x3a" in capsys.readouterr().out
    assert main(["characters", "SO(3)"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "finite group" in err
    assert main(["characters", "S(3)", "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert [r["dim"] for r in table["irreps"]] == [1, 1, 2]


def test_orthogonality_proof_by_residues_matches_python_integers():
    """The multi-prime orthogonality test of the exact Lie method agrees with the Gram matrix
    computed in Python integers, for large entries (beyond float64's exact range) both when the
    copies are orthogonal and when one entry breaks it."""
    from intertwine.reps._residues import orthogonal_copies

    rng = np.random.default_rng(7)
    for _ in range(20):
        rows = int(rng.integers(4, 40))
        x = rng.integers(-(2**28), 2**28, rows)
        y = rng.integers(-(2**28), 2**28, rows)
        # (x, y) and (-y, x) stacked in interleaved coordinates are orthogonal
        a = np.stack([x, y], axis=1).reshape(-1, 1)
        b = np.stack([-y, x], axis=1).reshape(-1, 1)
        assert int((a.astype(object) * b.astype(object)).sum()) == 0
        assert orthogonal_copies([a, b])
        b2 = b.copy()
        b2[0, 0] += 1
        expected = int((a.astype(object) * b2.astype(object)).sum()) == 0
        assert orthogonal_copies([a, b2]) == expected


def test_enumeration_orders_and_classes_against_closed_forms():
    """Element orders and conjugacy classes from the index tables, against closed forms:
    Z(n) has φ(d) elements of order d and n classes; S(5)'s classes have the sizes
    n!/(Π k^{m_k} m_k!) of its cycle types."""
    from collections import Counter
    from math import gcd

    from intertwine.reps._enumerate import enumerate_group

    n = 360
    enum = enumerate_group(it.action(f"Z({n})"))
    assert enum.order == n and len(enum.classes) == n
    counts = Counter(enum.element_orders)
    for d in range(1, n + 1):
        if n % d == 0:
            phi = sum(1 for k in range(1, d + 1) if gcd(k, d) == 1)
            assert counts[d] == phi
    enum = enumerate_group(it.action("S(5)"))
    assert sorted(len(c) for c in enum.classes) == [1, 10, 15, 20, 20, 24, 30]
    # the left table is the regular action: every row is a permutation of the elements
    for row in enum.left:
        assert sorted(row) == list(range(120))


@pytest.mark.parametrize("n", [2, 3, 4])
def test_planar_decompositions_named_by_frequency(n):
    """SO(2) and O(2) tensor powers named by frequency, with multiplicities from counting the
    weights ±1 of V ⊗ C: frequency k ≥ 1 appears C(n, (n+k)/2) times, frequency 0 C(n, n/2)
    times; for O(2) the invariants 0e number (n−1)!! (Brauer) and 0o the rest."""
    from math import comb

    expected = {}
    for k in range(n % 2, n + 1, 2):
        expected[str(k)] = comb(n, (n + k) // 2)
    so2 = {r.name: r.multiplicity for r in it.decompose("SO(2)", f"V**{n}").irreps}
    assert so2 == expected
    o2 = {r.name: r.multiplicity for r in it.decompose("O(2)", f"V**{n}").irreps}
    if n % 2 == 0:
        even = 1
        for j in range(n - 1, 0, -2):
            even *= j
        zero = expected.pop("0")
        expected.update({"0e": even, "0o": zero - even})
    assert o2 == expected


def test_so2_irreps_refuse_a_parity_letter():
    with pytest.raises(it.SpecError, match="no parity letter"):
        it.rep("SO(2)", "1x2e")


def _blocks_residual(d, rep):
    """max |Q⁻¹ ρ(X) Q − ⊕ blocks| over the generators."""
    q = d.change_of_basis
    worst = 0.0
    for i, m in enumerate(rep.generators):
        blocks = [
            ir.rep.generators[i].to_numpy() for ir in d.irreps for _ in range(ir.multiplicity)
        ]
        worst = max(
            worst, float(np.abs(np.linalg.solve(q, m.to_numpy() @ q) - block_diag(*blocks)).max())
        )
    return worst


@pytest.mark.parametrize("k", [2, 3, 4])
def test_symmetric_powers_of_so3_are_harmonic_polynomials(k):
    """Sym^k(R³) under SO(3) is the harmonic polynomials of degrees k, k−2, …: one copy of each
    l ≡ k mod 2 (Fulton–Harris §11); the embedding's inner product is rebalanced, so float."""
    rep = it.rep("SO(3)", f"Sym(V, {k})")
    d = it.decompose("SO(3)", rep)
    assert {r.name: r.multiplicity for r in d.irreps} == {str(l): 1 for l in range(k % 2, k + 1, 2)}
    assert not d.exact
    assert _blocks_residual(d, rep) < 1e-10


def test_elastic_tensor_decomposes_into_two_scalars_two_l2_one_l4():
    """The 21 elastic constants under O(3): 2x0e + 2x2e + 1x4e (the two isotropic Lamé constants;
    Backus 1970's harmonic decomposition)."""
    rep = it.rep("O(3)", 'Tensor("ijkl=jikl=klij", V)')
    d = it.decompose("O(3)", rep)
    assert d.summary() == "2x0e + 2x2e + 1x4e"
    assert _blocks_residual(d, rep) < 1e-10


def test_large_finite_groups_name_irreps_by_their_generator_characters():
    """Above the character-table order, irreps are named by dimension and character on the
    generators: Dih(64)'s regular rep (order 128) has the four 1-dim irreps once and the 31
    rotation irreps (trace 2cos(2πk/64) on the rotation, 0 on the reflection) twice each."""
    d = it.decompose("Dih(64)", "R")
    ones = {r.name for r in d.irreps if r.dim == 1}
    assert ones == {"1[1,1]", "1[1,-1]", "1[-1,1]", "1[-1,-1]"}
    twos = {r.name: r.multiplicity for r in d.irreps if r.dim == 2}
    expected = set()
    for k in range(1, 32):
        v = 2 * np.cos(2 * np.pi * k / 64)
        r = round(v)
        expected.add(f"2[{r if abs(v - r) < 1e-9 else f'{v:.4g}'},0]")
    assert set(twos) == expected and set(twos.values()) == {2}
    names = [r.name for r in it.decompose("Z(150)", "R").irreps]
    assert len(set(names)) == len(names) == 76 and max(map(len, names)) < 16


@pytest.mark.parametrize(
    ("group", "rep", "expected"),
    [
        # Weyl's theorem: finite-dimensional reps of semisimple Lie algebras are completely
        # reducible. Over C: V⊗V = (0,0)+(1,0)+(0,1)+(1,1) for the Lorentz algebra, where
        # (1,0)+(0,1) is one real irrep of complex type (Λ²) and O(1,3)'s parity makes it real.
        ("O(1,3)", "V**2", {(1, 1, "real"), (6, 1, "real"), (9, 1, "real")}),
        ("SO(1,3)", "V**2", {(1, 1, "real"), (6, 1, "complex"), (9, 1, "real")}),
        # (1/2,1/2)^⊗3: four copies of V, (3/2,3/2), and twice the pair (3/2,1/2)+(1/2,3/2)
        ("SO(1,3)", "V**3", {(4, 4, "real"), (16, 1, "real"), (16, 2, "complex")}),
        ("SL(3)", "V * V*", {(1, 1, "real"), (8, 1, "real")}),  # trace + adjoint
        ("Sp(2)", "V**2", {(1, 1, "real"), (5, 1, "real"), (10, 1, "real")}),  # Λ² = 1+5, Sym²
    ],
)
def test_non_orthogonal_group_reps_decompose_into_proved_irreducibles(group, rep, expected):
    d = it.decompose(group, rep)
    assert {(r.dim, r.multiplicity, r.type) for r in d.irreps} == expected
    assert d.exact and not d.indecomposable
    assert _blocks_residual(d, it.rep(group, rep)) < 1e-9


def test_a_group_rep_that_is_not_completely_reducible_gives_indecomposables():
    """The unipotent group exp(t N), N = [[0, 1], [0, 0]], on R²: the line R e_1 is invariant
    with no invariant complement, so R² is one indecomposable summand, not irreducible."""
    from intertwine.spec import action_from_dict

    a = action_from_dict({"kind": "group", "degree": 2, "lie_algebra": [[[0, 1], [0, 0]]]})
    d = it.decompose(a, it.rep(a, "V"))
    assert d.indecomposable and [(r.dim, r.type) for r in d.irreps] == [(2, "indecomposable")]
