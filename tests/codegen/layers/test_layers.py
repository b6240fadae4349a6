"""The JAX layers: equivariance, parameters, dtypes, transformations, init, nonlinearities."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import ROOT

import intertwine as it
from intertwine.codegen import equivariant_linear, equivariant_mlp, nonlinearities, weight
from intertwine.errors import IntertwineError
from intertwine.testing import assert_equivariant

# Comparisons between ways of applying one layer: float32 on the CPU; on a GPU, XLA's default
# TF32 matmuls round to 10 mantissa bits, so the paths agree only to about 1e-3 there.
TOL = 2e-5 if jax.default_backend() == "cpu" else 1e-2
CASES = [
    ("S(5)", "V**2", "V**2", "tying"),
    ("SO(3)", "V**3", "V**3", "sparse"),
    ("Shift(8)", "V", "V", "tying"),
    ("C(6)", "V**2", "V**2", "dense"),
    ("O(1,3)", "V**2", "V**2", "sparse"),
    ("SO(2)", "V", "V", "tying"),
    ("Trans(4)", "V**2", "V", "dense"),
    ("S(5)", "V**2", "V**2", "dense"),
    ("S(4)", "V**2", "V", "sparse"),
    ("Shift(40)", "V", "V", None),
    ("S(5)", "V**2", "V**2", "diagram"),
    ("S(4)", "V", "V**3", "diagram"),
    ("S(3)", "V**2", "V**2", "diagram"),
    ("S(4)", "1", "V**2", "diagram"),
    ("Shift(8)", "V", "V", "convolution"),
    ("Z(9)", "V", "V", "convolution"),
    ("SO(2)", "V", "V", "convolution"),
]


@pytest.mark.parametrize("group,a,b,mode", CASES)
def test_layer_is_equivariant(group, a, b, mode):
    layer = equivariant_linear(group, a, b, channels=(2, 3), mode=mode)
    assert layer.layout.mode == (mode or "tying")  # Shift(40): dim 40 > 32, a gather
    params = layer.init(jax.random.PRNGKey(0))
    params = jax.tree_util.tree_map(lambda p: p + 0.3, params)  # nonzero bias too
    action = it.action(group)
    ri, ro = it.rep(action, a), it.rep(action, b)
    for c in range(2):  # each input channel to every output channel

        def f(x, c=c):
            full = jnp.zeros((x.shape[0], 2, ri.dim)).at[:, c, :].set(x)
            return layer.apply(params, full).reshape(x.shape[0], 3, ro.dim)[:, 1, :]

        assert_equivariant(f, action, ri, ro, tol=1e-5)


def test_numpy_and_jax_weights_agree():
    for group, a, b, mode in CASES:
        lay = equivariant_linear(group, a, b, channels=(2, 3), mode=mode).layout
        theta = np.random.default_rng(0).standard_normal((3, 2, lay.dim)).astype(np.float32)
        np.testing.assert_allclose(
            np.asarray(weight(lay, jnp.asarray(theta))),
            lay.weight_numpy(theta),
            rtol=1e-5,
            atol=1e-6,
        )


def test_parameters_are_the_tied_weights_only():
    layer = equivariant_linear("S(7)", "V**2", "V**2", channels=(4, 5))
    params = layer.init(jax.random.PRNGKey(0))
    assert set(params) == {"theta", "bias"}
    assert params["theta"].shape == (5, 4, 15)  # 15 weights per channel pair (S(n) edge->edge)
    assert params["bias"].shape == (5, 2)  # diagonal and off-diagonal constants


def test_dtype_preserved_and_batch_dims():
    layer = equivariant_linear("S(4)", "V", "V**2", channels=(2, 3))
    params = layer.init(jax.random.PRNGKey(0))
    x = jnp.ones((5, 7, 2, 4), jnp.float32)
    assert layer.apply(params, x).shape == (5, 7, 3, 16)
    assert layer.apply(params, x).dtype == jnp.float32
    with jax.enable_x64(True):
        p64 = jax.tree_util.tree_map(lambda p: p.astype(jnp.float64), params)
        y = layer.apply(p64, jnp.ones((5, 2, 4), jnp.float64))
        assert y.dtype == jnp.float64


def test_jit_vmap_grad_and_no_recompile():
    layer = equivariant_linear("S(5)", "V**2", "V**2", channels=(2, 2))
    params = layer.init(jax.random.PRNGKey(0))
    f = jax.jit(layer.apply)
    x = jnp.ones((3, 2, 25))
    f(params, x)
    f(params, x + 1.0)
    assert f._cache_size() == 1
    per_example = jax.vmap(layer.apply, in_axes=(None, 0))(params, x)
    np.testing.assert_allclose(per_example, layer.apply(params, x), rtol=1e-6)
    grads = jax.grad(lambda p: jnp.sum(layer.apply(p, x) ** 2))(params)
    assert grads["theta"].shape == params["theta"].shape
    assert float(jnp.abs(grads["theta"]).sum()) > 0


@pytest.mark.parametrize(
    "group,a,b,mode",
    [
        ("S(6)", "V**2", "V**2", "tying"),
        ("Shift(16)", "V", "V", None),
        ("SO(3)", "V**2", "V**2", "sparse"),
        ("C(6)", "V**2", "V**2", None),
    ],
)
def test_init_gives_dense_fan_in_variance(group, a, b, mode):
    layer = equivariant_linear(group, a, b, channels=(4, 4), bias=False, mode=mode, normalize="sum")
    lay = layer.layout
    keys = jax.random.split(jax.random.PRNGKey(0), 200)
    ws = jax.vmap(lambda k: weight(lay, layer.init(k)["theta"]))(keys)
    mean_var = float(jnp.mean(ws**2))
    fan_in = lay.c_in * lay.in_dim
    assert abs(mean_var * fan_in - 1.0) < 0.1


def test_nonlinearity_rules():
    shift = it.action("Shift(6)").V()
    with pytest.raises(IntertwineError, match=r"σ\(0\) = 0"):
        nonlinearities.pointwise(jax.nn.sigmoid, shift, "sigmoid")
    nonlinearities.pointwise(jax.nn.relu, shift)  # relu(0) = 0 is fine
    so3 = it.action("SO(3)").V()
    with pytest.raises(IntertwineError, match="mixes coordinates"):
        nonlinearities.pointwise(jax.nn.relu, so3)
    gate = nonlinearities.norm_gate(so3 + so3**2)
    assert_equivariant(gate, "SO(3)", "V + V**2", "V + V**2")
    with pytest.raises(IntertwineError, match="orthogonal"):
        nonlinearities.norm_gate(it.action("O(1,3)").V())
    signed = it.action("SO(2)").V()
    with pytest.raises(IntertwineError, match="mixes coordinates"):
        nonlinearities.pointwise(jnp.tanh, signed)
    with pytest.raises(IntertwineError, match="not equivariant"):
        it.verify.checked_nonlinearity(
            "SO(3)", so3, lambda x: x * jnp.broadcast_to(jnp.arange(3.0), x.shape)
        )
    it.verify.checked_nonlinearity("SO(3)", so3, lambda x: x * jnp.sum(x * x, -1, keepdims=True))


@pytest.mark.parametrize(
    "group,hidden", [("S(5)", "V + V**2"), ("SO(3)", "V + V**2 + 1"), ("Shift(6)", "V")]
)
def test_mlp_is_equivariant(group, hidden):
    action = it.action(group)
    v = action.V()
    mlp = equivariant_mlp(group, "V", v, hidden, 2, channels=4)  # strings and values alike
    params = mlp.init(jax.random.PRNGKey(0))
    assert_equivariant(lambda x: mlp.apply(params, x[:, None, :])[:, 0, :], action, v, v)


def test_equinox_modules_train_only_tied_weights():
    eqx = pytest.importorskip("equinox", reason="the equinox extra is not installed")
    from intertwine.codegen import EquivariantLinear, EquivariantMLP

    layer = EquivariantLinear("S(5)", "V**2", "V**2", channels=(2, 3), key=jax.random.PRNGKey(0))
    leaves = jax.tree_util.tree_leaves(eqx.filter(layer, eqx.is_array))
    assert sorted(leaf.shape for leaf in leaves) == [(3, 2), (3, 2, 15)]
    action = it.action("SO(3)")
    mlp = EquivariantMLP(
        action,
        "V",
        action.V(),
        action.V() ** 2 + action.trivial(),
        2,
        channels=4,
        key=jax.random.PRNGKey(1),
    )
    x = jax.random.normal(jax.random.PRNGKey(2), (16, 1, 3))
    loss = eqx.filter_value_and_grad(lambda m: jnp.mean((jax.vmap(m)(x) - x) ** 2))
    value, grads = loss(mlp)
    assert np.isfinite(float(value))
    assert_equivariant(lambda z: jax.vmap(mlp)(z[:, None, :])[:, 0, :], action, "V", "V")


@pytest.mark.slow  # a training run: CI runs it with -m slow
def test_training_example_beats_plain_mlp():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "set_function.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["test_mse_tied"] <= result["test_mse_mlp"]
    assert result["params_tied"] * 20 < result["params_mlp"]
    assert result["equivariance_error"] < 1e-5


def test_data_parallel_over_four_devices_matches_one():
    script = Path(__file__).resolve().parent / "_data_parallel.py"
    env = dict(
        os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4", JAX_PLATFORMS="cpu"
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["devices"] == 4
    assert result["max_param_difference"] < 1e-5


@pytest.fixture
def on_backend(monkeypatch):
    """Pretend the JAX layers run on a CPU or on an accelerator."""
    import intertwine.codegen.layers._core as core

    def choose(kind):
        monkeypatch.setattr(core, "jax_backend", lambda: kind)

    return choose


def test_modes_follow_the_backend(on_backend):
    on_backend("accelerator")  # one big matmul is cheap there; structure pays only when large
    assert equivariant_linear("S(6)", "V**2", "V**2").layout.mode != "diagram"
    assert equivariant_linear("S(18)", "V**2", "V**2").layout.mode == "diagram"
    assert equivariant_linear("Shift(100)", "V", "V").layout.mode != "convolution"


def test_diagram_mode_is_chosen_for_symmetric_tensor_powers(on_backend):
    on_backend("cpu")
    assert equivariant_linear("S(6)", "V**2", "V**2").layout.mode == "diagram"
    assert equivariant_linear("Z(6)", "V**2", "V**2").layout.mode != "diagram"  # other orbits
    with pytest.raises(IntertwineError, match="diagram"):
        equivariant_linear("SL(3)", "V**2", "V**2", mode="diagram")


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("S(6)", "V**2", "V**2"),
        ("S(3)", "V**2", "V**3"),
        ("S(5)", "V**3", "V"),
    ],
)
def test_diagram_and_gather_give_the_same_layer(group, a, b):
    basis = it.solve(group, a, b)
    diag = equivariant_linear(basis, channels=(2, 3), mode="diagram")
    tied = equivariant_linear(basis, channels=(2, 3), mode="tying")
    params = jax.tree_util.tree_map(lambda p: p + 0.5, tied.init(jax.random.PRNGKey(0)))
    x = jax.random.normal(jax.random.PRNGKey(1), (3, 5, 2, basis.in_dim))
    np.testing.assert_allclose(diag.apply(params, x), tied.apply(params, x), rtol=TOL, atol=TOL)
    g1 = jax.grad(lambda p: jnp.sum(diag.apply(p, x) ** 2))(params)
    g2 = jax.grad(lambda p: jnp.sum(tied.apply(p, x) ** 2))(params)
    np.testing.assert_allclose(g1["theta"], g2["theta"], rtol=5 * TOL, atol=5 * TOL)


def test_diagram_plans_for_sums_but_not_for_other_reps():
    layer = equivariant_linear("S(4)", "V + V", "V", mode="diagram")
    assert len(layer.layout.plan.classes) == 1  # two input blocks, one class
    with pytest.raises(IntertwineError, match="tensor powers"):  # not a sum of tensor powers
        equivariant_linear("S(4)", "(V + 1) * V", "V", mode="diagram")


def test_convolution_mode_for_shifts_and_cycles(on_backend):
    on_backend("cpu")
    assert equivariant_linear("Shift(100)", "V", "V").layout.mode == "convolution"
    assert equivariant_linear("Z(64)", "V", "V").layout.mode == "convolution"
    with pytest.raises(IntertwineError, match="convolution"):
        equivariant_linear("S(4)", "V**2", "V", mode="convolution")
    basis = it.solve("Shift(70)", "V", "V")
    conv = equivariant_linear(basis, channels=(9, 9), mode="convolution")  # batched-dot branch
    tied = equivariant_linear(basis, channels=(9, 9), mode="tying")
    params = tied.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (5, 9, 70))
    np.testing.assert_allclose(
        conv.apply(params, x), tied.apply(params, x), rtol=5 * TOL, atol=5 * TOL
    )
