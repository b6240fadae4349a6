"""Layers between sums of irreps: the block-diagonal plan (Schur's lemma) equals W formed from
the Schur basis, is equivariant, and every export target applies the same plan."""

import jax
import numpy as np
import pytest
import scipy.linalg as sl
from helpers import load_source

import intertwine as it
from intertwine.codegen import emit, equivariant_linear
from intertwine.codegen.layout import IrrepPlan
from intertwine.solver import solve

CASES = [
    ("O(3)", "16x0e + 16x1o", "8x1o", None),
    ("O(3)", "2x0e + 1x1o + 1x2e", "2x0e + 1x1o + 1x2e", (3, 2)),
    ("SO(2)", "2x1 + 1x0 + 1x2", "1x1 + 2x2 + 1x3 + 1x0", (2, 3)),  # complex irreps: I and J
    ("O(2)", "1x0e + 2x1 + 1x0o", "2x1 + 1x0e + 1x0o", (1, 2)),
    ("O(3)", "1x1o", "1x1o + 1x0o", (1, 1)),  # an output irrep absent from the input: zero
]


def _dense_reference(group, a, b, theta, x):
    """y = W x with W[o, c] = Σ_k θ[o, c, k] B_k formed from the Schur basis (no plan)."""
    basis = solve(group, a, b)
    assert basis.method == "schur"
    dense = basis.sparse.toarray().astype(np.float64).reshape(basis.dim, b_dim := basis.out_dim, -1)
    w = np.einsum("ock,kij->ocij", theta, dense)
    assert w.shape[2] == b_dim
    return np.einsum("ocij,ncj->noi", w, x)


def _layer(group, a, b, ch, seed=0):
    layer = equivariant_linear(group, a, b, channels=ch)
    params = layer.init(jax.random.PRNGKey(seed))
    if "bias" in params:
        params["bias"] = jax.random.normal(jax.random.PRNGKey(seed + 1), params["bias"].shape)
    return layer, {k: np.asarray(v, np.float64) for k, v in params.items()}


@pytest.mark.parametrize("group,a,b,ch", CASES)
def test_irrep_plan_equals_the_formed_weight(group, a, b, ch):
    layer, params = _layer(group, a, b, ch)
    lay = layer.layout
    assert lay.mode == "irrep"
    x = np.random.default_rng(0).normal(size=(5, lay.c_in, lay.in_dim))
    with jax.enable_x64():
        y = np.asarray(layer.apply(params, x if ch else x[:, 0]))
    y = y if ch else y[:, None]
    ref = _dense_reference(group, a, b, params["theta"], x)
    if "bias" in params:
        ref = ref + params["bias"] @ lay.bias_basis
    np.testing.assert_allclose(y, ref, atol=1e-12)
    # and the layout's own W (from the tying) agrees with the plan
    w = lay.weight_numpy(params["theta"])
    bias = params["bias"] @ lay.bias_basis if "bias" in params else 0.0
    np.testing.assert_allclose(np.einsum("ocij,ncj->noi", w, x) + bias, ref, atol=1e-12)


def test_irrep_plan_cost_is_block_diagonal():
    """Σ_t m_out m_in d_t multiply-adds instead of d_out d_in."""
    lay = equivariant_linear("O(3)", "16x0e + 16x1o + 16x2e + 16x3o", "16x0e + 16x1o").layout
    assert isinstance(lay.plan, IrrepPlan)
    assert lay.plan.cost() == 16 * 16 * 1 + 16 * 16 * 3
    assert lay.in_dim * lay.out_dim == 256 * 64


