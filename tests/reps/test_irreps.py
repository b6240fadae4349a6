"""Irreps notation (SO(3)/O(3) in e3nn's basis, SO(2)/O(2) by frequency), Schur's block bases and
Clebsch–Gordan coefficients, checked against independent computations: scipy's spherical
harmonics at rotated points, the Weyl character integral, the generic solver, exact sympy
arithmetic, and e3nn-jax where it is installed."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl
import scipy.special as ss
import sympy

import intertwine as it
from intertwine.errors import SpecError

LMAX = 6


# ----------------------------------------------------------------- independent references
def real_sh(l: int, x: np.ndarray) -> np.ndarray:
    """e3nn's real spherical harmonics of degree l at the unit vector x, from scipy's complex
    ones: polar axis y, azimuth atan2(x, z), Wikipedia's real combinations (e3nn's
    ``change_basis_real_to_complex`` written out here again), up to a constant factor."""
    theta, phi = np.arccos(np.clip(x[1], -1, 1)), np.arctan2(x[0], x[2])
    yc = np.array([ss.sph_harm_y(l, m, theta, phi) for m in range(-l, l + 1)])
    q = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l - m, l + m], q[l - m, l - m] = 1 / np.sqrt(2), -1j / np.sqrt(2)
        q[l + m, l + m], q[l + m, l - m] = (-1) ** m / np.sqrt(2), 1j * (-1) ** m / np.sqrt(2)
    yr = np.conj(q).T @ yc
    assert np.max(np.abs(yr.imag)) < 1e-12
    return yr.real


def weyl_multiplicity(l1: int, l2: int, l3: int) -> float:
    """dim Hom_SO(3)(l1 ⊗ l2, l3) by the Weyl integral (2/π) ∫_0^π χ1 χ2 χ3 sin²(θ/2) dθ with
    χ_l(θ) = sin((l + ½)θ) / sin(θ/2), by the trapezoid rule on a fine grid."""
    theta = np.linspace(1e-9, np.pi, 2001)

    def chi(l):
        return np.sin((l + 0.5) * theta) / np.sin(theta / 2)

    f = chi(l1) * chi(l2) * chi(l3) * np.sin(theta / 2) ** 2
    return float(np.trapezoid(f, theta) * 2 / np.pi)


def _random_rotation_log(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=3)


# ----------------------------------------------------------------- SO(3), O(3) irreps
@pytest.mark.parametrize("l", range(LMAX + 1))
def test_so3_irrep_moves_spherical_harmonics(l):
    """Y_l(R x) = D^l(R) Y_l(x), with D^l = expm of the irrep's own Lie generators, for the
    same combination of the action's generators that gives R on V."""
    rep, vec = it.rep("SO(3)", f"1x{l}"), it.rep("SO(3)", "V")
    assert rep.dim == 2 * l + 1
    for seed in range(3):
        w = _random_rotation_log(seed)
        r = sl.expm(sum(c * g for c, g in zip(w, vec.numpy())))
        d = sl.expm(sum(c * g for c, g in zip(w, rep.numpy())))
        for x in np.random.default_rng(10 + seed).normal(size=(4, 3)):
            x = x / np.linalg.norm(x)
            np.testing.assert_allclose(real_sh(l, r @ x), d @ real_sh(l, x), atol=1e-10)
    for h_vec, h in zip(vec.helpers, rep.helpers):  # the quarter turns, exact
        x = np.array([0.3, -0.5, 0.8]) / np.linalg.norm([0.3, -0.5, 0.8])
        np.testing.assert_allclose(
            real_sh(l, h_vec.to_numpy() @ x), h.to_numpy() @ real_sh(l, x), atol=1e-10
        )


