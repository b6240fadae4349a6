"""Deployable exports through the generated PyTorch module: ONNX models (run by onnxruntime) and
torch.export + AOTInductor packages (run by aoti_load_package), for every plan. Each artifact is
loaded back, compared with the JAX layer (an independent implementation: JAX's own plans) to
1e-5, and its equivariance re-checked by verify on the loaded artifact."""

import os

import numpy as np
import pytest

from intertwine.cli import main
from intertwine.codegen.deploy import _extras
from intertwine.errors import IntertwineError

torch = pytest.importorskip("torch", reason="the exports go through PyTorch (pip install torch)")

# (group, in, out, channels, forced mode, the plan the artifact runs)
CASES = {
    "diagram": ("S(3)", "V**2", "V", (2, 3), "diagram", "diagram_pair"),
    "diagrams": ("O(1,3)", "V**2", "V**2", (2, 1), "diagram", "diagram_classes"),
    "gather": ("SO(3)", "V**2", "V", (1, 2), None, "tying"),
    "scatter": ("SO(3)", "V**2", "V", (2, 2), "sparse", "sparse"),
    "dense": ("S(4)", "V", "V", (1, 1), "dense", "tying"),
    "convolution": ("Shift(40)", "V", "V", (2, 2), "convolution", "convolution"),
    "irrep": ("O(3)", "2x0e + 1x1o", "1x0e + 2x1o", (2, 1), None, "irrep"),
}


def _jax_layer(group, a, b, ch, mode):
    import jax

    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear(group, a, b, channels=ch, mode=mode)
    params = layer.init(jax.random.PRNGKey(0))
    params["bias"] = jax.random.normal(jax.random.PRNGKey(1), params["bias"].shape)
    return layer, params


def _check_against_jax(layer, params, run, ch):
    """run: float32 (batch, c_in, in) -> (batch, c_out, out); 1e-5 relative to the output."""
    import jax.numpy as jnp

    x = np.random.default_rng(2).standard_normal((5, ch[0], layer.layout.in_dim))
    x = x.astype(np.float32)
    want = np.asarray(layer.apply(params, jnp.asarray(x)))
    got = np.asarray(run(x))
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= 1e-5 * max(1.0, float(np.max(np.abs(want))))


def _export_and_check(tmp_path, case, target):
    from intertwine.codegen.deploy import export, load_artifact
    from intertwine.verify import verify

    group, a, b, ch, mode, plan = CASES[case]
    layer, params = _jax_layer(group, a, b, ch, mode)
    path = str(tmp_path / f"layer.{target}")
    out = export(layer.layout, target=target, path=path, params=params)
    assert out.plan.startswith(plan) and out.in_shape == (ch[0], layer.layout.in_dim)
    artifact = load_artifact(path)
    if target == "onnx":
        _check_against_jax(layer, params, lambda x: artifact.run(None, {"x": x})[0], ch)
    else:
        _check_against_jax(layer, params, lambda x: artifact(torch.from_numpy(x)).numpy(), ch)
    report = verify(artifact, group, a, b)  # channels read from the artifact
    assert report and report.checks, report


@pytest.mark.parametrize("case", sorted(CASES))
def test_onnx_export_matches_jax_and_verifies(tmp_path, case):
    pytest.importorskip("onnxruntime", reason="the onnx extra: pip install 'intertwine[onnx]'")
    pytest.importorskip("onnxscript", reason="the onnx extra: pip install 'intertwine[onnx]'")
    _export_and_check(tmp_path, case, "onnx")


def _needs_compiler():
    if _extras.cxx_compiler() is None:
        pytest.skip("AOTInductor compiles C++: no g++ or clang++ on PATH")


def test_pt2_export_of_the_fft_convolution(tmp_path):
    """One package in the default run (an AOTInductor compile takes 10-30 s on 2 cores)."""
    _needs_compiler()
    _export_and_check(tmp_path, "convolution", "pt2")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(set(CASES) - {"convolution"}))
def test_pt2_export_matches_jax_and_verifies(tmp_path, case):
    _needs_compiler()
    _export_and_check(tmp_path, case, "pt2")


