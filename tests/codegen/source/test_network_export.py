"""Invariant-theory networks exported as source (NumPy, JAX, Equinox, Flax, PyTorch): each target
computes what the JAX network computes (1e-5, with weights away from their init), stays
equivariant (``verify``), trains (one optimiser step moves its weights) and is ruff-clean; bad
input is a one-line IntertwineError."""

from __future__ import annotations

import functools
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import load_source, x64

import intertwine as it
from intertwine.codegen import TARGETS, emit_network, gated_network
from intertwine.errors import IntertwineError
from intertwine.verify import verify

# one case per family and head: forms, determinants, cross products and T terms (SO(3), SO(4),
# SO(2) with its 0-minors), Lorentz, symplectic, power sums, and the three heads, with norms
CASES = [
    ("O(3)", "2*1 + 3*V", "1 + V + V**2", ()),
    ("SO(3)", "1 + 4*V", "1 + V + V**2", ()),
    ("SO(4)", "4*V", "V + V**2", (("quadratic", True),)),
    ("SO(2)", "3*V", "V + V**2", ()),
    ("O(1,3)", "4*V", "1 + V**2", (("polynomial", 3), ("bilinear", 0))),
    ("Sp(2)", "3*V", "1 + V + V**2", ()),
    ("S(4)", "1 + 3*V", "1 + V + V**2", (("polynomial", 2),)),
    ("O(5)", "2*V", "1", (("norms", True), ("depth", 2))),
]


@functools.cache
def _net(group, rep_in, rep_out, kwargs=()):
    """The network of a case, its params away from their init, an input and the JAX output
    (cached: the JAX reference costs seconds of dispatch, the exports milliseconds)."""
    options = {"hidden": 8, "depth": 1} | dict(kwargs)
    net = it.invariant_network(group, rep_in, rep_out, **options)
    params = net.init(jax.random.PRNGKey(0))
    noise = iter(jax.random.split(jax.random.PRNGKey(1), 64))
    params = jax.tree_util.tree_map(
        lambda a: a + 0.1 * jax.random.normal(next(noise), a.shape), params
    )
    x = np.random.default_rng(0).standard_normal((5, it.rep(group, rep_in).dim))
    x = x.astype(np.float32)
    return net, params, x, np.asarray(jax.jit(net.apply)(params, jnp.asarray(x)))


def _flat(params) -> list[np.ndarray]:
    return [np.asarray(a) for a in jax.tree_util.tree_leaves(params)]


def _call(target, mod, x):
    """y, and the weights after one gradient step on sum(y²) (None for NumPy)."""
    if target == "numpy":
        return mod.Net(mod.init(), x), None
    if target == "jax":
        params = mod.init()
        loss = lambda p: jnp.sum(mod.Net(p, jnp.asarray(x)) ** 2)  # noqa: E731
        grads = jax.grad(loss)(params)
        return mod.Net(params, x), jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, params, grads)
    if target == "equinox":
        import equinox as eqx

        m = mod.Net()
        grads = eqx.filter_grad(lambda m: jnp.sum(m(jnp.asarray(x)) ** 2))(m)
        stepped = eqx.apply_updates(m, jax.tree_util.tree_map(lambda g: -0.01 * g, grads))
        return m(jnp.asarray(x)), (stepped.mlp, stepped.poly, stepped.bilinear)
    if target == "flax":
        m = mod.Net()
        variables = m.init(jax.random.PRNGKey(0), jnp.asarray(x))
        grads = jax.grad(lambda v: jnp.sum(m.apply(v, jnp.asarray(x)) ** 2))(variables)
        stepped = jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, variables, grads)
        return m.apply(variables, jnp.asarray(x)), stepped
    import torch

    m = mod.Net()
    y = m(torch.as_tensor(x))
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    (y**2).sum().backward()
    opt.step()
    return y.detach().numpy(), [p.detach().numpy() for p in m.parameters()]


# NumPy and PyTorch (milliseconds a call) take every case; the JAX targets, whose core is the
# NumPy core's text in jnp (one template) and whose calls cost seconds of dispatch, take three
# cases that hold every feature between them: determinants, cross products and T terms (SO(3)),
# power sums and the polynomial head (S(4)), norms (O(5)).
PAIRS = [
    (*case, target)
    for case in CASES
    for target in TARGETS
    if target in ("numpy", "torch") or case[0] in ("SO(3)", "S(4)", "O(5)")
]


@pytest.mark.parametrize("group, rep_in, rep_out, kwargs, target", PAIRS)
def test_exported_network_matches_jax_and_trains(tmp_path, target, group, rep_in, rep_out, kwargs):
    if target == "torch":
        pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    if target == "flax":
        pytest.importorskip("flax", reason="Flax is an optional test dependency")
    if target == "equinox":
        pytest.importorskip("equinox", reason="Equinox is an optional test dependency")
    net, params, x, want = _net(group, rep_in, rep_out, kwargs)
    out = emit_network(net, params, target=target, name="Net")
    assert out.data is None  # small: inline
    mod = load_source(tmp_path, out.source, f"net_{target}_{abs(hash((group, rep_in)))}")
    assert np.abs(want).max() > 1e-2
    y, stepped = _call(target, mod, x)
    np.testing.assert_allclose(np.asarray(y), want, rtol=1e-5, atol=1e-5 * np.abs(want).max())
    if stepped is not None:  # the step moved some weight
        before = sum(float(np.abs(a).sum()) for a in _flat(params))
        after = sum(float(np.abs(a).sum()) for a in _flat(stepped))
        assert after != pytest.approx(before, rel=1e-9, abs=0)
    if target == "numpy":  # equivariant as exported, with group elements of verify's own
        fn = lambda z: mod.Net(mod.init(), z)  # noqa: E731
        report = verify(fn, group, rep_in, rep_out, tol=1e-4, samples=3, words=2)
        assert report, str(report)