@pytest.mark.parametrize("l", [0, 1, 2, 5])
def test_o3_parity_is_the_sign_of_minus_identity(l):
    """ρ_{l,p}(reflect) = p · D^l(−reflect); with p = (−1)^l the spherical harmonics transform
    as functions: Y(g x) = ρ(g) Y(x) for the reflection too."""
    p = "e" if l % 2 == 0 else "o"
    q = "o" if p == "e" else "e"
    natural, other = it.rep("O(3)", f"1x{l}{p}"), it.rep("O(3)", f"1x{l}{q}")
    reflect = np.diag([-1.0, 1.0, 1.0])
    x = np.array([0.6, 0.48, -0.64])
    np.testing.assert_allclose(
        real_sh(l, reflect @ x), natural.numpy()[3] @ real_sh(l, x), atol=1e-10
    )
    np.testing.assert_array_equal(other.numpy()[3], -natural.numpy()[3])
    assert other.generators[:3] == natural.generators[:3]


def test_irreps_are_exact_and_1o_is_v():
    assert it.rep("O(3)", "1x1o") == it.rep("O(3)", "V")
    assert it.rep("SO(3)", "1x1") == it.rep("SO(3)", "V")
    two = it.rep("SO(3)", "1x2e")
    assert all(m.is_exact for m in two.generators)
    assert sympy.sqrt(3) in {abs(v) for m in two.generators for v in m.to_sympy().values()}
    # the exact commutation relations of the action's generators hold on the irrep
    g = [m.to_sympy() for m in it.rep("SO(3)", "1x3").generators]
    v = [m.to_sympy() for m in it.rep("SO(3)", "V").generators]
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        lhs_v = v[a] * v[b] - v[b] * v[a]
        coeffs = [lhs_v[1, 0], lhs_v[2, 0], lhs_v[2, 1]]  # in the basis L01, L02, L12
        lhs = (g[a] * g[b] - g[b] * g[a]).applyfunc(sympy.expand)
        rhs = sum((c * gi for c, gi in zip(coeffs, g)), sympy.zeros(7, 7))
        assert (lhs - rhs).applyfunc(sympy.expand) == sympy.zeros(7, 7)


def test_irreps_notation_prints_back_and_errors():
    assert str(it.rep("O(3)", "2x0e + 1x1o")) == "2x0e + 1x1o"
    assert it.rep("O(3)", "2x0e + 1x1o").dim == 5
    assert str(it.rep("O(3)", "1o * 2e + V")) == "1o * 2e + V"
    assert it.rep("O(3)", "2x0e") == it.rep("O(3)", "1 + 1")
    with pytest.raises(SpecError, match="parity"):
        it.rep("O(3)", "1x1")
    with pytest.raises(SpecError, match="no irreps notation"):
        it.rep("S(4)", "1x1o")
    with pytest.raises(SpecError, match="1x2 for the irrep"):
        it.rep("SO(3)", "2")
    with pytest.raises(SpecError, match="multiplicity"):
        it.rep("O(3)", "0x1o")
    with pytest.raises(SpecError, match="limited"):
        it.rep("SO(3)", "1x99")
    with pytest.raises(SpecError, match="two irreps of frequency 0"):
        it.rep("O(2)", "1x0")


# ----------------------------------------------------------------- SO(2), O(2)
@pytest.mark.parametrize("group", ["SO(2)", "O(2)"])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_planar_frequency_irreps(group, k):
    rep, vec = it.rep(group, f"1x{k}"), it.rep(group, "V")
    theta = 0.37
    d = sl.expm(theta * rep.numpy()[0])
    np.testing.assert_allclose(
        d,
        [[np.cos(k * theta), -np.sin(k * theta)], [np.sin(k * theta), np.cos(k * theta)]],
        atol=1e-12,
    )
    for h in rep.helpers:  # the quarter turn: rotation by k·π/2
        c, s = round(np.cos(k * np.pi / 2)), round(np.sin(k * np.pi / 2))
        assert h.to_numpy().tolist() == [[c, -s], [s, c]]
    assert it.rep(group, "1x1") == vec