def test_onnx_real_convolution_is_the_fft_convolution(tmp_path):
    """The real-valued direct form given to ONNX equals the generated module's FFT path, and its
    W is what Shift(n) admits: lower-triangular Toeplitz (a causal convolution)."""
    from intertwine.codegen.deploy._module import real_convolution, torch_layer
    from intertwine.codegen.layout import layout_from_basis

    lay = layout_from_basis(
        "Shift(9)", "V", "V", backend="cpu", channels=(2, 3), bias=False, mode="convolution"
    )
    layer = torch_layer(lay, str(tmp_path), None, seed=3)
    x = torch.randn(4, 2, 9)
    eye = torch.eye(9).reshape(9, 1, 9).expand(9, 2, 9)
    with torch.no_grad():
        fft = layer(x)
        direct = real_convolution(layer)(x)
        columns = [layer(eye * (torch.arange(2) == c).reshape(1, 2, 1)) for c in range(2)]
    assert torch.allclose(direct, fft, atol=1e-5)
    w = np.stack([col.numpy() for col in columns], 1)  # (in j, c, o, out i)
    w = w.transpose(2, 1, 3, 0)  # (o, c, i, j)
    for o in range(3):
        for c in range(2):
            first = w[o, c, :, 0]
            toeplitz = np.array(
                [[first[i - j] if i >= j else 0.0 for j in range(9)] for i in range(9)]
            )
            assert np.allclose(w[o, c], toeplitz, atol=1e-6)


