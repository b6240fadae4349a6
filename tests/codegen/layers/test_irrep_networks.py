"""Tensor products of irreps, the gate in the irrep basis, irrep networks and the change of basis
to irrep coordinates: equivariance under random group elements in float64 (expm of the rep's
own Lie generators, words in its discrete generators), the cross product from numpy, and
round trips."""

from __future__ import annotations

import jax
import numpy as np
import pytest
import scipy.linalg as sl
from helpers import load_source

import intertwine as it
from intertwine.codegen import irrep_gate, irrep_network, tensor_product
from intertwine.errors import IntertwineError


def element(reps, seed: int, scale: float = 1.0):
    """ρ(g) on each rep for one random g = w · exp(Σ c_i A_i): the same coefficients c (on the
    Lie generators) and the same word w (in the discrete generators) for every rep."""
    rng = np.random.default_rng(seed)
    kinds = reps[0].generator_kinds
    coeffs = scale * rng.normal(size=len(kinds))
    word = rng.integers(0, len(kinds), size=6)
    out = []
    for rep in reps:
        gens = rep.numpy()
        lie = [c * g for c, g, k in zip(coeffs, gens, kinds) if k == "lie"]
        m = sl.expm(sum(lie)) if lie else np.eye(rep.dim)
        for i in word:
            if kinds[i] == "discrete":
                m = gens[i] @ m
        out.append(m)
    return out


def f64(tree):
    return jax.tree_util.tree_map(lambda v: np.asarray(v, np.float64), tree)


TP_CASES = [
    ("O(3)", "2x0e + 2x1o + 1x2e", "1x0e + 1x1o + 1x2e", "2x0e + 2x1o + 2x1e + 1x2e + 1x0o", "uvw"),
    ("SO(3)", "2x0 + 1x1 + 1x2", "1x1 + 1x2", "1x0 + 2x1 + 1x2 + 1x3", "uvw"),
    ("O(3)", "3x0e + 2x1o", "1x0e + 1x1o", "3x0e + 2x1o + 3x1o + 2x1e", "uvu"),
    ("SO(2)", "2x1 + 1x2", "1x1 + 1x0", "1x0 + 1x1 + 2x2 + 1x3", "uvw"),  # complex: 2 paths
    ("O(2)", "1x0e + 2x1 + 1x0o", "1x1", "2x1 + 1x0e + 1x0o + 1x2", "uvw"),
]


@pytest.mark.parametrize("group,a,b,c,mode", TP_CASES)
def test_tensor_product_is_equivariant(group, a, b, c, mode):
    tp = tensor_product(group, a, b, c, mode=mode)
    assert tp.plan.num_weights > 0 and tp.plan.exact
    params = f64(tp.init(jax.random.PRNGKey(0)))
    reps = [it.rep(group, r) for r in (a, b, c)]
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(4, reps[0].dim)), rng.normal(size=(4, reps[1].dim))
    apply = jax.jit(tp.apply)
    for seed in range(3):
        ra, rb, rc = element(reps, seed)
        with jax.enable_x64():
            lhs = np.asarray(apply(params, x @ ra.T, y @ rb.T))
            rhs = np.asarray(apply(params, x, y)) @ rc.T
        np.testing.assert_allclose(lhs, rhs, atol=1e-10)
    # the NumPy plan agrees with the JAX layer
    z = tp.plan.apply_numpy(params["weights"], x, y)
    with jax.enable_x64():
        np.testing.assert_allclose(np.asarray(apply(params, x, y)), z, atol=1e-12)


def test_so2_complex_irreps_have_two_paths():
    """Hom_SO(2)(1 ⊗ 1, 2) is 2-dimensional over R (frequencies are complex irreps)."""
    tp = tensor_product("SO(2)", "1x1", "1x1", "1x2")
    assert [p.shape for p in tp.plan.paths] == [(2, 1, 1, 1)]