def _o3_element(rep, seed):
    """ρ(g) for g = reflect^s · exp(Σ w_i L_i), from the rep's own generators (float64)."""
    rng = np.random.default_rng(seed)
    gens = rep.numpy()
    d = sl.expm(sum(c * g for c, g in zip(rng.normal(size=3), gens[:3])))
    return gens[3] @ d if seed % 2 else d


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_irrep_layer_is_equivariant_under_random_elements(seed):
    a, b = "2x0e + 1x1o + 2x2e + 1x1e", "1x0e + 2x1o + 1x2e + 1x3o"
    layer, params = _layer("O(3)", a, b, (2, 3), seed)
    ra = _o3_element(it.rep("O(3)", a), seed)
    rb = _o3_element(it.rep("O(3)", b), seed)
    x = np.random.default_rng(seed).normal(size=(4, 2, ra.shape[0]))
    with jax.enable_x64():
        lhs = np.asarray(layer.apply(params, x @ ra.T))
        rhs = np.asarray(layer.apply(params, x)) @ rb.T
    np.testing.assert_allclose(lhs, rhs, atol=1e-10)


def test_so2_irrep_layer_is_equivariant():
    a, b = "2x1 + 1x0 + 1x2", "1x1 + 2x2 + 1x3 + 1x0"
    layer, params = _layer("SO(2)", a, b, (2, 3))
    t = 0.713
    ra = sl.expm(t * it.rep("SO(2)", a).numpy()[0])
    rb = sl.expm(t * it.rep("SO(2)", b).numpy()[0])
    x = np.random.default_rng(1).normal(size=(4, 2, ra.shape[0]))
    with jax.enable_x64():
        lhs = np.asarray(layer.apply(params, x @ ra.T))
        rhs = np.asarray(layer.apply(params, x)) @ rb.T
    np.testing.assert_allclose(lhs, rhs, atol=1e-10)


_load = load_source


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.jit.script warns it is old
@pytest.mark.parametrize("group,a,b,ch", CASES[1:3])
@pytest.mark.parametrize("target", ["numpy", "jax", "torch"])
def test_exported_irrep_layers_equal_the_jax_layer(tmp_path, group, a, b, ch, target):
    layer, params = _layer(group, a, b, ch)
    out = emit(layer.layout, target=target, name="Layer")
    assert "IRREP_TYPES" in out.source
    x = np.random.default_rng(2).normal(size=(3, ch[0], layer.layout.in_dim)).astype(np.float32)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    ref = np.asarray(layer.apply(p32, x))
    if target == "torch":
        torch = pytest.importorskip("torch", reason="torch is an optional export target")
        mod = _load(tmp_path, out.source, f"irrep_torch_{group[:2]}")
        m = mod.Layer()
        with torch.no_grad():
            m.theta.copy_(torch.from_numpy(p32["theta"]))
            m.bias.copy_(torch.from_numpy(p32["bias"]))
        with torch.no_grad():
            y = m(torch.from_numpy(x)).numpy()
            scripted = torch.jit.script(m)(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(scripted, y, atol=1e-6)
    else:
        mod = _load(tmp_path, out.source, f"irrep_{target}")
        y = np.asarray(mod.Layer(p32, x if target == "numpy" else jax.numpy.asarray(x)))
    np.testing.assert_allclose(y, ref, atol=1e-5)


@pytest.mark.parametrize("target", ["equinox", "flax"])
def test_exported_irrep_modules_for_equinox_and_flax(tmp_path, target):
    pytest.importorskip(target, reason=f"{target} is an optional export target")
    layer, params = _layer("O(3)", "2x0e + 1x1o + 1x2e", "1x0e + 2x2e", (2, 1))
    mod = _load(tmp_path, emit(layer.layout, target=target, name="Layer").source, target)
    x = np.random.default_rng(3).normal(size=(3, 2, layer.layout.in_dim)).astype(np.float32)
    p32 = {k: jax.numpy.asarray(v, np.float32) for k, v in params.items()}
    ref = np.asarray(layer.apply(p32, x))
    if target == "equinox":
        import equinox as eqx

        m = eqx.tree_at(
            lambda m: (m.theta, m.bias),
            mod.Layer(jax.random.PRNGKey(0)),
            (p32["theta"], p32["bias"]),
        )
        y = m(jax.numpy.asarray(x))
    else:
        y = mod.Layer().apply({"params": p32}, jax.numpy.asarray(x))
    np.testing.assert_allclose(np.asarray(y), ref, atol=1e-5)
