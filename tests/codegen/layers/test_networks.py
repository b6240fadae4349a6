"""Networks for any group: gated nonlinearities, bilinear layers, mixed hidden reps."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import intertwine as it
from intertwine.codegen import (
    equivariant_bilinear,
    equivariant_linear,
    gated,
    gated_network,
    gated_rep,
    mixed_rep,
)
from intertwine.codegen.layers._gated import blocks
from intertwine.errors import IntertwineError


def test_blocks_and_gates():
    rep = it.rep("SO(3)", "2*1 + V + 2*V**2")
    assert [(b.start, b.size, b.scalar) for b in blocks(rep)] == [
        (0, 1, True),
        (1, 1, True),
        (2, 3, False),
        (5, 9, False),
        (14, 9, False),
    ]
    assert gated_rep(rep).dim == rep.dim + 3


@pytest.mark.parametrize("group, budget, dual", [("O(1,3)", 64, False), ("SL(3)", 40, True)])
def test_mixed_rep_spreads_the_budget_over_ranks(group, budget, dual):
    rep = mixed_rep(group, budget, max_rank=2, dual=dual)
    sizes = {}
    for b in blocks(rep):
        sizes[b.size] = sizes.get(b.size, 0) + b.size
    d = it.action(group).degrees[0]
    assert set(sizes) == {1, d, d * d}
    assert abs(rep.dim - budget) <= d * d
    assert all(v <= budget / 3 + d * d for v in sizes.values())


def test_gated_nonlinearity_values():
    rep = it.rep("SO(3)", "1 + V")
    f = gated(rep, scalar_fn=jnp.tanh, gate_fn=jax.nn.sigmoid)
    x = jnp.array([[0.5, 1.0, 2.0, 3.0, 0.0]])  # scalar, vector, its gate
    y = f(x)
    np.testing.assert_allclose(y[0, 0], np.tanh(0.5), rtol=1e-6)
    np.testing.assert_allclose(y[0, 1:], 0.5 * np.array([1.0, 2.0, 3.0]), rtol=1e-6)
    with pytest.raises(IntertwineError, match="takes 5 numbers"):
        f(jnp.ones((1, 4)))


CASES = [
    ("O(1,3)", "2*V", "1", "4*1 + 2*V", True),
    ("SO(1,3)", "V", "V", "2*1 + 2*V", True),
    ("SO(3)", "V + V", "1 + V", "3*1 + V + V**2", True),
    ("SL(3)", "V + V*", "1 + V* * V", "2*1 + V + V*", True),
    ("Sp(1)", "V", "V", "2*1 + V", True),
    ("O(5)", "2*V", "1", "4*1 + 2*V", True),
    ("S(4)", "V", "1", "2*1 + 2*V", True),
    ("Shift(4)", "V", "V", "2*1 + 2*V", False),  # a monoid: no bilinear layer (no IN*)
]


@pytest.mark.parametrize("group, rep_in, rep_out, hidden, bilinear", CASES)
def test_gated_networks_are_equivariant_in_float32(group, rep_in, rep_out, hidden, bilinear):
    net = gated_network(group, rep_in, rep_out, hidden, 2, bilinear=bilinear)
    params = net.init(jax.random.PRNGKey(0))
    params = jax.tree_util.tree_map(lambda v: v * 2.0, params)  # larger, less trivial weights

    apply = jax.jit(net.apply)

    def f(x):
        return apply(params, jnp.asarray(x, jnp.float32))

    d_in = it.rep(group, rep_in).dim
    out = np.asarray(f(np.random.default_rng(0).standard_normal((8, d_in))))
    assert np.linalg.norm(out) > 1e-3  # not vacuously equivariant
    report = it.verify(f, group, rep_in, rep_out, samples=8, words=4)
    assert report, str(report)
    assert report.max_error < 1e-5


def test_a_pointwise_gate_on_vectors_is_caught():
    """The negative control: relu on the vector block of SO(3) is not equivariant."""
    layer = equivariant_linear("SO(3)", "V", "1 + V")
    params = layer.init(jax.random.PRNGKey(0))
    report = it.verify(
        lambda x: jax.nn.relu(layer.apply(params, jnp.asarray(x, jnp.float32))),
        "SO(3)",
        "V",
        "1 + V",
    )
    assert not report


def test_bilinear_forms_products_that_linear_maps_cannot():
    """Hom(V + V, 1) is zero for SO(3), but the bilinear layer gives the dot product."""
    assert it.solve("SO(3)", "2*V", "1").dim == 0
    layer = equivariant_bilinear("SO(3)", "2*V", "1")
    params = layer.init(jax.random.PRNGKey(0))
    x = np.random.default_rng(1).standard_normal((16, 6)).astype(np.float32)
    y = np.asarray(layer.apply(params, x))[:, 0]
    assert np.linalg.norm(y) > 1e-3
    # y is a fixed quadratic form in (u, v) invariant under rotations: a combination of u·u,
    # u·v, v·v, found exactly by least squares
    u, v = x[:, :3], x[:, 3:]
    features = np.stack([(u * u).sum(1), (u * v).sum(1), (v * v).sum(1)], 1)
    coeffs, residual, *_ = np.linalg.lstsq(features, y, rcond=None)
    np.testing.assert_allclose(features @ coeffs, y, rtol=1e-4, atol=1e-5)
    with pytest.raises(IntertwineError, match="monoid"):
        equivariant_bilinear("Shift(4)", "V", "V")


@pytest.mark.slow  # a training run: CI runs it with -m slow
def test_a_small_lorentz_network_learns_the_minkowski_product():
    """O(1,3)-invariant regression: (p, q) -> p·q in the metric η, from 256 samples."""
    net = gated_network("O(1,3)", "2*V", "1", "4*1 + 2*V", 2, bilinear=True)
    params = net.init(jax.random.PRNGKey(0))
    eta = jnp.diag(jnp.array([1.0, -1.0, -1.0, -1.0]))
    x = jax.random.normal(jax.random.PRNGKey(3), (256, 8))
    y = jnp.einsum("bi,ij,bj->b", x[:, :4], eta, x[:, 4:])[:, None]

    def loss(p, x=x, y=y):
        return jnp.mean((net.apply(p, x) - y) ** 2)

    grad = jax.jit(jax.value_and_grad(loss))
    first, _ = grad(params)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    for t in range(1, 301):
        value, g = grad(params)
        m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9**t, 1 - 0.999**t
        params = jax.tree_util.tree_map(
            lambda p, a, b, c1=c1, c2=c2: p - 0.01 * (a / c1) / (jnp.sqrt(b / c2) + 1e-8),
            params,
            m,
            v,
        )
    held_out = jax.random.normal(jax.random.PRNGKey(9), (256, 8))
    target = jnp.einsum("bi,ij,bj->b", held_out[:, :4], eta, held_out[:, 4:])[:, None]
    test_loss = float(jnp.mean((net.apply(params, held_out) - target) ** 2))
    assert test_loss < 0.3 * float(first)
    report = it.verify(
        lambda u: net.apply(params, jnp.asarray(u, jnp.float32)), "O(1,3)", "2*V", "1"
    )
    assert report and report.max_error < 1e-5


@pytest.mark.parametrize(
    "group, rep_in, rep_out",
    [
        ("O(1,3)", "2*V", "1"),  # dot products through the form η
        ("SO(3)", "1 + V + V**2", "1 + V"),  # scalar·vector, matrix·vector, dot products
        ("SL(3)", "V + V*", "1"),  # the pairing ⟨ξ, x⟩: a V* block read against V
        ("Sp(1)", "2*V", "1"),  # the symplectic form
        ("O(3)", "1 + 2*V", "V**2"),  # outer products v ⊗ w
        ("O(1,3)", "V", "V**2 + 1"),
    ],
)
def test_product_layer_is_equivariant_and_not_zero(group, rep_in, rep_out):
    from intertwine.codegen import product_layer

    layer = product_layer(group, rep_in, rep_out)
    params = layer.init(jax.random.PRNGKey(0))

    def f(x):
        return layer.apply(params, jnp.asarray(x, jnp.float32))

    d = it.rep(group, rep_in).dim
    assert np.linalg.norm(np.asarray(f(np.random.default_rng(2).standard_normal((4, d))))) > 1e-4
    report = it.verify(f, group, rep_in, rep_out, words=3)
    assert report and report.max_error < 1e-5, str(report)


def test_outer_products_of_vectors_make_matrices():
    """O(3) 2*V -> V**2 has no block of type V**2 ⊗ V* in its input, so every output comes
    from the outer products: y = Σ_ac w[0, a, c] x_a ⊗ x_c, checked with NumPy here."""
    from intertwine.codegen import product_layer

    layer = product_layer("O(3)", "2*V", "V**2")
    params = layer.init(jax.random.PRNGKey(1))
    assert set(params) == {"w", "outer"} and params["w"] == []
    x = np.random.default_rng(0).standard_normal((5, 6))
    w = np.asarray(params["outer"][0])[0]  # (2, 2): one output block, pairs of input vectors
    v = x.reshape(5, 2, 3)
    want = np.einsum("ac,nap,ncq->npq", w, v, v).reshape(5, 9)
    got = np.asarray(layer.apply(params, jnp.asarray(x, jnp.float32)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_product_layer_refusals():
    from intertwine.codegen import product_layer

    with pytest.raises(IntertwineError, match="monoid"):
        product_layer("Shift(4)", "V", "V")
    with pytest.raises(IntertwineError, match="no block"):
        product_layer("SL(3)", "V", "1")  # V alone has nothing to pair with


@pytest.mark.slow  # a training run: CI runs it with -m slow
def test_equinox_network_module_trains_and_stays_equivariant():
    pytest.importorskip("equinox", reason="the Equinox module is the optional 'equinox' extra")
    import equinox as eqx

    from intertwine.codegen import EquivariantNetwork

    model = EquivariantNetwork(
        "O(1,3)", "2*V", "1", "4*1 + 2*V", 2, key=jax.random.PRNGKey(0), bilinear=True
    )
    assert "gated" in repr(model)
    x = jax.random.normal(jax.random.PRNGKey(1), (64, 8))
    y = jnp.sum(x[:, :4] * x[:, 4:] * jnp.array([[1.0, -1.0, -1.0, -1.0]]), axis=1, keepdims=True)

    @eqx.filter_value_and_grad
    def loss(m):
        return jnp.mean((m(x) - y) ** 2)

    first, _ = loss(model)
    for _ in range(50):
        value, grads = loss(model)
        model = jax.tree_util.tree_map(lambda p, g: p - 0.05 * g, model, grads)
    assert float(value) < float(first)
    assert it.verify(lambda v: model(jnp.asarray(v, jnp.float32)), "O(1,3)", "2*V", "1")


HEAD_CASES = [
    ("O(1,3)", "4*V", "1", "4*1 + 2*V + V**2"),  # EMLP's scattering task: a degree-4 invariant
    ("O(3)", "5*1 + 5*V", "V**2", "4*1 + 2*V + V**2"),  # EMLP's inertia task
    ("SO(3)", "V + V", "1 + V", "4*1 + 2*V + V**2"),
    ("Sp(1)", "2*V", "1", "4*1 + 2*V"),
]


@pytest.mark.parametrize("group, rep_in, rep_out, hidden", HEAD_CASES)
def test_product_head_networks_are_equivariant_and_use_the_head(group, rep_in, rep_out, hidden):
    net = gated_network(
        group,
        rep_in,
        rep_out,
        hidden,
        1,
        bilinear=True,
        product_head=True,
        max_copies=8,
    )
    assert "product head" in repr(net)
    params = jax.jit(net.init)(jax.random.PRNGKey(0))
    apply = jax.jit(net.apply)
    x = np.random.default_rng(0).standard_normal((8, it.rep(group, rep_in).dim))
    headless = jax.tree_util.tree_map(jnp.zeros_like, params["head"])
    with_head = np.asarray(apply(params, x))
    without = np.asarray(apply({**params, "head": headless}, x))
    assert np.linalg.norm(with_head - without) > 1e-4  # the head contributes

    def f(u):
        return apply(params, jnp.asarray(u, jnp.float32))

    report = it.verify(f, group, rep_in, rep_out, samples=8, words=4)
    assert report and report.max_error < 1e-5, str(report)


def test_the_product_head_is_a_polynomial_of_degree_four():
    """With the gated path's last linear map zeroed, y = P(h, h) with h = L x + B(x, x): a
    polynomial of degree 4 in x, which no gate bends. Its 5th finite difference along any line
    vanishes (and the 4th does not), checked in float64."""
    from helpers import x64

    with x64():
        net = gated_network("O(1,3)", "4*V", "1", "4*1 + 2*V", 1, bilinear=True, product_head=True)
        params = jax.jit(net.init)(jax.random.PRNGKey(1))
        params = jax.tree_util.tree_map(lambda v: jnp.asarray(v, jnp.float64), params)
        params["linear"][-1] = jax.tree_util.tree_map(jnp.zeros_like, params["linear"][-1])
        rng = np.random.default_rng(3)
        x0, step = rng.standard_normal(16), rng.standard_normal(16)
        line = np.stack([x0 + k * step for k in range(6)])
        y = np.asarray(jax.jit(net.apply)(params, jnp.asarray(line)))[:, 0]
        fifth = sum((-1) ** k * math.comb(5, k) * y[k] for k in range(6))
        fourth = sum((-1) ** k * math.comb(4, k) * y[k] for k in range(5))
        assert abs(fourth) > 1e-3
        assert abs(fifth) < 1e-9 * np.abs(y).max()


def test_product_head_refusals():
    with pytest.raises(IntertwineError, match="monoid"):
        gated_network("Shift(4)", "V", "V", "2*1 + 2*V", 1, product_head=True)
    with pytest.raises(IntertwineError, match="max_copies"):
        gated_network("O(3)", "V", "V", "2*1 + 2*V", 1, max_copies=0)
    with pytest.raises(IntertwineError, match="product_head must be True or False"):
        gated_network("O(3)", "V", "1", "2*1 + V", 1, product_head="yes")


def test_equinox_network_module_passes_the_product_head_on():
    pytest.importorskip("equinox", reason="the Equinox module is the optional 'equinox' extra")
    from intertwine.codegen import EquivariantNetwork

    model = EquivariantNetwork(
        "O(1,3)",
        "2*V",
        "1",
        "4*1 + 2*V",
        1,
        key=jax.random.PRNGKey(0),
        bilinear=True,
        product_head=True,
        max_copies=2,
    )
    assert "product head" in repr(model) and "head" in model.params
    x = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    np.testing.assert_allclose(model(x), model.network.apply(model.params, x), rtol=1e-6)


@pytest.mark.filterwarnings("ignore:.*has no equivariant linear map")  # V -> 3*1 is empty
def test_a_product_head_with_nothing_to_multiply_names_the_hidden_rep():
    with pytest.raises(IntertwineError, match="nothing to multiply.*hidden rep 3\\*1"):
        gated_network("O(3)", "V", "V", "3*1", 1, product_head=True)