def test_planar_homs_by_the_tensor_product_rule():
    """k1 ⊗ k2 = (k1 + k2) ⊕ |k1 − k2| for O(2) (k ⊗ k = 2k ⊕ 0e ⊕ 0o); SO(2)'s frequencies are
    complex irreps, so each Hom between equal frequencies has dimension 2."""
    assert it.solve("O(2)", "1x1 * 1x2", "1x3").dim == 1
    assert it.solve("O(2)", "1x1 * 1x2", "1x1").dim == 1
    assert it.solve("O(2)", "1x1 * 1x2", "1x2").dim == 0
    assert it.solve("O(2)", "1x2 * 1x2", "1x0e + 1x0o + 1x4").dim == 3
    assert it.solve("SO(2)", "1x1 * 1x2", "1x3").dim == 2
    assert it.solve("SO(2)", "1x2 * 1x2", "1x0").dim == 2


# ----------------------------------------------------------------- Schur's block bases
@pytest.mark.parametrize(
    ("group", "rep_in", "rep_out", "dim"),
    [
        ("O(3)", "16x0e + 16x1o", "8x1o", 16 * 8),
        ("O(3)", "2x0e + 3x2e + 1x2o", "1 + 2x2e + 4x2o", 2 + 6 + 4),
        ("SO(3)", "2x1e + 1x1o", "1x1", 3),  # SO(3) has no parity
        ("SO(2)", "2x1 + 1x0", "1x1 + 3x0", 2 * 2 + 3),  # End of a frequency is 2-dim
        ("O(2)", "2x1 + 1x0o", "1x1 + 1x0e", 2),
    ],
)
def test_schur_block_basis(group, rep_in, rep_out, dim):
    b = it.solve(group, rep_in, rep_out)
    assert (b.dim, b.method, b.exact) == (dim, "schur", True)
    assert b.signed_tying is not None


@pytest.mark.parametrize(
    ("group", "rep_in", "rep_out"),
    [("O(3)", "2x0e + 2x1o", "1x1o + 1x0e"), ("SO(2)", "2x1 + 1x2", "1x1 + 1x2")],
)
def test_schur_basis_spans_what_the_solver_finds(group, rep_in, rep_out):
    fast = it.solve(group, rep_in, rep_out)
    slow = it.solve(group, rep_in, rep_out, method="numeric")
    assert slow.method != "schur" and fast.dim == slow.dim
    a = np.vstack([fast.sparse.toarray(), slow.sparse.toarray()]).astype(float)
    assert np.linalg.matrix_rank(a, tol=1e-9) == fast.dim


# ----------------------------------------------------------------- Clebsch–Gordan
def test_clebsch_gordan_paths_match_the_weyl_integral():
    for l1 in range(LMAX + 1):
        for l2 in range(LMAX + 1):
            for l3 in range(LMAX + 1):
                cg = it.clebsch_gordan("SO(3)", f"1x{l1}", f"1x{l2}", f"1x{l3}")
                assert cg.paths == round(weyl_multiplicity(l1, l2, l3)), (l1, l2, l3)
                assert cg.exact and cg.array.shape[1:] == (2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1)


@pytest.mark.parametrize("ls", [(2, 3, 4), (6, 6, 6), (5, 6, 1), (4, 4, 3)])
def test_clebsch_gordan_is_equivariant_under_random_rotations(ls):
    l1, l2, l3 = ls
    cg = it.clebsch_gordan("SO(3)", *(f"1x{l}" for l in ls)).array[0]
    np.testing.assert_allclose(np.sum(cg**2), 1.0, atol=1e-12)
    w = _random_rotation_log(sum(ls))
    d1, d2, d3 = (
        sl.expm(sum(c * g for c, g in zip(w, it.rep("SO(3)", f"1x{l}").numpy()))) for l in ls
    )
    # z_c = Σ C[a, b, c] x_a y_b is equivariant: z(D1 x, D2 y) = D3 z(x, y) for all x, y
    np.testing.assert_allclose(
        np.einsum("abc,ax,by->xyc", cg, d1, d2), np.einsum("xyd,cd->xyc", cg, d3), atol=1e-10
    )