def test_torch_export_runs_float64_and_prints_what_it_is(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    net, params, _, _ = _net("SO(3)", "1 + 4*V", "1 + V + V**2")
    mod = load_source(tmp_path, emit_network(net, params, target="torch", name="Net").source, "t64")
    x = np.random.default_rng(2).standard_normal((3, 13))
    y = mod.Net()(torch.from_numpy(x))
    assert y.dtype == torch.float64
    with x64():
        p64 = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), params)
        want = np.asarray(net.apply(p64, jnp.asarray(x)))
    np.testing.assert_allclose(y.detach().numpy(), want, rtol=1e-6, atol=1e-6)
    assert "SO(3): 1 + 4*V -> 1 + V + V**2" in repr(mod.Net())


def test_exported_networks_are_ruff_clean(tmp_path):
    for target in TARGETS:
        for k, (group, rep_in, rep_out, kwargs) in enumerate(CASES):
            net, params, _, _ = _net(group, rep_in, rep_out, kwargs)
            source = emit_network(net, params, target=target).source
            (tmp_path / f"{target}_{k}.py").write_text(source)
    for args in (["format", "--check"], ["check", "--select", "E,F,W,I,B,UP"]):
        cmd = [sys.executable, "-m", "ruff", args[0], "--isolated", *args[1:], str(tmp_path)]
        run = subprocess.run(cmd, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_large_weights_go_to_a_side_npz(tmp_path):
    net = it.invariant_network("O(3)", "6*V", "V**2", hidden=256, depth=2)
    out = emit_network(net, target="numpy", name="Big")
    assert out.data_file == "Big_data.npz" and out.data is not None
    (tmp_path / out.data_file).write_bytes(out.data)
    mod = load_source(tmp_path, out.source, "big")
    x = np.random.default_rng(0).standard_normal((2, 18)).astype(np.float32)
    want = np.asarray(net.apply(net.init(jax.random.PRNGKey(0)), x))
    np.testing.assert_allclose(mod.Big(mod.init(), x), want, rtol=1e-5, atol=1e-6)
    # without its side file the module says which file it reads, in one line
    (tmp_path / out.data_file).unlink()
    with pytest.raises(FileNotFoundError, match=r"Big_data\.npz is missing.*beside it"):
        load_source(tmp_path, out.source, "big_without_data")


def test_bad_input_is_one_line_errors(tmp_path):
    net, params, _, _ = _net("O(3)", "2*V", "V")
    other = it.invariant_network("O(3)", "3*V", "V", hidden=8, depth=1)
    cases = [
        (
            lambda: emit_network(gated_network("O(3)", "V", "V", "4*1 + 2*V", 1), target="jax"),
            "only invariant_network",
        ),
        (
            lambda: emit_network(
                it.invariant_network("O(3)", "V", "V", 4, 1, activation=jnp.tanh), target="jax"
            ),
            "custom activation",
        ),
        (
            lambda: emit_network(net, other.init(jax.random.PRNGKey(0)), target="numpy"),
            "this network needs",
        ),
        (lambda: emit_network(net, {"weights": 1}, target="numpy"), "params must be"),
        (lambda: emit_network(net, params, target="tensorflow"), "unknown target"),
        (lambda: emit_network(net, params, target="numpy", name="init"), "shadow"),
        (lambda: emit_network(net, params, target="numpy", name="OUTS"), "shadow"),
        (lambda: emit_network(net, params, target="numpy", name="M"), "shadow"),
        (lambda: emit_network(net, params, target="numpy", name="a b"), "identifier"),
    ]
    nan = jax.tree_util.tree_map(lambda a: a * np.nan, params)
    cases += [
        (lambda: emit_network(net, params, target="numpy", name="range"), "builtin"),
        (lambda: emit_network(net, params, target="numpy", name="ValueError"), "builtin"),
        (lambda: emit_network(net, nan, target="numpy"), "NaN or inf"),
        (lambda: emit_network(net, params, target="numpy", data_file="../x.npz"), "plain"),
    ]
    for make, match in cases:
        with pytest.raises(IntertwineError, match=match) as err:
            make()
        assert "\n" not in str(err.value)
    mod = load_source(tmp_path, emit_network(net, params, target="numpy", name="Net1").source, "n")
    with pytest.raises(ValueError, match=r"takes x of shape \(\.\.\., 6\)"):
        mod.Net1(mod.init(), np.zeros((2, 5)))


def test_torch_module_checks_its_input_width(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
    net, params, _, _ = _net("O(3)", "2*V", "V")
    mod = load_source(tmp_path, emit_network(net, params, target="torch", name="T").source, "tw")
    with pytest.raises(ValueError, match=r"takes x of shape \(\.\.\., 6\)"):
        mod.T()(torch.zeros(4, 5))


def test_unicode_name_of_a_large_network_gets_a_plain_data_file():
    net = it.invariant_network("O(3)", "6*V", "V**2", hidden=256, depth=2)
    assert emit_network(net, target="numpy", name="Nét").data_file == "network_data.npz"