def test_vector_times_vector_into_1e_is_the_cross_product():
    """O(3): 1o ⊗ 1o → 1e has one path, a multiple of x × y (numpy's cross, e3nn's (x, y, z)
    order for 1o), with e3nn's normalisation √3 · (x × y)/√6 · θ."""
    tp = tensor_product("O(3)", "1x1o", "1x1o", "1x1e")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    with jax.enable_x64():
        z = np.asarray(tp.apply({"weights": np.ones(1)}, x, y))
    np.testing.assert_allclose(np.abs(z), np.abs(np.cross(x, y)) / np.sqrt(2), atol=1e-12)
    ratio = z / np.cross(x, y)
    np.testing.assert_allclose(ratio, ratio[0, 0], atol=1e-12)
    # the parity rule: 1o ⊗ 1o has no path into 1o; a layer without any path warns
    assert tensor_product("O(3)", "1x1o", "1x1o", "1x1o + 1x0e").plan.paths[0].k == 1
    with pytest.warns(it.EmptyLayerWarning, match="no Clebsch-Gordan path"):
        tensor_product("O(3)", "1x1o", "1x1o", "1x1o")


def test_component_normalisation_gives_unit_variance():
    tp = tensor_product("O(3)", "16x0e + 16x1o + 16x2e", "1x0e + 1x1o + 1x2e", "16x0e + 16x1o")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(512, 144)), rng.normal(size=(512, 9))
    z = tp.plan.apply_numpy(rng.normal(size=tp.plan.num_weights), x, y)
    assert 0.8 < z.std() < 1.2


def test_uvu_needs_the_copies_of_a():
    with pytest.raises(IntertwineError, match="uvu"):
        tensor_product("O(3)", "3x0e", "1x1o", "2x1o", mode="uvu")
    with pytest.raises(IntertwineError, match="mode"):
        tensor_product("O(3)", "1x0e", "1x0e", "1x0e", mode="uuu")


def test_gate_scales_each_copy_by_its_own_gate():
    gate = irrep_gate("O(3)", "1x0e + 2x1o")
    assert str(gate.rep_in) == "1x0e + 2x1o + 2*1"
    x = np.arange(1.0, 10.0)  # s, v1 (3), v2 (3), t1, t2
    with jax.enable_x64():
        y = np.asarray(gate(x))
    sig = 1 / (1 + np.exp(-x[7:]))
    np.testing.assert_allclose(y[0], x[0] / (1 + np.exp(-x[0])))
    np.testing.assert_allclose(y[1:4], x[1:4] * sig[0])
    np.testing.assert_allclose(y[4:7], x[4:7] * sig[1])


def _finite_irreps(group, rep):
    return it.to_irreps(group, rep).irreps


NETWORKS = [  # depth 2 for SO(3) (hidden -> hidden products), 1 elsewhere (tests stay fast)
    ("SO(3)", "1x1", "1x1 + 1x0", "2x0 + 1x1 + 1x2", 1.0),
    ("O(3)", "1x1o + 1x0e", "1x1o + 1x0o", "2x0e + 1x1o + 1x1e + 1x0o", 1.0),
    ("SO(2)", "1x1", "1x1 + 1x0", "2x0 + 1x1 + 1x2", 1.0),
    ("O(2)", "1x1", "1x1 + 1x0e", "2x0e + 1x1 + 1x0o", 1.0),
    ("SO(1,3)", "V", "V + 1", "2*1 + V", 0.3),  # Lorentz: non-unitary, still equivariant
]


@pytest.mark.parametrize("group,a,b,hidden,scale", NETWORKS)
def test_irrep_network_is_equivariant(group, a, b, hidden, scale):
    net = irrep_network(group, a, b, hidden, 2 if group == "SO(3)" else 1)
    params = f64(jax.jit(net.init)(jax.random.PRNGKey(0)))
    assert "products" in params
    reps = [it.rep(group, r) for r in (a, b)]
    x = np.random.default_rng(2).normal(size=(2, reps[0].dim))
    ra, rb = element(reps, 0, scale)
    with jax.enable_x64():  # one compiled call: the sample and its transform side by side
        y = np.asarray(jax.jit(net.apply)(params, np.concatenate([x, x @ ra.T])))
    lhs, rhs = y[2:], y[:2] @ rb.T
    np.testing.assert_allclose(lhs, rhs, atol=1e-9 * max(1.0, np.abs(rhs).max()))


