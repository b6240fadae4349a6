"""Generated standalone layers: same outputs as the JAX layer, equivariant, trainable, clean."""

import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import load_module

import intertwine.codegen.source._emit as emit_module
from intertwine.cli import main
from intertwine.codegen import TARGETS, emit, equivariant_linear
from intertwine.codegen.layout import layout_from_basis
from intertwine.codegen.source import source_mode
from intertwine.errors import IntertwineError
from intertwine.solver import solve
from intertwine.verify import verify

CASES = [
    ("S(5)", "V**2", "V**2", (2, 3)),  # partition diagrams
    ("SO(3)", "V**2", "V", (1, 2)),  # signed tying
    ("O(1,3)", "V**2", "V**2", (2, 1)),  # the general diagram plan (the form η)
    ("Shift(6)", "V", "V", (1, 1)),  # tying of a monoid
    ("Shift(70)", "V", "V", (2, 2)),  # FFT convolution
]
# the plan each case is emitted with: the same as the JAX layer's on a CPU
PLANS = {
    "S(5)": "diagram_pair",
    "SO(3)": "tying",
    "O(1,3)": "diagram_classes",
    "Shift(6)": "tying",
}


def _reference(group, a, b, ch):
    basis = solve(group, a, b)
    layer = equivariant_linear(basis, channels=ch)
    params = layer.init(jax.random.PRNGKey(0))
    params["bias"] = jax.random.normal(jax.random.PRNGKey(1), params["bias"].shape)
    return basis, layer, {k: np.asarray(v) for k, v in params.items()}


def _run(target, mod, params, x):
    """Call the generated layer with the given coefficients; return (y, a trained copy)."""
    if target == "numpy":
        return mod.Layer(params, x), None
    if target == "jax":
        y = mod.Layer(params, jnp.asarray(x))
        grads = jax.grad(lambda p: jnp.sum(mod.Layer(p, jnp.asarray(x)) ** 2))(params)
        stepped = jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, params, grads)
        return y, stepped
    if target == "equinox":
        import equinox as eqx

        m = mod.Layer(jax.random.PRNGKey(0))
        m = eqx.tree_at(
            lambda m: (m.theta, m.bias),
            m,
            (jnp.asarray(params["theta"]), jnp.asarray(params["bias"])),
        )
        grads = eqx.filter_grad(lambda m: jnp.sum(m(jnp.asarray(x)) ** 2))(m)
        stepped = eqx.apply_updates(m, jax.tree_util.tree_map(lambda g: -0.01 * g, grads))
        return m(jnp.asarray(x)), {"theta": stepped.theta, "bias": stepped.bias}
    if target == "flax":
        m = mod.Layer()
        variables = {"params": {k: jnp.asarray(v) for k, v in params.items()}}
        init_vars = m.init(jax.random.PRNGKey(0), jnp.asarray(x))
        assert jax.tree_util.tree_structure(init_vars) == jax.tree_util.tree_structure(variables)
        grads = jax.grad(lambda v: jnp.sum(m.apply(v, jnp.asarray(x)) ** 2))(variables)
        stepped = jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, variables, grads)
        return m.apply(variables, jnp.asarray(x)), stepped["params"]
    import torch

    m = mod.Layer()
    assert {n for n, _ in m.named_parameters()} == {"theta", "bias"}
    with torch.no_grad():
        m.theta.copy_(torch.tensor(params["theta"]))
        m.bias.copy_(torch.tensor(params["bias"]))
    y = m(torch.as_tensor(x))
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    (y**2).sum().backward()
    opt.step()
    return y.detach().numpy(), {"theta": m.theta.detach().numpy(), "bias": m.bias.detach().numpy()}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("group,a,b,ch", CASES)
def test_generated_layer_matches_jax(tmp_path, target, group, a, b, ch):
    if target == "torch":
        pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    if target == "flax":
        pytest.importorskip("flax", reason="Flax is an optional test dependency")
    basis, layer, params = _reference(group, a, b, ch)
    out = emit(basis, target=target, channels=ch, name="Layer")
    emitted = layout_from_basis(basis, channels=ch, backend="cpu")
    plan = PLANS.get(group, "convolution")
    assert source_mode(emitted) == plan
    marker = {"diagram_pair": "REDUCE", "convolution": "rfft", "tying": "INDEX", "sparse": "ROWS"}
    assert {**marker, "diagram_classes": "PLANS = ["}[plan] in out.source
    path = tmp_path / f"gen_{target}.py"
    path.write_text(out.source)
    mod = load_module(path, f"gen_{target}_{abs(hash((group, a, b)))}")
    assert mod.THETA_STD == pytest.approx(layer.layout.theta_std)
    # the default mean aggregation: S(5), SO(3) and O(1,3) scale θ, the shifts have nothing to
    assert (mod.SCALE is not None) == (group in ("S(5)", "SO(3)", "O(1,3)"))
    x = np.random.default_rng(0).standard_normal((4, ch[0], basis.in_dim)).astype(np.float32)
    y, stepped = _run(target, mod, params, x)
    want = np.asarray(layer.apply({k: jnp.asarray(v) for k, v in params.items()}, x))
    np.testing.assert_allclose(np.asarray(y), want, rtol=1e-5, atol=1e-5)
    if stepped is not None:  # one optimiser step moved the tied weights, nothing else
        assert set(stepped) == {"theta", "bias"}
        assert np.asarray(stepped["theta"]).shape == params["theta"].shape
        assert not np.allclose(np.asarray(stepped["theta"]), params["theta"])

    def channel0(z):
        full = np.zeros((z.shape[0], ch[0], basis.in_dim), np.float32)
        full[:, 0, :] = z
        yy, _ = (
            _run(target, mod, params, full)
            if target != "numpy"
            else (mod.Layer(params, full), None)
        )
        return np.asarray(yy)[:, 0, :]

    report = verify(channel0, group, a, b, tol=1e-4, samples=3, words=2)
    assert report, str(report)


