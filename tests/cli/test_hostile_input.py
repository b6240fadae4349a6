"""Hostile input: every case answers with the documented exit status and one clear line.

0 success, 1 not equivariant (verify), 2 bad input, 3 a bug (said as one); never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import scipy.sparse as sp

import intertwine as it
from intertwine.cli import main
from intertwine.errors import IntertwineError, VerificationError
from intertwine.solver import _cache, _solve


def _run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["solve", "S(3)", "(V**64)**64", "1"], "partition diagrams"),
        (["solve", "S(3)", "*".join(["V"] * 200), "1"], "partition diagrams"),
        (["solve", "Z(3)", "(V**64)**64", "1"], "unknowns"),
        (["solve", "Shift(5,0)", "V", "V"], "w = 0"),
        (["solve", "S(3)", "V", "V", "-o", "/nonexistent-dir/x.txt"], "No such file"),
        (["solve", "S(3)", "V", "V", "-o", "/"], "directory"),
        (["solve", "@/dev/zero", "V", "V"], "not a regular file"),
        (["solve", "@/", "V", "V"], "not a regular file"),
    ],
)
def test_bad_input_exits_2(capsys, argv, needle):
    code, err = _run(capsys, *argv)
    assert code == 2, err
    assert needle in err
    assert err.count("\n") == 1


def test_fifo_and_oversized_files_are_refused_without_reading(tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, err = _run(capsys, "solve", f"@{fifo}", "V", "V")  # would block forever if opened
    assert code == 2 and "not a regular file" in err
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(65 * 2**20)
    code, err = _run(capsys, "solve", f"@{big}", "V", "V")
    assert code == 2 and "limit" in err


def test_json_bombs_and_nan_name_the_file(tmp_path, capsys):
    nest = tmp_path / "nest.json"
    nest.write_text('{"kind": "group", "degree": 2, "matrices": ' + "[" * 50000 + "]" * 50000 + "}")
    code, err = _run(capsys, "solve", f"@{nest}", "V", "V")
    assert code == 2 and "nested too deeply" in err and "nest.json" in err
    nan = tmp_path / "nan.json"
    nan.write_text('{"kind": "group", "degree": 2, "matrices": [[[NaN, 0], [0, 1]]]}')
    code, err = _run(capsys, "solve", f"@{nan}", "V", "V")
    assert code == 2 and "nan.json" in err and "NaN" in err


def test_huge_float_entries(tmp_path, capsys):
    """diag(1e200, 1.5) is invertible; its square overflows float64 and is refused."""
    path = tmp_path / "huge.json"
    path.write_text(
        json.dumps({"kind": "group", "degree": 2, "matrices": [[[1e200, 0], [0, 1.5]]]})
    )
    basis = it.solve(f"@{path}", "V", "V", cache=False)
    assert basis.dim == 2  # the diagonal matrices
    code, err = _run(capsys, "solve", f"@{path}", "V**2", "V**2", "--no-cache")
    assert code == 2 and "overflows float64" in err
    tilted = tmp_path / "e30.json"
    tilted.write_text(json.dumps({"kind": "group", "degree": 2, "matrices": [[[1e30, 1], [0, 1]]]}))
    assert it.solve(f"@{tilted}", "V", "V", cache=False).dim == 2


def test_bugs_exit_3_and_say_so(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise VerificationError("basis fails generator g exactly")

    monkeypatch.setattr(_solve, "_solve", broken)
    code, err = _run(capsys, "solve", "S(3)", "V", "V")
    assert code == 3 and "a bug" in err and "report" in err

    def crash(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(_solve, "_solve", crash)
    code, err = _run(capsys, "solve", "S(3)", "V", "V")
    assert code == 3 and "KeyError" in err


def test_verification_error_is_not_bad_input():
    assert not issubclass(VerificationError, IntertwineError)


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    (tmp_path / "hostile_layers.py").write_text(
        "import numpy as np\n"
        "def raises(x):\n    raise RuntimeError('boom')\n"
        "def text(x):\n    return 'hello'\n"
        "def lazy(x):\n    yield x\n"
        "def swap(x):\n    return x[:, ::-1]\n"
        "def gate32(x):\n"
        "    x = np.asarray(x, dtype=np.float32)\n"
        "    return x / (1 + np.exp(-np.linalg.norm(x, axis=-1, keepdims=True)))\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "hostile_layers"


@pytest.mark.parametrize(
    "name, needle",
    [("raises", "raised RuntimeError: boom"), ("text", "returned str"), ("lazy", "generator")],
)
def test_verify_bad_callables_exit_2(capsys, user_module, name, needle):
    code, err = _run(capsys, "verify", f"{user_module}:{name}", "S(3)", "V", "V")
    assert code == 2 and needle in err


def test_verify_exit_1_for_not_equivariant(capsys, user_module):
    assert main(["verify", f"{user_module}:swap", "Z(3)", "V", "V"]) == 1


def test_verify_float32_gate_uses_float32_tolerances(capsys, user_module):
    code = main(["verify", f"{user_module}:gate32", "SO(3)", "V", "V"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "float32" in out and "central differences" in out


def test_verify_takes_the_package_layers():
    from intertwine.codegen import equivariant_linear, equivariant_mlp

    layer = equivariant_linear("S(4)", "V", "V**2", channels=(3, 2))
    assert it.verify(layer, "S(4)", "V", "V**2")
    mlp = equivariant_mlp("SO(3)", "V", "V", "4*V", depth=2)
    report = it.verify(mlp, "SO(3)", "V", "V")
    assert report and all(c.kind == "lie" for c in report.checks)
    with pytest.raises(IntertwineError, match="must map"):
        it.verify(layer, "S(4)", "V", "V")


def test_layers_promote_integer_input():
    import jax
    import jax.numpy as jnp

    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear("S(4)", "V", "V", channels=(2, 3))
    params = layer.init(jax.random.PRNGKey(0))
    x = np.arange(8).reshape(1, 2, 4)
    y_int = layer.apply(params, jnp.asarray(x, jnp.int32))
    y_float = layer.apply(params, jnp.asarray(x, jnp.float32))
    assert y_int.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(y_int), np.asarray(y_float), rtol=1e-6)


# ----------------------------------------------------------------- the cache
def _entry_name() -> str:
    return "ab" * 32 + ".npz"


def test_cache_clear_removes_only_its_own_entries(tmp_path, capsys):
    it.solve("Z(4)", "V", "V")
    directory = _cache.cache_dir()
    own = list(directory.glob("*.npz"))
    assert len(own) == 1
    (directory / "mine.npz").write_bytes(b"PK\x03\x04 the user's own file")
    (directory / "notes.tmp").write_text("keep me")
    (directory / "x.npz").mkdir()
    (directory / _entry_name().replace("ab", "cd")).mkdir()
    outside = tmp_path / "precious.npz"
    outside.write_bytes(b"PK\x03\x04 precious")
    (directory / _entry_name()).symlink_to(outside)
    assert main(["cache", "clear"]) == 0
    assert "removed 1 entries" in capsys.readouterr().out
    left = sorted(p.name for p in directory.iterdir())
    assert left == sorted(
        ["mine.npz", "notes.tmp", "x.npz", _entry_name().replace("ab", "cd"), _entry_name()]
    )
    assert outside.read_bytes() == b"PK\x03\x04 precious"


def test_cache_in_an_unwritable_place_never_fails_a_solve(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("INTERTWINE_CACHE_DIR", str(blocker / "cache"))
    assert it.solve("S(4)", "V**2", "V**2").dim == 15
    assert it.solve("S(4)", "V**2", "V**2").dim == 15


def test_damaged_entry_is_recomputed(capsys):
    it.solve("Z(4)", "V", "V")
    (entry,) = _cache.cache_dir().glob("*.npz")
    entry.write_bytes(b"garbage")
    notes: list[str] = []
    assert it.solve("Z(4)", "V", "V", progress=notes.append).dim == 4
    assert any("damaged cache entry" in n for n in notes)
    assert entry.read_bytes()[:2] == b"PK"  # rewritten


def _saved(tmp_path, mutate) -> str:
    """A saved Z(3) V -> V basis file with one array or metadata field changed (checksum
    recomputed, so only validation can catch it)."""
    from intertwine.solver._basis import _checksum

    basis = it.solve("Z(3)", "V", "V", cache=False)
    arrays = basis._arrays()
    arrays.pop("checksum")
    mutate(arrays)
    arrays["checksum"] = np.array(_checksum(arrays))
    path = tmp_path / "bad.npz"
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return str(path)


def _set_meta(arrays, **changes):
    meta = json.loads(str(arrays["meta"]))
    meta.update(changes)
    arrays["meta"] = np.array(json.dumps(meta))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda a: a.__setitem__("indices", a["indices"] + 10**6),
        lambda a: a.__setitem__("indptr", a["indptr"][::-1].copy()),
        lambda a: a.__setitem__("indptr", a["indptr"][:-1].copy()),
        lambda a: _set_meta(a, shape=[2, 10**9]),
        lambda a: _set_meta(a, exact="yes"),
        lambda a: _set_meta(a, in_dim=-3),
    ],
)
def test_load_validates_before_scipy_reads(tmp_path, mutate):
    path = _saved(tmp_path, mutate)
    script = (
        "import sys, intertwine as it\n"
        "try:\n    it.Basis.load(sys.argv[1])\n"
        "except it.IntertwineError as e:\n    print('refused:', e)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, path], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr  # a segfault would be a negative code
    assert "refused:" in run.stdout and "solve again" in run.stdout


# ----------------------------------------------------------------- progress
def test_progress_reports_early_stages_once_a_second_has_passed(monkeypatch):
    monkeypatch.setattr(_solve._Progress, "DELAY", 0.05)
    lines: list[str] = []
    report = _solve._Progress(lines.append)
    report("building constraints")
    report("orbit stage")
    assert lines == []  # a fast solve stays silent
    deadline = time.time() + 5
    while len(lines) < 2 and time.time() < deadline:
        time.sleep(0.01)
    assert [line.split("] ")[1] for line in lines] == ["building constraints", "orbit stage"]
    report("exact stage")  # now live: printed at once
    assert lines[-1].endswith("exact stage")
    report.close()


def test_progress_timer_stops_with_the_solve():
    lines: list[str] = []
    before = threading.active_count()
    it.solve("S(4)", "V", "V", cache=False, progress=lines.append)
    time.sleep(0.05)
    assert threading.active_count() <= before
    assert lines == []


def test_quiet_solve_prints_no_progress(capsys):
    assert main(["solve", "S(4)", "V", "V", "--quiet", "--no-cache"]) == 0
    assert capsys.readouterr().err == ""


def test_the_tests_run_with_strict_dtype_promotion():
    import jax

    assert jax.config.jax_numpy_dtype_promotion == "strict"


def test_int_matrix_kron_of_scipy_matches_numpy():
    from intertwine.solver._intmatrix import IntMatrix

    a = np.array([[1, -2], [0, 3]])
    b = np.array([[4, 0, 1]])
    got = IntMatrix.from_scipy(sp.csr_array(a)).kron(IntMatrix.from_scipy(sp.csr_array(b)))
    assert got.tolist() == np.kron(a, b).tolist()


def test_every_cli_argument_has_help():
    import argparse

    from intertwine.cli import build_parser

    parser = build_parser()
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert subparsers
    missing = []
    for name, sub in subparsers[0].choices.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help:
                missing.append(f"{name} {action.dest}")
    assert missing == []


def test_a_stray_x_is_blamed_not_the_space(capsys):
    code, err = _run(capsys, "solve", "S(3)", "V x V", "V")
    assert code == 2 and "'x' at position 2" in err and "V * V" in err


def test_verify_with_channel_axes(capsys, user_module, tmp_path):
    """A hand-written layer on (n, c, d): mixing channels and summing over points commutes with
    permuting the points; mixing points does not."""
    (tmp_path / "channel_layers.py").write_text(
        "import numpy as np\n"
        "MIX = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])\n"
        "def good(x):\n"
        "    return np.einsum('oc,ncd->nod', MIX, x) + x.sum(-1, keepdims=True)[:, :1]\n"
        "def bad(x):\n"
        "    return np.einsum('oc,ncd->nod', MIX, np.roll(x, 1, axis=-1) * np.arange(4))\n"
    )
    import channel_layers

    assert it.verify(channel_layers.good, "S(4)", "V", "V", channels=(2, 3))
    assert not it.verify(channel_layers.bad, "S(4)", "V", "V", channels=(2, 3))
    with pytest.raises(IntertwineError, match="channels"):
        it.verify(channel_layers.good, "S(4)", "V", "V", channels=(2, 0))
    assert main(["verify", "channel_layers:good", "S(4)", "V", "V", "--channels", "2", "3"]) == 0
    assert main(["verify", "channel_layers:bad", "S(4)", "V", "V", "--channels", "2", "3"]) == 1
    capsys.readouterr()


def test_info_on_huge_tensor_powers_builds_no_matrix(capsys):
    """3^40 is far beyond int64: info prints the dimension without building generators, and an
    embedding that would need a 3^40 identity block is reported as not built, with the reason,
    while the rep is still described (exit 0)."""
    code, _ = _run(capsys, "info", "SO(3)", "V**40")
    assert code == 0
    code = main(["info", "SO(3)", "Sym(V, 2) + V**40"])
    out = capsys.readouterr().out
    assert code == 0 and "not built" in out and "identity block" in out and str(3**40) in out
