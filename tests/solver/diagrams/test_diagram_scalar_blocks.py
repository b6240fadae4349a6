"""Scalar blocks in diagram layers: the block pair 1 -> 1 (the empty diagram) runs as a
diagram like every other pair, in the JAX layer and in every export target, for every family."""

import importlib.util

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import intertwine as it
from intertwine.codegen import emit, equivariant_linear, equivariant_mlp, gated_network
from intertwine.codegen.layout import DensePlan, DiagramPlan


def _float64(params):
    return jax.tree_util.tree_map(lambda p: jnp.asarray(np.asarray(p), jnp.float64), params)


def _permute(z, perm, degrees):
    """A permutation of 0..n-1 on every axis of each block V^⊗k of the last axis of z."""
    n, parts, start = perm.size, [], 0
    for k in degrees:
        block = z[..., start : start + n**k].reshape(z.shape[:-1] + (n,) * k)
        for axis in range(k):
            block = np.take(block, perm, axis=z.ndim - 1 + axis)
        parts.append(block.reshape(z.shape[:-1] + (n**k,)))
        start += n**k
    return np.concatenate(parts, axis=-1)


SCALAR_CASES = [  # every family, with 1 -> 1 among the block pairs
    ("S(4)", "1 + V**2", "1 + V**2"),
    ("S(3)", "1", "2*1 + V"),
    ("O(3)", "1 + V", "2*1 + V**2"),
    ("SO(3)", "1 + V**2", "1 + V"),  # with an ε diagram on V**2 -> V
    ("O(2,1)", "1 + V**2", "1 + V**2"),
    ("SO(1,2)", "1 + V**2", "1 + V"),
    ("Sp(1)", "1 + V**2", "1 + V**2"),
]


@pytest.mark.parametrize("group,a,b", SCALAR_CASES)
def test_scalar_block_pairs_run_as_diagrams(group, a, b):
    """The diagram plan equals the layer with W materialised (dense), outputs and gradients."""
    basis = it.solve(group, a, b)
    assert basis.method == "diagram"
    diag = equivariant_linear(basis, channels=(2, 3), mode="diagram")
    dense = equivariant_linear(basis, channels=(2, 3), mode="dense")
    assert diag.layout.mode == "diagram" and isinstance(diag.layout.plan, DiagramPlan)
    params = jax.tree_util.tree_map(lambda p: p + 0.5, dense.init(jax.random.PRNGKey(0)))
    x = jax.random.normal(jax.random.PRNGKey(1), (3, 2, basis.in_dim))
    np.testing.assert_allclose(
        jax.jit(diag.apply)(params, x), jax.jit(dense.apply)(params, x), rtol=2e-5, atol=2e-5
    )
    g1 = jax.grad(lambda p: jnp.sum(diag.apply(p, x) ** 2))(params)
    g2 = jax.grad(lambda p: jnp.sum(dense.apply(p, x) ** 2))(params)
    np.testing.assert_allclose(g1["theta"], g2["theta"], rtol=1e-4, atol=1e-4)


@pytest.mark.slow  # networks and layers on R^10000, jitted
def test_scalar_and_matrix_layer_at_large_n():
    """The reported case: S(100) on 1 + V**2 with channels, no W formed, equivariant under a
    random permutation in float64; at n = 5 the same call equals W applied densely."""
    layer = equivariant_linear("S(100)", "1 + V**2", "1 + V**2", channels=(2, 2))
    assert layer.layout.mode == "diagram" and layer.layout.tying is None
    assert not isinstance(layer.layout.plan, DensePlan)
    rng = np.random.default_rng(0)
    perm = rng.permutation(100)
    x = rng.standard_normal((2, 2, layer.layout.in_dim))
    with jax.enable_x64():
        params = _float64(jax.tree_util.tree_map(lambda p: p + 0.3, layer.init(jax.random.key(0))))
        y = np.asarray(layer.apply(params, jnp.asarray(_permute(x, perm, (0, 2)))))
        y0 = np.asarray(layer.apply(params, jnp.asarray(x)))
    np.testing.assert_allclose(y, _permute(y0, perm, (0, 2)), atol=1e-9 * np.abs(y).max())
    assert np.abs(y[..., 0]).max() > 0.1  # the scalar output is reached

    small = it.solve("S(5)", "1 + V**2", "1 + V**2")
    diag = equivariant_linear(small, channels=(2, 2))
    dense = equivariant_linear(small, channels=(2, 2), mode="dense")
    assert diag.layout.mode == "diagram" or small.out_dim * small.in_dim < 1000
    diag = equivariant_linear(small, channels=(2, 2), mode="diagram")
    p = jax.tree_util.tree_map(lambda q: q + 0.3, dense.init(jax.random.key(1)))
    x5 = jax.random.normal(jax.random.key(2), (2, 2, small.in_dim))
    np.testing.assert_allclose(diag.apply(p, x5), dense.apply(p, x5), rtol=2e-5, atol=2e-5)


