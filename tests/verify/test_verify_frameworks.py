"""verify decides a callable's framework from its type or its output, never by trying: JAX
functions run as JAX (under x64, even after an earlier jit outside it), PyTorch modules as
PyTorch, and every layer and network object the package makes is accepted."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import intertwine as it
from intertwine.codegen.layers import (
    equivariant_bilinear,
    equivariant_linear,
    equivariant_mlp,
    gated_network,
    product_layer,
)
from intertwine.errors import IntertwineError


def _framework(report) -> str:
    return report.notes[0].split()[3]  # "called as a <framework> function (<precision>) ..."


def test_a_layer_jitted_outside_x64_verifies_inside_it():
    # the diagram plan's index arrays have one dtype (int32) in and out of jax_enable_x64
    layer = equivariant_linear("S(6)", "V**2", "V**2", channels=None)
    assert layer.layout.mode == "diagram"
    params = layer.init(jax.random.PRNGKey(0))
    f = jax.jit(lambda x: layer.apply(params, x))
    assert f(jnp.ones((2, 36))).shape == (2, 36)  # traced and compiled in float32 first
    report = it.verify(f, "S(6)", "V**2", "V**2")
    assert report, str(report)
    assert _framework(report) == "jax" and "float64" in report.notes[0]
    # by hand: a random permutation of the 6 points, applied to both indices, commutes with f
    perm = np.random.default_rng(0).permutation(6)
    x = np.random.default_rng(1).standard_normal((3, 6, 6)).astype(np.float32)
    moved = lambda a: np.asarray(a).reshape(3, 6, 6)[:, perm][:, :, perm]  # noqa: E731
    got = moved(f(jnp.asarray(x.reshape(3, 36))))
    want = np.asarray(f(jnp.asarray(moved(x).reshape(3, 36)))).reshape(3, 6, 6)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("jit", [False, True], ids=["plain", "jitted"])
def test_a_jax_function_is_called_as_jax_whether_or_not_torch_is_installed(jit):
    def deepsets(x):
        return 1.5 * x + 0.25 * jnp.sum(x, axis=-1, keepdims=True)

    report = it.verify(jax.jit(deepsets) if jit else deepsets, "S(5)", "V", "V")
    assert report and _framework(report) == "jax" and "float64" in report.notes[0]
    assert report.tol == 1e-5  # float64 tolerances, not PyTorch float32 ones


PACKAGE_OBJECTS = {
    "linear": (
        lambda: equivariant_linear("S(4)", "V", "V**2", channels=(2, 3)),
        "S(4)",
        "V",
        "V**2",
    ),
    "mlp": (lambda: equivariant_mlp("S(4)", "V", "1", "V", depth=1, channels=3), "S(4)", "V", "1"),
    "gated": (lambda: gated_network("S(4)", "V", "1", "V", 2), "S(4)", "V", "1"),
    "gated-bilinear": (
        lambda: gated_network("SO(3)", "V", "V", "V + V**2", 1, bilinear=True),
        "SO(3)",
        "V",
        "V",
    ),
    "product": (lambda: product_layer("SO(3)", "V + V**2", "V"), "SO(3)", "V + V**2", "V"),
    "bilinear": (lambda: equivariant_bilinear("SO(3)", "V + V", "V"), "SO(3)", "V + V", "V"),
}


@pytest.mark.parametrize("kind", list(PACKAGE_OBJECTS))
def test_every_layer_and_network_object_of_the_package_verifies(kind):
    make, *spec = PACKAGE_OBJECTS[kind]
    obj = make()
    report = it.verify(obj, *spec, samples=3, words=2)
    assert report, f"{obj!r}: {report}"
    assert _framework(report) == "jax"


def test_a_broken_network_is_caught():
    net = gated_network("S(4)", "V", "V", "V", 1)
    broken = net._replace(apply=lambda p, x: net.apply(p, x) * jnp.arange(1.0, 5.0)[None, :])
    assert not it.verify(broken, "S(4)", "V", "V")


def test_equinox_and_flax_modules_verify():
    eqx = pytest.importorskip("equinox", reason="Equinox is an optional dependency")
    pytest.importorskip("flax", reason="Flax is an optional dependency")
    from intertwine.codegen.layers import (
        EquivariantDense,
        EquivariantLinear,
        EquivariantMLP,
        EquivariantNetwork,
    )

    key = jax.random.PRNGKey(0)
    for obj, spec in [
        (EquivariantLinear("S(4)", "V", "V", key=key, channels=(2, 2)), ("S(4)", "V", "V")),
        (EquivariantMLP("S(4)", "V", "V", "V", 1, key=key, channels=2), ("S(4)", "V", "V")),
        (EquivariantNetwork("SO(3)", "V", "V", "2*V + 1", 1, key=key), ("SO(3)", "V", "V")),
        (EquivariantDense.build("S(4)", "V", "V**2", channels=(1, 2)), ("S(4)", "V", "V**2")),
    ]:
        assert isinstance(obj, eqx.Module) or hasattr(obj, "layout")
        report = it.verify(obj, *spec, samples=3, words=2)
        assert report and _framework(report) == "jax", f"{obj!r}: {report}"


def test_recursion_cells_and_folds_are_refused_with_the_fix():
    from intertwine.recursion import dense_cell, fold

    cell = dense_cell(2, 3, 0)
    with pytest.raises(IntertwineError, match="labels and children"):
        it.verify(cell, "S(3)", "V", "V")
    with pytest.raises(IntertwineError, match="not one batch"):
        it.verify(fold("1 + A*X", [dense_cell(0, 3, 0), dense_cell(3, 3, 1)]), "S(3)", "V", "V")


def test_torch_modules_run_as_torch_in_their_own_dtype():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")

    class DeepSets(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.tensor(1.5))
            self.b = torch.nn.Parameter(torch.tensor(0.25))

        def forward(self, x):
            assert x.dtype == self.a.dtype  # fed the parameters' dtype, never another
            return self.a * x + self.b * x.sum(-1, keepdim=True)

    double = it.verify(DeepSets().double(), "S(5)", "V", "V")
    assert double and _framework(double) == "torch" and "float64" in double.notes[0]
    single = it.verify(DeepSets(), "S(5)", "V", "V")
    assert single and "float32" in single.notes[0] and single.tol == 1e-4
    plain = lambda x: torch.roll(x, 1, dims=-1)  # noqa: E731 - takes tensors only
    assert it.verify(plain, "Z(5)", "V", "V", framework="torch")
    with pytest.raises(IntertwineError, match="framework='torch'"):
        it.verify(plain, "Z(5)", "V", "V")


def test_an_unknown_framework_is_refused():
    with pytest.raises(IntertwineError, match="jax, torch, numpy"):
        it.verify(lambda x: x, "S(3)", "V", "V", framework="tensorflow")