def test_irrep_network_for_a_finite_group_from_its_decomposition():
    """D(6) on R² (a finite group given by generators): the irreps of V + V**2 from
    decompose as IN, hidden and OUT."""
    irreps = it.to_irreps("D(6)", "V + V**2").irreps
    assert str(irreps) != "V + V**2"
    net = irrep_network("D(6)", irreps, irreps, irreps, 1)
    params = f64(jax.jit(net.init)(jax.random.PRNGKey(1)))
    x = np.random.default_rng(3).normal(size=(2, irreps.dim))
    (r,) = element([irreps], 0)
    with jax.enable_x64():
        y = np.asarray(jax.jit(net.apply)(params, np.concatenate([x, x @ r.T])))
    np.testing.assert_allclose(y[2:], y[:2] @ r.T, atol=1e-10)


@pytest.mark.parametrize(
    "group,rep,named",
    [
        ("O(3)", "V**2", "1x0e + 1x1e + 1x2e"),
        ("SO(3)", "V**3", "1x0 + 3x1 + 2x2 + 1x3"),
        ("O(3)", "Sym(V, 3)", "1x1o + 1x3o"),  # decompose rescales Sym: Q is not orthogonal
        ("D(6)", "V**2", None),
        ("SO(2)", "V**2", None),
    ],
)
def test_to_irreps_round_trip_and_equivariance(group, rep, named):
    c = it.to_irreps(group, rep)
    if named is not None:
        assert str(c.irreps) == named
    n = c.to_irreps.shape[0]
    np.testing.assert_allclose(c.from_irreps @ c.to_irreps, np.eye(n), atol=1e-12)
    np.testing.assert_allclose(c.to_irreps @ c.from_irreps, np.eye(n), atol=1e-12)
    r = it.rep(group, rep)
    for seed in range(3):
        g, h = element([r, c.irreps], seed)
        np.testing.assert_allclose(c.to_irreps @ g, h @ c.to_irreps, atol=1e-10)


def test_tensor_layers_mix_with_irrep_layers():
    """A V**2 -> V**2 layer read in irrep coordinates is block-diagonal (Schur): the change of
    basis carries tensor-coordinate layers to irrep layers and back."""
    c = it.to_irreps("O(3)", "V**2")
    lin = it.codegen.equivariant_linear("O(3)", "V**2", "V**2", bias=False)
    params = f64(lin.init(jax.random.PRNGKey(0)))
    with jax.enable_x64():
        w = np.asarray(lin.apply(params, np.eye(9))).T  # the layer's W, column by column
    block = c.to_irreps @ w @ c.from_irreps  # W in irrep coordinates: block-diagonal by Schur
    np.testing.assert_allclose(block[0, 1:], 0, atol=1e-10)
    np.testing.assert_allclose(block[1:4, 4:], 0, atol=1e-10)
    np.testing.assert_allclose(block[4:, :4], 0, atol=1e-10)
    np.testing.assert_allclose(block[1:4, 1:4], block[1, 1] * np.eye(3), atol=1e-10)


def test_to_irreps_refuses_monoids():
    with pytest.raises(IntertwineError, match="monoid"):
        it.to_irreps("Shift(3)", "V")


_load = load_source