def test_orthogonal_scalar_blocks_at_large_n_keep_the_diagram_plan():
    """O(64) on 1 + V**2: the diagram plan, not a sparse W; invariant under a signed
    permutation (an element of O(64))."""
    layer = equivariant_linear("O(64)", "1 + V**2", "1 + V**2", channels=(1, 2))
    assert layer.layout.mode == "diagram" and layer.layout.tying is None
    rng = np.random.default_rng(1)
    perm, sign = rng.permutation(64), np.where(rng.random(64) < 0.5, -1.0, 1.0)
    g = np.eye(64)[perm] * sign[:, None]

    def act(z):
        m = z[..., 1:].reshape(z.shape[:-1] + (64, 64))
        m = np.einsum("ij,...jk,lk->...il", g, m, g).reshape(z.shape[:-1] + (4096,))
        return np.concatenate([z[..., :1], m], axis=-1)

    x = rng.standard_normal((2, 1, layer.layout.in_dim))
    with jax.enable_x64():
        params = _float64(jax.tree_util.tree_map(lambda p: p + 0.3, layer.init(jax.random.key(0))))
        y = np.asarray(layer.apply(params, jnp.asarray(act(x))))
        y0 = np.asarray(layer.apply(params, jnp.asarray(x)))
    np.testing.assert_allclose(y, act(y0), atol=1e-9 * np.abs(y).max())


@pytest.mark.slow  # networks and layers on R^10000, jitted
def test_gated_network_and_mlp_with_scalar_blocks_at_large_n():
    """The reported networks build at S(100), apply, and are invariant (V**2 -> 1) or
    equivariant (1 + V -> 1 + V) under a random permutation."""
    rng = np.random.default_rng(2)
    perm = rng.permutation(100)
    net = gated_network("S(100)", "V**2", "1", "4*1 + V**2", 2)
    x = rng.standard_normal((3, 10_000))
    mlp = equivariant_mlp("S(100)", "1 + V", "1 + V", "1 + V**2", depth=1, channels=2)
    xm = rng.standard_normal((3, 1, 101))
    with jax.enable_x64():
        params = _float64(net.init(jax.random.key(0)))
        y = np.asarray(net.apply(params, jnp.asarray(_permute(x, perm, (2,)))))
        y0 = np.asarray(net.apply(params, jnp.asarray(x)))
        mparams = _float64(mlp.init(jax.random.key(1)))
        ym = np.asarray(mlp.apply(mparams, jnp.asarray(_permute(xm, perm, (0, 1)))))
        ym0 = np.asarray(mlp.apply(mparams, jnp.asarray(xm)))
    assert y.shape == (3, 1) and np.abs(y0).max() > 0
    np.testing.assert_allclose(y, y0, atol=1e-9 * np.abs(y0).max())
    np.testing.assert_allclose(ym, _permute(ym0, perm, (0, 1)), atol=1e-9 * np.abs(ym0).max())


def test_exported_scalar_layer_at_large_n(tmp_path):
    """The NumPy export of the S(100) layer runs the general diagram plan (no W in its data)
    and gives the JAX layer's outputs."""
    layer = equivariant_linear("S(100)", "1 + V**2", "1 + V**2", channels=(2, 2))
    out = emit(layer.layout, target="numpy", name="Layer")
    assert "PLANS = [" in out.source
    path = tmp_path / "scalar_layer.py"
    path.write_text(out.source)
    spec = importlib.util.spec_from_file_location("scalar_layer", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    params = jax.tree_util.tree_map(lambda p: np.asarray(p) + 0.3, layer.init(jax.random.key(0)))
    x = np.random.default_rng(3).standard_normal((2, 2, layer.layout.in_dim)).astype(np.float32)
    want = np.asarray(layer.apply({k: jnp.asarray(v) for k, v in params.items()}, x))
    np.testing.assert_allclose(mod.Layer(params, x), want, rtol=1e-4, atol=1e-4)
