"""verify: reports that catch real bugs in hand-written layers."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from intertwine.cli import main
from intertwine.errors import IntertwineError
from intertwine.testing import assert_equivariant
from intertwine.verify import equivariant_to, verify

N = 8
KERNEL = np.array([0.5, -1.0, 2.0])


def conv_same(x):
    """1-D convolution with 'same' zero padding: not equivariant to the cyclic rotation."""
    return np.stack([np.convolve(row, KERNEL, mode="same") for row in x])


def conv_circular(x):
    return sum(k * np.roll(x, s - 1, axis=-1) for s, k in enumerate(KERNEL))


def conv_causal(x):
    """y_t = sum_k w_k x_{t-k}: a causal convolution, equivariant to the truncating shift."""
    return np.stack([np.convolve(row, KERNEL)[:N] for row in x])


def test_same_padding_conv_is_not_cyclic_equivariant():
    report = verify(conv_same, f"Z({N})", "V", "V")
    assert not report and report.failures[0].name == "rotate"
    assert verify(conv_circular, f"Z({N})", "V", "V")


def test_causal_conv_is_shift_equivariant():
    assert verify(conv_causal, f"Shift({N})", "V", "V")
    assert not verify(conv_circular, f"Shift({N})", "V", "V")  # wraps around: not causal


def test_sigmoid_after_shift_layer_breaks_it():
    report = verify(lambda x: 1 / (1 + np.exp(-conv_causal(x))), f"Shift({N})", "V", "V")
    assert not report and report.failures[0].name == "shift"
    assert verify(lambda x: np.tanh(conv_causal(x)), f"Shift({N})", "V", "V")


def test_deepsets_layer_passes():
    def deepsets(x):
        return 1.5 * x + 0.25 * x.sum(-1, keepdims=True) + 0.1

    assert verify(deepsets, "S(6)", "V", "V")


def test_graph_layer_with_transposed_index_names_the_generator():
    n = 4

    def exchangeable(x):  # rows and columns permuted independently: S(n) x S(n) on V1*V2
        m = x.reshape(-1, n, n)
        return (m + m.mean(1, keepdims=True)).reshape(-1, n * n)

    def buggy(x):
        m = x.reshape(-1, n, n)
        return (m + m.transpose(0, 2, 1).mean(1, keepdims=True)).reshape(-1, n * n)

    assert verify(exchangeable, f"S({n}) x S({n})", "V1*V2", "V1*V2")
    report = verify(buggy, f"S({n}) x S({n})", "V1*V2", "V1*V2")
    assert not report
    assert {c.name for c in report.failures} >= {"swap01_1"}
    with pytest.raises(AssertionError, match="swap01_1"):
        assert_equivariant(buggy, f"S({n}) x S({n})", "V1*V2", "V1*V2")


def test_so3_layer_with_wrong_sign_has_nonzero_lie_derivative():
    good = verify(lambda x: jnp.cross(x[:, :3], x[:, 3:]), "SO(3)", "V + V", "V")
    bad = verify(
        lambda x: jnp.cross(x[:, :3], x[:, 3:]) * jnp.array([[1.0, -1.0, 1.0]]),
        "SO(3)",
        "V + V",
        "V",
    )
    assert good and not bad
    assert all(c.kind == "lie" for c in bad.checks) and bad.max_error > 0.1


def test_matrix_report_and_nearest():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 5))
    report = verify(w, "S(5)", "V", "V")
    assert not report and report.distance > 0.1
    assert verify(report.nearest, "S(5)", "V", "V")  # the projection is equivariant
    assert verify(2 * np.eye(5) + 1, "S(5)", "V", "V").distance < 1e-12
    with pytest.raises(IntertwineError, match="shape"):
        verify(np.eye(4), "S(5)", "V", "V")
    with pytest.raises(IntertwineError, match="NaN"):
        verify(np.full((5, 5), np.nan), "S(5)", "V", "V")


def test_monoid_words_are_checked():
    report = verify(conv_causal, f"Shift({N})", "V", "V", words=4)
    assert [c.kind for c in report.checks].count("word") == 4


def test_torch_callables():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    conv = torch.nn.Conv1d(1, 1, 3, padding=1, bias=False, padding_mode="circular").double()

    def f(x):
        return conv(x[:, None, :])[:, 0, :]

    assert verify(f, f"Z({N})", "V", "V", framework="torch")
    with pytest.raises(IntertwineError, match="framework='torch'"):
        verify(f, f"Z({N})", "V", "V")  # a NumPy batch cannot reach it: say so, never guess
    conv.padding_mode = "zeros"
    assert not verify(f, f"Z({N})", "V", "V", framework="torch")


def test_to_what_is_it_equivariant():
    c = np.array([3.0, 1.0, 0.5, 0.5, 1.0])  # symmetric circulant
    w = np.stack([np.roll(c, k) for k in range(5)])
    result = {
        r["action"]: r
        for r in equivariant_to(w, [("S(5)", "V", "V"), ("Z(5)", "V", "V"), ("Dih(5)", "V", "V")])
    }
    assert not result["S(5)"]["equivariant"] and result["S(5)"]["failing"] == ["swap01"]
    assert result["S(5)"]["generators"] == ["cycle"]
    assert result["Z(5)"]["equivariant"] and result["Dih(5)"]["equivariant"]


def test_cli_verify(tmp_path, monkeypatch, capsys):
    (tmp_path / "mylayers.py").write_text(
        "import numpy as np\n"
        "def deepsets(x):\n    return x + x.sum(-1, keepdims=True)\n"
        "def broken(x):\n    return x * np.arange(x.shape[-1])\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["verify", "mylayers:deepsets", "S(4)", "V", "V"]) == 0
    assert main(["verify", "mylayers:broken", "S(4)", "V", "V", "--format", "json"]) == 1
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(out)["equivariant"] is False
    np.save(tmp_path / "w.npy", np.eye(4) + 1)
    assert main(["verify", "w.npy", "S(4)", "V", "V"]) == 0
    np.save(tmp_path / "bad.npy", np.eye(3))
    assert main(["verify", "bad.npy", "S(4)", "V", "V"]) == 2
    assert main(["verify", "os.system('x')", "S(4)", "V", "V"]) == 2
    assert main(["verify", "nosuchmodule:f", "S(4)", "V", "V"]) == 2
    err = capsys.readouterr().err
    assert "cannot import" in err and "Traceback" not in err


def test_layers_from_jax_pass_in_float64():
    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear("SO(3)", "V**2", "V", channels=None)
    params = layer.init(jax.random.PRNGKey(0))
    report = verify(lambda x: layer.apply(params, x), "SO(3)", "V**2", "V", tol=1e-12)
    assert report, str(report)


def test_top_level_verify_and_lazy_imports():
    import subprocess
    import sys

    import intertwine

    assert intertwine.verify(np.eye(3) + 1, "S(3)", "V", "V")
    code = "import intertwine, sys; print('jax' in sys.modules, 'equinox' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.split() == ["False", "False"]  # importing intertwine stays light


@pytest.mark.parametrize("samples,words", [(0, 8), (-1, 8), (8, -1), (2.5, 8)])
def test_checks_on_no_inputs_are_refused(samples, words):
    with pytest.raises(IntertwineError, match="proves nothing"):
        verify(lambda x: x[:, ::-1], "S(3)", "V", "V", samples=samples, words=words)


def test_complex_and_non_numeric_matrices_are_refused():
    w = np.eye(3) * (1 + 1j)
    with pytest.raises(IntertwineError, match="complex"):
        verify(w, "S(3)", "V", "V")
    with pytest.raises(IntertwineError, match="numbers"):
        verify(np.array([["a"] * 3] * 3), "S(3)", "V", "V")


def test_cli_samples_zero_is_bad_input(tmp_path, monkeypatch, capsys):
    (tmp_path / "zero_samples_layers.py").write_text("def f(x):\n    return x[:, ::-1]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from intertwine.cli import main

    assert main(["verify", "zero_samples_layers:f", "S(3)", "V", "V", "--samples", "0"]) == 2
    assert "proves nothing" in capsys.readouterr().err