def test_generated_files_are_ruff_clean(tmp_path):
    for target in TARGETS:
        for group, a, b, ch in CASES:
            (tmp_path / f"{target}_{group[:2].strip('(')}_{len(a)}.py").write_text(
                emit(group, a, b, target=target, channels=ch).source
            )
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "E,F,W,I,B,UP",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


def test_large_data_goes_to_a_side_npz(tmp_path, monkeypatch):
    monkeypatch.setattr(emit_module, "INLINE_LIMIT", 64)
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "codegen",
                "S(5)",
                "V**2",
                "V**2",
                "--target",
                "numpy",
                "--name",
                "Edge",
                "-o",
                "edge.py",
            ]
        )
        == 0
    )
    assert (tmp_path / "edge_data.npz").exists()
    assert "allow_pickle=False" in (tmp_path / "edge.py").read_text()
    mod = load_module(tmp_path / "edge.py", "edge_side")
    params = mod.init(0)
    assert mod.Edge(params, np.ones((2, 1, 25), np.float32)).shape == (2, 1, 25)


@pytest.mark.parametrize("name", ["class", "a b", "x;import os", "", "1abc", "__import__('os')"])
def test_names_are_validated(name):
    with pytest.raises(IntertwineError, match="identifier"):
        emit("S(3)", "V", "V", target="numpy", name=name)


def test_hostile_custom_path_cannot_reach_code(tmp_path):
    bad = tmp_path / 'x"""; import os; os.system("echo hi") #.json'
    bad.write_text('{"kind": "group", "degree": 3, "permutations": [[1, 2, 0]]}')
    src = emit(f"@{bad}", "V", "V", target="numpy").source
    assert "import os;" not in src and 'os.system("' not in src
    compile(src, "gen.py", "exec")  # still valid Python


def test_cli_codegen_stdout(capsys):
    assert (
        main(["codegen", "S(5)", "V**2", "V**2", "--target", "torch", "--channels", "1", "1"]) == 0
    )
    src = capsys.readouterr().out
    compile(src, "layer.py", "exec")
    assert "class EquivariantLinear(torch.nn.Module)" in src


