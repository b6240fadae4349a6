"""Mean aggregation (each basis element divided by its number of summed terms): the counts, the
layer it gives, its scale on graph inputs, training on 0/1 adjacency matrices, and exports."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import ROOT, load_module

from intertwine.codegen import Normalization, emit, equivariant_linear, weight
from intertwine.codegen.layout import aggregation_counts
from intertwine.errors import IntertwineError
from intertwine.solver import solve


def _counted(basis):
    """(terms per nonzero row, nonzero rows) of every basis element, counted on the dense basis
    with plain NumPy (independent of the layout's counting)."""
    terms, rows = [], []
    for b in basis.dense:
        reach = np.flatnonzero(np.any(b != 0, axis=1))
        rows.append(reach.size)
        terms.append(np.abs(b[reach]).sum() / reach.size)
    return np.array(terms), np.array(rows)


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("S(5)", "V**2", "V**2"),  # orbit tensors
        ("S(4)", "V**3", "V"),
        ("S(4)", "V + 1", "V**2 + V"),  # sums of tensor powers
        ("O(3)", "V**2", "V**2"),  # Brauer diagrams
        ("SO(3)", "V**3", "V**3"),  # ε diagrams
        ("SO(4)", "V**2", "V**2"),
        ("Sp(2)", "V**2", "V**2"),  # the symplectic form
        ("O(1,3)", "V**2", "V**2"),  # the form η
        ("Z(6)", "V**2", "V**2"),  # not a diagram basis: from the coefficients
    ],
)
def test_aggregation_counts_match_the_dense_basis(group, a, b):
    basis = solve(group, a, b)
    terms, rows = aggregation_counts(basis)
    want_terms, want_rows = _counted(basis)
    np.testing.assert_allclose(terms, want_terms)
    np.testing.assert_allclose(rows, want_rows)


@pytest.mark.parametrize("mode", ["diagram", "tying", "dense"])
def test_mean_layer_divides_each_basis_element_by_its_terms(mode):
    basis = solve("S(5)", "V**2", "V**2")
    layer = equivariant_linear(basis, channels=(2, 3), mode=mode)
    assert layer.layout.normalization is Normalization.MEAN  # the default
    theta = np.random.default_rng(0).standard_normal((3, 2, basis.dim)).astype(np.float32)
    terms, _ = _counted(basis)
    want = np.einsum("ock,kij->ocij", theta / terms, basis.dense)
    got = np.asarray(weight(layer.layout, jnp.asarray(theta)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    x = np.random.default_rng(1).standard_normal((4, 2, 25)).astype(np.float32)
    y = layer.apply({"theta": jnp.asarray(theta)}, x)
    np.testing.assert_allclose(y, np.einsum("ocij,bcj->boi", want, x), rtol=1e-4, atol=1e-5)
    summed = equivariant_linear(basis, channels=(2, 3), mode=mode, normalize=Normalization.SUM)
    np.testing.assert_allclose(
        np.asarray(weight(summed.layout, jnp.asarray(theta))),
        np.einsum("ock,kij->ocij", theta, basis.dense),
        rtol=1e-5,
        atol=1e-6,
    )


def test_permutation_tyings_are_unchanged_by_the_mean():
    for group in ("Shift(16)", "Z(9)"):  # every element one term a row: nothing to scale
        layout = equivariant_linear(group, "V", "V").layout
        assert layout.scale is None


def test_s50_edge_layer_keeps_its_scale_on_graph_inputs():
    """The reproduced case: sums give outputs ~58 on all-ones input against ~1.2 on Gaussian
    input; means keep both O(1)."""

    def rms(layer, x):
        params = layer.init(jax.random.PRNGKey(0))
        return float(jnp.sqrt(jnp.mean(layer.apply(params, x) ** 2)))

    ones = jnp.ones((4, 1, 2500))
    gauss = jax.random.normal(jax.random.PRNGKey(1), (4, 1, 2500))
    summed = equivariant_linear("S(50)", "V**2", "V**2", channels=(1, 64), normalize="sum")
    mean = equivariant_linear("S(50)", "V**2", "V**2", channels=(1, 64))
    assert rms(summed, ones) > 20 * rms(summed, gauss)
    assert 0.3 < rms(mean, ones) < 3.0
    assert 0.3 < rms(mean, gauss) < 3.0


def test_normalize_takes_the_enum_or_its_name():
    assert equivariant_linear("S(4)", "V", "V", normalize="sum").layout.scale is None
    with pytest.raises(IntertwineError, match="normalize must be"):
        equivariant_linear("S(4)", "V", "V", normalize="median")
    with pytest.raises(IntertwineError, match="normalize must be"):
        equivariant_linear("S(4)", "V", "V", normalize=True)


def _example():
    return load_module(ROOT / "examples" / "graph_property.py", "graph_property")


def test_plain_gradient_descent_on_adjacency_matrices():
    """The reproduced case: a two-layer edge network on 0/1 adjacency matrices at n = 50 went
    from a loss of ~1e5 to NaN under plain gradient descent with sums."""
    example = _example()
    summed = example.plain_descent(Normalization.SUM, steps=6, lr=1e-3)  # even a small step
    assert not np.all(np.isfinite(summed)) or summed[-1] > 1e6 * summed[0]
    mean = example.plain_descent(Normalization.MEAN, steps=6, lr=0.05)
    assert np.all(np.isfinite(mean)) and mean[-1] < 0.25 * mean[0]


@pytest.mark.slow
def test_graph_example_beats_an_mlp_on_held_out_graphs():
    result = _example().main(steps=150, hidden=4, train=64)
    assert result["n"] == 50
    assert np.isfinite(result["test_relative_mse_tied"])
    assert result["test_relative_mse_tied"] < 0.5 * result["test_relative_mse_mlp"]


def test_sum_exports_match_the_sum_layer(tmp_path):
    basis = solve("S(5)", "V**2", "V")
    layer = equivariant_linear(basis, channels=(2, 2), normalize=Normalization.SUM)
    out = emit(basis, target="numpy", channels=(2, 2), name="Layer", normalize="sum")
    assert "SCALE = None" in out.source and "--normalize sum" in out.source
    path = tmp_path / "layer_sum.py"
    path.write_text(out.source)
    mod = load_module(path, "layer_sum")
    params = {k: np.asarray(v) + 0.5 for k, v in layer.init(jax.random.PRNGKey(0)).items()}
    x = np.random.default_rng(0).standard_normal((3, 2, 25)).astype(np.float32)
    want = np.asarray(layer.apply({k: jnp.asarray(v) for k, v in params.items()}, x))
    np.testing.assert_allclose(mod.Layer(params, x), want, rtol=1e-5, atol=1e-5)