# torch.jit.script warns it is old (a DeprecationWarning, from torch 2.14 a FutureWarning)
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:.*jit.script.*:FutureWarning")
@pytest.mark.parametrize("mode", ["uvw", "uvu"])
@pytest.mark.parametrize("target", ["numpy", "jax", "torch"])
def test_exported_tensor_products_equal_the_jax_layer(tmp_path, target, mode):
    from intertwine.codegen import emit_tensor_product

    if target == "torch":
        pytest.importorskip("torch", reason="PyTorch is not installed: the torch target skips")
    a, b, c = "2x0e + 2x1o + 1x2e", "1x0e + 1x1o", "2x0e + 2x1o + 2x1e + 1x2e"
    tp = tensor_product("O(3)", a, b, c, mode=mode)
    params = tp.init(jax.random.PRNGKey(0))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2, tp.plan.rep_a.dim)).astype(np.float32)
    y = rng.normal(size=(3, 2, tp.plan.rep_b.dim)).astype(np.float32)
    ref = np.asarray(jax.jit(tp.apply)(params, x, y))
    out = emit_tensor_product(tp, target=target, name="TP")
    mod = _load(tmp_path, out.source, f"tp_{target}_{mode}")
    if target == "torch":
        torch = pytest.importorskip("torch", reason="torch is an optional export target")
        m = mod.TP()
        with torch.no_grad():
            m.weights.copy_(torch.from_numpy(np.array(params["weights"])))
            z = m(torch.from_numpy(x), torch.from_numpy(y)).numpy()
            scripted = torch.jit.script(m)(torch.from_numpy(x), torch.from_numpy(y)).numpy()
        np.testing.assert_allclose(scripted, z, atol=1e-6)
        # equivariance of the exported module itself, in float64
        rep = [it.rep("O(3)", r) for r in (a, b, c)]
        ra, rb, rc = element(rep, 1)
        x64, y64 = torch.from_numpy(x.astype(np.float64)), torch.from_numpy(y.astype(np.float64))
        with torch.no_grad():
            lhs = m(x64 @ torch.from_numpy(ra.T), y64 @ torch.from_numpy(rb.T)).numpy()
            rhs = m(x64, y64).numpy() @ rc.T
        np.testing.assert_allclose(lhs, rhs, atol=1e-9)
    else:
        z = np.asarray(mod.TP({"weights": np.asarray(params["weights"])}, x, y))
    np.testing.assert_allclose(z, ref, atol=1e-5)


def test_irrep_network_refuses_a_bad_depth_and_can_leave_out_products():
    with pytest.raises(IntertwineError, match="depth"):
        irrep_network("O(3)", "1x1o", "1x1o", "2x0e + 1x1o", 0)
    net = irrep_network("O(3)", "1x1o", "1x1o", "2x0e + 1x1o", 1, products=False)
    assert "products" not in jax.eval_shape(net.init, jax.random.PRNGKey(0))


def test_lorentz_tensor_coordinates_to_irreps_and_back():
    """SO(1,3)'s V**2 has no invariant inner product; its irrep coordinates come from the exact
    decomposition (1 + 6 + 9) and the change of basis intertwines: T ρ(X) = ρ_irreps(X) T for
    every Lie generator, with T⁻¹ its inverse."""
    c = it.to_irreps("SO(1,3)", "V**2")
    assert c.irreps.dim == 16 and c.exact
    t, ti = np.asarray(c.to_irreps), np.asarray(c.from_irreps)
    np.testing.assert_allclose(ti @ t, np.eye(16), atol=1e-9)
    src = it.rep("SO(1,3)", "V**2").numpy()
    dst = c.irreps.numpy()
    for a, b in zip(src, dst):
        np.testing.assert_allclose(t @ a, b @ t, atol=1e-9)


def test_equal_tensor_products_have_equal_plans():
    """Two tensor products built alike have plans equal and hashed alike (so they share compiled
    code); another output makes another plan."""
    from intertwine.codegen.layout import tensor_product_plan

    act = it.action("O(3)")
    a, b = it.rep(act, "2x0e + 1x1o"), it.rep(act, "1x1o")
    p1 = tensor_product_plan(act, a, b, it.rep(act, "1x0e + 1x1e"))
    p2 = tensor_product_plan(it.action("O(3)"), a, b, it.rep(act, "1x0e + 1x1e"))
    p3 = tensor_product_plan(act, a, b, it.rep(act, "1x0e"))
    assert p1 is not p2 and p1 == p2 and hash(p1) == hash(p2)
    assert p1 != p3
    assert not p1.paths[0].cg.flags.writeable
