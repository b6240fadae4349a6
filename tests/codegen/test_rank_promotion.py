"""The layers, networks and emitted JAX sources broadcast explicitly, so that they run under
JAX's strict rank promotion (``jax_numpy_rank_promotion="raise"``: adding a (d,) bias to a
(batch, d) array is an error) as well as under JAX's default, with the same numbers.

The test config turns the strict setting on for every test (``conftest.py``); these tests say so
explicitly, with ``jax.numpy_rank_promotion("raise")``, and check the results against
independent computations: the group acting on inputs and outputs by hand."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import load_module

import intertwine as it
from intertwine.codegen import emit, equivariant_linear
from intertwine.codegen.layers import gated_network, invariant_network
from intertwine.codegen.layout import lift


def _both(fn):
    """fn() under strict rank promotion, and under JAX's default; the two agree exactly."""
    with jax.numpy_rank_promotion("raise"):
        strict = np.asarray(fn())
    with jax.numpy_rank_promotion("allow"):
        default = np.asarray(fn())
    np.testing.assert_array_equal(strict, default)
    return strict


def _rotation(rng) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q * np.sign(np.diag(r))[None, :]
    return q if np.linalg.det(q) > 0 else -q


def test_the_test_config_makes_rank_promotion_strict():
    assert jax.config.jax_numpy_rank_promotion == "raise"
    with pytest.raises(ValueError, match="rank_promotion"):
        jnp.ones((2, 3)) + jnp.ones(3)


def test_lift_prepends_unit_axes_only():
    v = np.arange(3.0)
    assert lift(v, 3).shape == (1, 1, 3) and lift(v, 1) is v
    with pytest.raises(ValueError, match="rank 1 to rank 0"):
        lift(v, 0)


def test_layer_with_mean_scale_bias_and_batch_axes():
    """S(4) on V**2 (edges, a partition-diagram layer with the mean scale) with a bias, on
    inputs with two leading axes: permuting the vertices of x permutes those of y."""
    layer = equivariant_linear("S(4)", "V**2", "V**2", channels=(2, 3))
    params = layer.init(jax.random.PRNGKey(0))
    params["bias"] = jax.random.normal(jax.random.PRNGKey(1), params["bias"].shape)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 2, 2, 16)).astype(np.float32)
    y = _both(lambda: layer.apply(params, x))
    assert y.shape == (5, 2, 3, 16)
    p = rng.permutation(4)
    px = x.reshape(5, 2, 2, 4, 4)[..., p, :][..., p].reshape(x.shape)
    py = y.reshape(5, 2, 3, 4, 4)[..., p, :][..., p].reshape(y.shape)
    np.testing.assert_allclose(_both(lambda: layer.apply(params, px)), py, atol=1e-5)


def test_gated_network_and_invariant_network():
    """A gated network of S(4) (V → V through 1 + V) and an invariant-theory network of SO(3)
    (2 vectors → a matrix: forms, determinants and cross products) on batches of rank 2."""
    rng = np.random.default_rng(1)
    net = gated_network("S(4)", "V", "V", "1 + V", depth=1)
    params = net.init(jax.random.PRNGKey(2))
    x = rng.standard_normal((3, 2, 4)).astype(np.float32)
    y = _both(lambda: net.apply(params, x))
    p = rng.permutation(4)
    np.testing.assert_allclose(_both(lambda: net.apply(params, x[..., p])), y[..., p], atol=1e-5)

    inv = invariant_network("SO(3)", "2*V", "V**2", hidden=8, depth=1)
    q = inv.init(jax.random.PRNGKey(3))
    vs = rng.standard_normal((3, 2, 2, 3))
    rot = _rotation(rng)
    y = _both(lambda: inv.apply(q, vs.reshape(3, 2, 6).astype(np.float32)))
    moved = (vs @ rot.T).reshape(3, 2, 6).astype(np.float32)
    want = rot @ y.reshape(3, 2, 3, 3) @ rot.T
    got = _both(lambda: inv.apply(q, moved)).reshape(3, 2, 3, 3)
    np.testing.assert_allclose(got, want, atol=1e-4)


@pytest.mark.parametrize("target", ["jax", "equinox"])
def test_emitted_jax_module(tmp_path, target):
    """SO(3): V**2 → V (a signed tying with the mean scale, and a bias-free Hom(1, V)) emitted
    as standalone source: it runs strictly and applies the Levi-Civita map ε_ijk x_jk."""
    pytest.importorskip(target, reason=f"{target} is an optional test dependency")
    basis = it.solve("SO(3)", "V**2", "V")
    path = tmp_path / f"strict_{target}.py"
    path.write_text(emit(basis, target=target, name="Layer").source)
    mod = load_module(path, f"strict_{target}")
    x = np.random.default_rng(2).standard_normal((4, 2, 1, 9)).astype(np.float32)
    if target == "jax":
        params = {"theta": jnp.ones((1, 1, 1))}
        y = _both(lambda: mod.Layer(params, jnp.asarray(x)))
    else:
        m = mod.Layer(jax.random.PRNGKey(0))
        y = _both(lambda: m(jnp.asarray(x)))
        params = {"theta": m.theta}
    # independent: W x = θ s (x_23 − x_32, x_31 − x_13, x_12 − x_21) up to the basis' sign
    m3 = x.reshape(4, 2, 3, 3).astype(np.float64)
    curl = np.stack([m3[..., 1, 2] - m3[..., 2, 1], m3[..., 2, 0] - m3[..., 0, 2]], -1)
    curl = np.concatenate([curl, (m3[..., 0, 1] - m3[..., 1, 0])[..., None]], -1)
    got = y.reshape(4, 2, 3)
    ratio = got[0, 0, 0] / curl[0, 0, 0]
    np.testing.assert_allclose(got, ratio * curl, rtol=1e-5, atol=1e-5)