def test_exporting_never_imports_jax():
    code = (
        "import sys\n"
        "from intertwine.codegen import emit\n"
        "for case in [('S(5)', 'V**2', 'V**2'), ('Shift(70)', 'V', 'V'), ('SO(3)', 'V**2', 'V'),"
        " ('O(1,3)', 'V**2', 'V**2')]:\n"
        "    for target in ('numpy', 'torch', 'jax', 'equinox', 'flax'):\n"
        "        emit(*case, target=target, channels=(2, 2))\n"
        "print('jax' in sys.modules, 'torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


# torch.jit.script warns it is old (a DeprecationWarning, from torch 2.14 a FutureWarning)
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:.*jit.script.*:FutureWarning")
@pytest.mark.parametrize("group,a,b,ch", CASES[:3] + CASES[4:])
def test_torch_layer_scripts_and_compiles(tmp_path, group, a, b, ch):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    path = tmp_path / "layer.py"
    path.write_text(emit(group, a, b, target="torch", channels=ch, name="Layer").source)
    mod = load_module(path, f"scripted_{abs(hash((group, a, b)))}")
    layer = mod.Layer(dtype=torch.float64)
    x = torch.randn(3, 2, ch[0], mod.IN_DIM, dtype=torch.float64)
    want = layer(x)
    scripted = torch.jit.script(layer)
    torch.testing.assert_close(scripted(x), want)
    # dynamo captures the whole forward (no graph break); aot_eager skips the C++ build
    compiled = torch.compile(layer, backend="aot_eager", fullgraph=True)
    torch.testing.assert_close(compiled(x), want)
    (scripted(x) ** 2).sum().backward()
    assert layer.theta.grad is not None and layer.theta.grad.abs().sum() > 0


# torch's inductor raises its own deprecation warnings while lowering (not ours to fix)
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_torch_layer_compiles_with_inductor(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    path = tmp_path / "layer.py"
    path.write_text(emit("S(4)", "V**2", "V**2", target="torch", name="Layer").source)
    layer = load_module(path, "inductor_layer").Layer()
    x = torch.randn(5, 1, 16)
    torch.testing.assert_close(torch.compile(layer)(x), layer(x), rtol=1e-5, atol=1e-5)


def test_layer_without_bias_exports_without_bias(tmp_path):
    basis = solve("S(4)", "V**2", "V")
    layer = equivariant_linear(basis, channels=(2, 2), bias=False)
    params = layer.init(jax.random.PRNGKey(0))
    assert set(params) == {"theta"}
    src = emit(basis, target="numpy", channels=(2, 2), bias=False, name="Layer").source
    assert "--no-bias" in src and "no bias" in src
    path = tmp_path / "nobias.py"
    path.write_text(src)
    mod = load_module(path, "nobias")
    assert set(mod.init(0)) == {"theta"}
    x = np.random.default_rng(1).standard_normal((3, 2, 16))
    np.testing.assert_allclose(
        mod.Layer({"theta": np.asarray(params["theta"])}, x),
        np.asarray(layer.apply(params, jnp.asarray(x, jnp.float32))),
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("name", ["np", "weight", "init", "torch", "C_IN", "_linear"])
def test_names_that_shadow_the_module_are_refused(name):
    with pytest.raises(IntertwineError, match="shadow"):
        emit("S(3)", "V", "V", target="numpy", name=name)


GENERAL_PLANS = [
    ("O(1,3)", "V**2", "V**2"),  # η on pairs
    ("Sp(2)", "V**2 + V", "V**2 + 1"),  # J on pairs, a sum of tensor powers
    ("SO(3)", "V**2 + V", "V + V**2"),  # ε operands
    ("SO(1,2)", "V**2", "V + V**3"),  # ε raised by η
    ("S(4)", "2*V", "V**2 + V"),  # copies as channels
    ("S(5)", "1 + V**2", "1 + V**2"),  # the scalar block pair 1 -> 1 as a diagram
    ("O(3,1)", "1 + V", "2*1 + V**2"),
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("group,a,b", GENERAL_PLANS)
def test_general_diagram_plans_are_exported(tmp_path, target, group, a, b):
    """The emitted general plan (classes of block pairs, forms, ε) equals the JAX layer, and
    one optimiser step in it moves the tied weights."""
    if target in ("flax", "torch"):
        pytest.importorskip(target, reason=f"{target} is an optional test dependency")
    basis = solve(group, a, b)
    layer = equivariant_linear(basis, channels=(2, 3), mode="diagram")
    params = jax.tree_util.tree_map(lambda p: p + 0.3, layer.init(jax.random.PRNGKey(0)))
    params = {k: np.asarray(v) for k, v in params.items()}
    out = emit(layer.layout, target=target, name="Layer")
    assert source_mode(layer.layout) == "diagram_classes" and "PLANS = [" in out.source
    path = tmp_path / f"gen_{target}.py"
    path.write_text(out.source)
    mod = load_module(path, f"general_{target}_{abs(hash((group, a, b)))}")
    x = np.random.default_rng(0).standard_normal((4, 2, basis.in_dim)).astype(np.float32)
    y, stepped = _run(target, mod, params, x)
    want = np.asarray(layer.apply({k: jnp.asarray(v) for k, v in params.items()}, x))
    np.testing.assert_allclose(np.asarray(y), want, rtol=1e-5, atol=1e-5)
    assert np.abs(want).max() > 0.1  # not vacuous
    if stepped is not None:
        assert not np.allclose(np.asarray(stepped["theta"]), params["theta"])


# torch.jit.script warns it is old (a DeprecationWarning, from torch 2.14 a FutureWarning)
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:.*jit.script.*:FutureWarning")
@pytest.mark.parametrize("group,a,b", GENERAL_PLANS[1:3])
def test_torch_general_plan_scripts_and_compiles(tmp_path, group, a, b):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    layer = equivariant_linear(group, a, b, channels=(2, 2), mode="diagram")
    path = tmp_path / "layer.py"
    path.write_text(emit(layer.layout, target="torch", name="Layer").source)
    mod = load_module(path, f"general_scripted_{abs(hash((group, a, b)))}")
    module = mod.Layer(dtype=torch.float64)
    x = torch.randn(3, 2, mod.IN_DIM, dtype=torch.float64)
    want = module(x)
    torch.testing.assert_close(torch.jit.script(module)(x), want)
    compiled = torch.compile(module, backend="aot_eager", fullgraph=True)
    torch.testing.assert_close(compiled(x), want)


def test_general_plans_are_ruff_clean(tmp_path):
    layer = equivariant_linear("SO(1,2)", "V**2", "V + V**3", channels=(2, 3), mode="diagram")
    for target in TARGETS:
        path = tmp_path / f"{target}.py"
        path.write_text(emit(layer.layout, target=target, name="Layer").source)
    for args in (["check", "--select", "E,F,W,I,B,UP"], ["format", "--check"]):
        cmd = [sys.executable, "-m", "ruff", *args[:1], "--isolated", *args[1:], str(tmp_path)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout
