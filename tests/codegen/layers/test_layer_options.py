"""Options of layers and exports: half precision through the FFT plan, a real-valued export
(--mode), the nonlinearities' action-first form, empty layers, descriptions, shapes of networks."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import load_module

import intertwine as it
from intertwine.cli import main
from intertwine.codegen import emit, equivariant_linear, equivariant_mlp, nonlinearities
from intertwine.errors import EmptyLayerWarning, IntertwineError
from intertwine.testing import assert_equivariant


def _circulant(group, theta, n):
    """W of a layer V -> V as Σ_k θ_k B_k with the dense basis (NumPy, float64)."""
    basis = it.solve(group, "V", "V")
    return np.einsum("k,kij->ij", theta.astype(np.float64), basis.dense)


@pytest.mark.parametrize("dtype", [jnp.bfloat16, jnp.float16])
def test_fft_plan_runs_half_precision(dtype):
    layer = equivariant_linear("Shift(70)", "V", "V", mode="convolution")
    params = layer.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (3, 70))
    y = layer.apply(params, x.astype(dtype))
    assert y.dtype == dtype
    w = _circulant("Shift(70)", np.asarray(params["theta"][0, 0]), 70)
    want = np.asarray(x, np.float64) @ w.T + np.asarray(layer.apply(params, 0 * x))[0]
    np.testing.assert_allclose(np.asarray(y, np.float32), want, rtol=0.1, atol=0.1)


def test_exported_jax_fft_runs_half_precision(tmp_path):
    path = tmp_path / "conv_jax.py"
    path.write_text(emit("Shift(70)", "V", "V", target="jax", name="Layer").source)
    mod = load_module(path, "conv_jax_half")
    params = mod.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (2, 1, 70))
    want = np.asarray(mod.Layer(params, x))
    y = mod.Layer(params, x.astype(jnp.bfloat16))
    assert y.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(y, np.float32), want, rtol=0.1, atol=0.1)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.jit.trace warns it is old
def test_exported_torch_fft_half_precision_and_real_mode(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    fft = tmp_path / "conv_fft.py"
    assert main(["codegen", "Shift(70)", "V", "V", "--target", "torch", "-o", str(fft)]) == 0
    real = tmp_path / "conv_real.py"
    args = ["codegen", "Shift(70)", "V", "V", "--target", "torch", "--mode", "tying"]
    assert main(args + ["--name", "Conv", "-o", str(real)]) == 0
    source = real.read_text()
    assert "torch.fft" not in source and "--mode tying" in source
    assert f"-o {real}" in source  # the regenerate hint names the file given
    a = load_module(fft, "conv_fft_torch").EquivariantLinear()
    b = load_module(real, "conv_real_torch").Conv()
    with torch.no_grad():
        b.theta.copy_(a.theta)
        b.bias.copy_(a.bias + 0.5)
        a.bias.copy_(a.bias + 0.5)
    x = torch.randn(4, 1, 70)
    want = (
        x[:, 0].double()
        @ torch.from_numpy(_circulant("Shift(70)", a.theta.detach().numpy()[0, 0], 70)).T
    )
    torch.testing.assert_close(
        b(x)[:, 0].double() - b(0 * x)[:, 0].double(), want, atol=1e-4, rtol=1e-4
    )
    torch.testing.assert_close(a(x), b(x), atol=1e-4, rtol=1e-4)
    for dtype in (torch.float16, torch.bfloat16):
        y = a(x.to(dtype))
        assert y.dtype == dtype
        torch.testing.assert_close(y.float(), a(x), atol=0.1, rtol=0.1)
    assert "aten::fft" in str(torch.jit.trace(a, x).graph)  # the FFT module has them
    graph = str(torch.jit.trace(b, x).graph)
    assert "aten::fft" not in graph and "Complex" not in graph  # real operations (ONNX)


def test_codegen_mode_errors_exit_2(tmp_path, capsys):
    args = ["codegen", "Shift(8)", "V", "V", "--target", "numpy", "--mode", "diagram"]
    assert main(args) == 2
    assert "diagram" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["codegen", "Shift(8)", "V", "V", "--target", "numpy", "--mode", "fast"])
    assert exc.value.code == 2


def test_torch_module_prints_what_it_is(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    path = tmp_path / "edge_layer.py"
    args = ["codegen", "S(5)", "V**2", "V**2", "--target", "torch", "--channels", "4", "8"]
    assert main(args + ["--name", "EdgeLayer", "-o", str(path)]) == 0
    module = load_module(path, "edge_layer_repr").EdgeLayer()
    text = repr(module)
    n_params = sum(p.numel() for p in module.parameters())
    assert text.startswith("EdgeLayer(S(5): V**2 -> V**2, channels 4 -> 8")
    assert f"{n_params} parameters" in text
    assert f"-o {path}" in path.read_text() and "-o EdgeLayer.py" not in path.read_text()
    del torch


def test_nonlinearities_take_the_action_first_and_strings():
    relu = nonlinearities.pointwise("S(4)", "V**2", jax.nn.relu)
    assert relu is jax.nn.relu
    with pytest.raises(IntertwineError, match="mixes coordinates"):
        nonlinearities.pointwise("SO(3)", "V", jax.nn.relu)
    gate = nonlinearities.norm_gate("SO(3)", "V + V**2")
    assert_equivariant(gate, "SO(3)", "V + V**2", "V + V**2")
    checked = it.verify.checked_nonlinearity
    cube = checked("SO(3)", "V", lambda x: x * jnp.sum(x * x, -1, keepdims=True))
    assert_equivariant(cube, "SO(3)", "V", "V")
    with pytest.raises(IntertwineError, match="not equivariant"):
        checked("SO(3)", "V", lambda x: x * jnp.broadcast_to(jnp.arange(3.0), x.shape))
    with pytest.raises(IntertwineError, match="needs a callable"):
        checked("SO(3)", "V", 3)
    with pytest.raises(IntertwineError, match="takes the action first"):
        nonlinearities.pointwise(3, "V", jax.nn.relu)
    # the older forms with a Rep value keep working
    so3 = it.action("SO(3)").V()
    nonlinearities.norm_gate(so3)
    # custom is the deprecated name of checked_nonlinearity, in both of its forms
    with pytest.warns(DeprecationWarning, match="checked_nonlinearity"):
        assert nonlinearities.custom(lambda x: x, so3, 1e-5)(jnp.ones(3)).shape == (3,)
    with pytest.warns(DeprecationWarning), pytest.raises(IntertwineError, match="not equivariant"):
        nonlinearities.custom(
            "SO(3)", "V", lambda x: x * jnp.broadcast_to(jnp.arange(3.0), x.shape)
        )
    with pytest.raises(IntertwineError, match=r"σ\(0\) = 0"):
        nonlinearities.pointwise(jax.nn.sigmoid, it.action("Shift(6)").V(), "sigmoid")


def test_empty_layer_warns():
    with pytest.warns(EmptyLayerWarning, match="dimension 0"):
        layer = equivariant_linear("O(1,3)", "V**2", "V")
    assert layer.layout.dim == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        equivariant_linear("O(1,3)", "V**2", "1")  # the Minkowski product: dimension 1


def test_descriptions_say_one_weight_in_the_singular():
    text = repr(equivariant_linear("Sp(32)", "V**2 + V", "V**2 + V", channels=(2, 2)))
    assert "1 bias weight per output channel" in text and "1 bias weights" not in text


def test_networks_take_one_vector_per_example():
    mlp = equivariant_mlp("S(5)", "V", "V", "V", 1, channels=4)
    params = mlp.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (6, 5))
    y = mlp.apply(params, x)
    assert y.shape == (6, 5)
    np.testing.assert_allclose(mlp.apply(params, x[:, None, :])[:, 0, :], y, rtol=1e-6)
    net = it.codegen.gated_network("S(5)", "V", "V", "V", 1)
    assert net.apply(net.init(jax.random.PRNGKey(0)), x).shape == (6, 5)
    wide = equivariant_mlp("S(5)", "V", "V", "V", 1, channels=4, in_channels=2, out_channels=3)
    assert wide.apply(wide.init(jax.random.PRNGKey(0)), jnp.ones((6, 2, 5))).shape == (6, 3, 5)