def test_clebsch_gordan_exact_values_satisfy_the_constraint_exactly():
    """The sympy form W of 1 ⊗ 2 → 2 and 2 ⊗ 2 → 2 against the reps' exact generators."""
    for ls in [(1, 2, 2), (2, 2, 2)]:
        reps = [it.rep("SO(3)", f"1x{l}") for l in ls]
        (w_arr,) = it.clebsch_gordan("SO(3)", *reps).sympy()
        d1, d2, d3 = (r.dim for r in reps)
        w = sympy.Matrix(
            [[w_arr[ab // d2, ab % d2, c] for ab in range(d1 * d2)] for c in range(d3)]
        )
        for ga, gb, gc in zip(*(r.generators for r in reps)):
            a, b, c = ga.to_sympy(), gb.to_sympy(), gc.to_sympy()
            x_in = sympy.kronecker_product(a, sympy.eye(d2)) + sympy.kronecker_product(
                sympy.eye(d1), b
            )
            diff = (w * x_in - c * w).applyfunc(lambda v: sympy.nsimplify(sympy.expand(v)))
            assert diff == sympy.zeros(d3, d1 * d2)
        assert sum(v**2 for v in w) == 1


@pytest.mark.parametrize("ls", [(1, 1, 1), (1, 1, 2), (2, 1, 1)])
def test_clebsch_gordan_spans_the_solvers_hom(ls):
    reps = [it.rep("SO(3)", f"1x{l}") for l in ls]
    cg = it.clebsch_gordan("SO(3)", *reps)
    basis = it.solve("SO(3)", reps[0] * reps[1], reps[2])
    assert basis.method != "schur" and basis.dim == cg.paths == 1
    w = cg.array[0].transpose(2, 0, 1).reshape(-1)
    b = basis.dense[0].reshape(-1)
    np.testing.assert_allclose(abs(w @ b), np.linalg.norm(b), rtol=1e-10)


def test_clebsch_gordan_on_sums_of_irreps_and_parity():
    cg = it.clebsch_gordan("O(3)", "2x1o + 1x0e", "1x1o", "1x1e + 1x0e + 1x2e + 1x1o")
    # 1o⊗1o → 1e, 0e, 2e for each of the two 1o copies; 0e⊗1o → 1o
    assert cg.paths == 2 * 3 + 1 and cg.exact
    solver = it.solve("O(3)", "1x1o * 1x1o", "1x1e + 1x0e + 1x1o", method="exact")
    assert solver.dim == 2
    assert it.clebsch_gordan("O(3)", "1x1o", "1x1o", "1x1o").paths == 0  # parity forbids


def test_clebsch_gordan_of_other_reps_through_the_solver():
    cg = it.clebsch_gordan("S(3)", "V", "V", "V")
    assert (cg.paths, cg.exact) == (5, True)  # set partitions of 3 points
    np.testing.assert_allclose(np.sum(cg.array**2, axis=(1, 2, 3)), 1.0)
    q = cg.signed_squares()
    np.testing.assert_allclose(
        np.vectorize(lambda v: np.sign(float(v)) * np.sqrt(abs(float(v))))(q), cg.array
    )


# ----------------------------------------------------------------- e3nn-jax, where installed
@pytest.fixture
def e3nn():
    """e3nn-jax with float64 enabled for the test only (restored after: a global switch would
    change the dtype of every later test in the same worker)."""
    module = pytest.importorskip(
        "e3nn_jax", reason="e3nn-jax is not installed (see benchmarks/clebsch_gordan.py)"
    )
    import jax

    before = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield module
    jax.config.update("jax_enable_x64", before)


def test_generators_equal_e3nn_jax(e3nn):
    """e3nn's generators, and its O(3) convention D(g) = p^[det g = −1] D^l(det g · g) at the
    action's reflection diag(−1, 1, 1) = −(rotation by π about x)."""
    from e3nn_jax._src.so3 import generators

    for l in range(LMAX + 1):
        gx, gy, gz = np.asarray(generators(l))
        for p in "eo":
            g = it.rep("O(3)", f"1x{l}{p}").numpy()
            np.testing.assert_allclose(g[0], gz, atol=1e-12)  # L01: rotation about z
            np.testing.assert_allclose(g[1], -gy, atol=1e-12)  # L02 = −X_y
            np.testing.assert_allclose(g[2], gx, atol=1e-12)  # L12: rotation about x
            parity = e3nn.Irrep(f"{l}{p}").p
            np.testing.assert_allclose(g[3], parity * sl.expm(np.pi * gx), atol=1e-10)


def test_clebsch_gordan_equals_e3nn_jax(e3nn):
    for l1 in range(LMAX + 1):
        for l2 in range(LMAX + 1):
            for l3 in range(abs(l1 - l2), min(l1 + l2, LMAX) + 1):
                ours = it.clebsch_gordan("SO(3)", f"1x{l1}", f"1x{l2}", f"1x{l3}").array[0]
                theirs = np.asarray(e3nn.clebsch_gordan(l1, l2, l3))
                np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_irreps_tensor_product_counts_equal_e3nn_jax(e3nn):
    a, b = "2x0e + 1x1o + 1x2e", "1x1o + 1x2o"
    c = " + ".join(f"1x{l}{p}" for l in range(5) for p in "eo")
    cg = it.clebsch_gordan("O(3)", a, b, c)
    theirs = e3nn.tensor_product(e3nn.Irreps(a), e3nn.Irreps(b))
    assert cg.paths == theirs.num_irreps


def test_layer_on_irreps_is_equivariant():
    """A linear layer between sums of irreps (its basis from Schur's lemma) commutes with
    random rotations and the reflection, in float32."""
    import jax

    from intertwine.codegen import equivariant_linear

    rep_in, rep_out = it.rep("O(3)", "4x0e + 2x1o + 1x2e"), it.rep("O(3)", "2x1o + 1x2e + 1x0e")
    layer = equivariant_linear("O(3)", rep_in, rep_out)
    params = layer.init(jax.random.PRNGKey(0))
    x = np.random.default_rng(0).normal(size=(3, rep_in.dim)).astype(np.float32)
    w = _random_rotation_log(7)
    for d_in, d_out in [
        (
            sl.expm(sum(c * g for c, g in zip(w, rep_in.numpy()))),
            sl.expm(sum(c * g for c, g in zip(w, rep_out.numpy()))),
        ),
        (rep_in.numpy()[3], rep_out.numpy()[3]),
    ]:
        y_rot = np.asarray(layer.apply(params, (x @ d_in.T).astype(np.float32)))
        rot_y = np.asarray(layer.apply(params, x)) @ d_out.T
        np.testing.assert_allclose(y_rot, rot_y, atol=1e-4)


def test_gates_read_0e_as_a_scalar_and_0o_as_a_block():
    from intertwine.codegen.layers._gated import gated_rep

    # one gate per non-scalar block: the two 1o copies and the pseudoscalar 0o
    assert gated_rep(it.rep("O(3)", "4x0e + 2x1o + 1x0o")).dim == 4 + 6 + 1 + 3


def test_schur_basis_too_large_is_refused_before_the_work():
    with pytest.raises(it.SolverError, match="Schur basis of 9,999,800,001"):
        it.solve("O(3)", "99999x0e", "99999x0e")


def test_large_l_clebsch_gordan_is_float_and_an_intertwiner():
    """Above the exact route's size (l = 20: 41^3 unknowns) the coefficients come from Racah's
    formula in float64, marked exact False, and still intertwine to float accuracy: checked
    against the generators of the irreps (dρ_c C = C (dρ_a ⊗ 1 + 1 ⊗ dρ_b))."""
    rep = it.rep("SO(3)", "1x20e")
    cg = it.clebsch_gordan("SO(3)", rep, rep, rep)
    assert not cg.exact and cg.array.shape == (1, 41, 41, 41)
    t = cg.array[0]
    for g in rep.generators:
        x = g.to_numpy().astype(float)
        lhs = np.einsum("abc,dc->abd", t, x)
        rhs = np.einsum("dbc,da->abc", t, x) + np.einsum("adc,db->abc", t, x)
        # Racah's sums lose digits at l = 20 (about 1e-8 relative here): a float result
        assert np.abs(lhs - rhs).max() < 1e-6 * np.abs(t).max() * np.abs(x).max()