def test_verify_finds_a_non_equivariant_onnx_model(tmp_path):
    """verify really runs the artifact: a dense ONNX model is not S(4)-equivariant."""
    pytest.importorskip("onnxruntime", reason="the onnx extra: pip install 'intertwine[onnx]'")
    pytest.importorskip("onnxscript", reason="the onnx extra: pip install 'intertwine[onnx]'")
    import warnings

    from intertwine.codegen.deploy import load_artifact
    from intertwine.verify import verify

    torch.manual_seed(0)
    model = torch.nn.Linear(4, 4).eval()
    path = str(tmp_path / "dense.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's own deprecation warnings
        torch.onnx.export(
            model,
            (torch.zeros(2, 4),),
            path,
            dynamo=True,
            input_names=["x"],
            dynamic_shapes=({0: torch.export.Dim("batch", min=1)},),
            external_data=False,
        )
    report = verify(load_artifact(path), "S(4)", "V", "V")
    assert not report
    assert report.checks[0].error > 1e-2


def test_cli_onnx_export(tmp_path, capsys):
    pytest.importorskip("onnxruntime", reason="the onnx extra: pip install 'intertwine[onnx]'")
    pytest.importorskip("onnxscript", reason="the onnx extra: pip install 'intertwine[onnx]'")
    from intertwine.codegen.deploy import load_artifact
    from intertwine.verify import verify

    path = tmp_path / "layer.onnx"
    code = main(
        [
            "codegen",
            "S(4)",
            "V**2",
            "V",
            "--target",
            "onnx",
            "--channels",
            "2",
            "3",
            "-o",
            str(path),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "x (batch, 2, 16) -> y (batch, 3, 4) float32" in capsys.readouterr().err
    session = load_artifact(str(path))
    assert [i.shape for i in session.get_inputs()] == [["batch", 2, 16]]
    assert verify(session, "S(4)", "V**2", "V")
    assert main(["verify", str(path), "S(4)", "V**2", "V"]) == 0  # the CLI loads it too
    assert main(["verify", str(path), "S(4)", "V**2", "V**2"]) == 2  # wrong shape: bad input
    assert not [f for f in os.listdir(tmp_path) if ".part" in f]  # no temporary file left


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--target", "onnx"], "add -o layer.onnx"),
        (["--target", "onnx", "-o", "/no/such/folder/l.onnx"], "mkdir -p /no/such/folder"),
        (["--target", "pt2", "-o", "layer.bin"], "must be named *.pt2"),
    ],
)
def test_cli_export_bad_input_exits_2(capsys, monkeypatch, argv, message):
    # the extras count as installed: the path is refused before any export runs
    monkeypatch.setattr(_extras, "missing_modules", lambda t: [])
    assert main(["codegen", "S(3)", "V", "V", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "target, extra", [("onnx", "intertwine[onnx]"), ("pt2", "intertwine[pt2]")]
)
def test_missing_extra_exits_2_naming_it(tmp_path, capsys, monkeypatch, target, extra):
    monkeypatch.setattr(_extras, "missing_modules", lambda t: ["onnxruntime"])
    path = str(tmp_path / f"l.{target}")
    assert main(["codegen", "S(3)", "V", "V", "--target", target, "-o", path]) == 2
    err = capsys.readouterr().err
    assert f"pip install '{extra}'" in err and len(err.strip().splitlines()) == 1
    assert not os.path.exists(path)


def test_cli_export_to_a_path_through_a_file_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_extras, "missing_modules", lambda t: [])
    (tmp_path / "file").write_text("")
    path = str(tmp_path / "file" / "l.onnx")
    assert main(["codegen", "S(3)", "V", "V", "--target", "onnx", "-o", path]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "not a folder" in err and len(err.strip().splitlines()) == 1


def test_missing_compiler_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_extras, "cxx_compiler", lambda: None)
    assert (
        main(["codegen", "S(3)", "V", "V", "--target", "pt2", "-o", str(tmp_path / "l.pt2")]) == 2
    )
    assert "install g++" in capsys.readouterr().err


def test_api_errors_are_typed(tmp_path):
    from intertwine.codegen.deploy import export, load_artifact

    with pytest.raises(IntertwineError, match="unknown export target"):
        export("S(3)", "V", "V", target="tflite", path=str(tmp_path / "l"))
    with pytest.raises(IntertwineError, match="does not exist"):
        export("S(3)", "V", "V", target="pt2", path=str(tmp_path / "no" / "l.pt2"))
    with pytest.raises(IntertwineError, match="no such file"):
        load_artifact(str(tmp_path / "missing.onnx"))
    with pytest.raises(IntertwineError, match=r"\*.onnx or \*.pt2"):
        (tmp_path / "l.bin").write_bytes(b"")
        load_artifact(str(tmp_path / "l.bin"))


# invariant-theory networks: SO(3) holds determinants, cross products and T terms; S(4) power
# sums and the graded polynomial head
NETWORKS = {
    "SO(3)": ("SO(3)", "1 + 4*V", "1 + V + V**2", {}),
    "S(4)": ("S(4)", "1 + 3*V", "1 + V + V**2", {"polynomial": 2}),
}


def _network_export_and_check(tmp_path, case, target):
    import jax
    import jax.numpy as jnp

    import intertwine as it
    from intertwine.codegen.deploy import export, load_artifact
    from intertwine.verify import verify

    group, a, b, kwargs = NETWORKS[case]
    net = it.invariant_network(group, a, b, hidden=8, depth=1, **kwargs)
    params = jax.tree_util.tree_map(lambda t: t + 0.1, net.init(jax.random.PRNGKey(0)))
    path = str(tmp_path / f"network.{target}")
    out = export(net, target=target, path=path, params=params)
    dim_in, dim_out = it.rep(group, a).dim, it.rep(group, b).dim
    assert out.plan == "invariant network" and (out.in_shape, out.out_shape) == (
        (dim_in,),
        (dim_out,),
    )
    artifact = load_artifact(path)
    x = np.random.default_rng(2).standard_normal((5, dim_in)).astype(np.float32)
    if target == "onnx":
        got = artifact.run(None, {"x": x})[0]
    else:
        got = artifact(torch.from_numpy(x)).numpy()
    want = np.asarray(jax.jit(net.apply)(params, jnp.asarray(x)))
    assert np.max(np.abs(got - want)) <= 1e-5 * max(1.0, float(np.max(np.abs(want))))
    report = verify(artifact, group, a, b)
    assert report and report.checks, report


@pytest.mark.parametrize("case", sorted(NETWORKS))
def test_onnx_export_of_invariant_networks(tmp_path, case):
    pytest.importorskip("onnxruntime", reason="the onnx extra: pip install 'intertwine[onnx]'")
    pytest.importorskip("onnxscript", reason="the onnx extra: pip install 'intertwine[onnx]'")
    _network_export_and_check(tmp_path, case, "onnx")


@pytest.mark.slow
def test_pt2_export_of_an_invariant_network(tmp_path):
    _needs_compiler()
    _network_export_and_check(tmp_path, "SO(3)", "pt2")


def test_artifact_paths_and_junk_files_are_one_line_errors(tmp_path):
    from intertwine.codegen.deploy import export, load_artifact

    with pytest.raises(IntertwineError, match=r"named \*\.onnx"):
        export("S(3)", "V", "V", target="onnx", path=str(tmp_path / "layer"))
    (tmp_path / "dir.onnx").mkdir()
    with pytest.raises(IntertwineError, match="it is a folder"):
        load_artifact(str(tmp_path / "dir.onnx"))
    pytest.importorskip("onnxruntime", reason="the onnx extra: pip install 'intertwine[onnx]'")
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(IntertwineError, match="cannot load .* as an ONNX model"):
        load_artifact(str(tmp_path / "junk.onnx"))


def test_networks_without_an_export_plan_are_refused(tmp_path):
    from intertwine.codegen import gated_network
    from intertwine.codegen.deploy import export

    net = gated_network("O(3)", "V", "V", "4*1 + 2*V", 1)
    with pytest.raises(IntertwineError, match="only invariant_network"):
        export(net, target="onnx", path=str(tmp_path / "n.onnx"))
