"""The Basis value (renderings, files, cache) and the command line."""

import json
import subprocess
import sys

import numpy as np
import pytest

from intertwine import solver
from intertwine.cli import main
from intertwine.errors import IntertwineError
from intertwine.solver import Basis, solve
from intertwine.spec import REGISTRY, parse_action, parse_rep

JSON_KEYS = {
    "group",
    "kind",
    "in",
    "out",
    "in_dim",
    "out_dim",
    "dim",
    "method",
    "exact",
    "generators",
    "basis",
    "tying",
}


def test_repr_and_text():
    b = solve("S(3)", "V", "V")
    assert "dim=2" in repr(b) and "orbit" in repr(b)
    assert "a b b\nb a b\nb b a" in b.to_text()
    assert "\\theta_{0}" in b.to_latex()


def test_json_contract():
    d = solve("S(3)", "V", "V**2").to_json()
    assert JSON_KEYS <= set(d)
    assert d["dim"] == len(d["basis"]) == 5
    assert np.array(d["basis"]).shape == (5, 9, 3)
    assert np.array(d["tying"]).shape == (9, 3)
    assert d["generators"][0]["kind"] == "discrete"
    assert np.array(d["generators"][0]["in"]).shape == (3, 3)
    d = solve("SO(2)", "V", "V").to_json()
    assert d["tying"] is None and d["signed_tying"]["signs"] == [[1, 1], [-1, 1]]


def test_npz_round_trip_and_corruption(tmp_path):
    b = solve("SO(3)", "V**2", "V")
    p = tmp_path / "b.npz"
    b.save(p)
    back = Basis.load(p)
    assert back.dim == 1 and back.exact and (back.sparse != b.sparse).nnz == 0
    raw = bytearray(p.read_bytes())
    mid = len(raw) // 2
    raw[mid : mid + 16] = bytes(16)
    p.write_bytes(bytes(raw))
    with pytest.raises(IntertwineError, match="not a valid intertwine basis file"):
        Basis.load(p)


def test_cache_hit_and_corrupted_entry(monkeypatch):
    action = parse_action("S(4)")
    v2 = parse_rep(action, "V**2")
    orbit = "orbit"  # the default for S(n) is the diagram method, which is never cached
    first = solve(action, v2, v2, orbit)
    entries = list(solver.cache_dir().glob("*.npz"))
    assert len(entries) == 1
    calls = []
    original = solver._solve._run
    monkeypatch.setattr(solver._solve, "_run", lambda *a: calls.append(1) or original(*a))
    again = solve(action, v2, v2, orbit)
    assert calls == [] and again.dim == first.dim == 15
    entries[0].write_bytes(b"garbage")
    third = solve(action, v2, v2, orbit)
    assert calls == [1] and third.dim == 15
    solve(action, v2, v2, orbit, cache=False)
    assert calls == [1, 1]
    assert solve(action, v2, v2).method == "diagram" and calls == [1, 1]


def test_cache_keyed_by_generators_not_names(tmp_path):
    p = tmp_path / "g.json"
    p.write_text('{"kind": "group", "degree": 3, "permutations": [[1, 2, 0]]}')
    assert solve(f"@{p}", "V", "V").dim == 3
    p.write_text('{"kind": "group", "degree": 3, "permutations": [[1, 0, 2], [0, 2, 1]]}')
    assert solve(f"@{p}", "V", "V").dim == 2  # same name, other group: no stale answer


def run_cli(*args, capsys):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_groups_lists_everything(capsys):
    code, out, _ = run_cli("groups", capsys=capsys)
    assert code == 0
    for entry in REGISTRY.values():
        assert entry.signature in out and entry.example in out
    assert "@file.json" in out and "G x H" in out


def test_cli_info_lorentz(capsys):
    code, out, _ = run_cli("info", "O(1,3)", "V**2", capsys=capsys)
    assert code == 0 and "dimension:  16" in out and "time_reversal" in out


@pytest.mark.parametrize(
    "args,match",
    [
        (("info", "Shift(8)", "V*"), "monoid"),
        (("info", "Q(3)"), "unknown group"),
        (("solve", "S(3)", "V**", "V"), "ends too early"),
        (("solve", "S(3)", "V", "V2"), "no rep"),
        (("solve", "Trans(3)", "V", "V", "--method", "orbit"), "orbit method"),
        (("solve", "S(3)", "V", "V", "--format", "npz"), "--output"),
        (("solve", "A(400)", "V**3", "V**3"), "GiB"),
        (("solve",), "arguments"),
        (("solve", "S(3)", "V", "V", "--method", "magic"), "invalid choice"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(capsys, args, match):
    with pytest.raises(SystemExit) if args[-1] == "magic" or args == ("solve",) else _null():
        code, out, err = run_cli(*args, capsys=capsys)
        assert code == 2
        assert match in err and err.count("\n") == 1 and "Traceback" not in err
        return
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_cli_solve_json_and_npz(capsys, tmp_path):
    code, out, _ = run_cli("solve", "S(5)", "V**2", "V**2", "--format", "json", capsys=capsys)
    d = json.loads(out)
    assert code == 0 and JSON_KEYS <= set(d) and d["dim"] == 15 and d["exact"] is True
    target = tmp_path / "b.npz"
    code, _, _ = run_cli(
        "solve", "S(5)", "V", "V", "--format", "npz", "-o", str(target), capsys=capsys
    )
    assert code == 0 and Basis.load(target).dim == 2


def test_cli_cache_clear(capsys):
    solve("A(3)", "V", "V")
    code, out, _ = run_cli("cache", "clear", capsys=capsys)
    assert code == 0 and "removed 1" in out


def test_console_script_runs_as_a_process():
    proc = subprocess.run(
        [sys.executable, "-m", "intertwine.cli", "info", "Shift(8)", "V*"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "no dual" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("entry", list(REGISTRY.values()), ids=lambda e: e.name)
def test_every_listed_example_runs(entry, capsys):
    import shlex

    argv = shlex.split(entry.example)
    assert argv[0] == "intertwine"
    assert main(argv[1:]) == 0
    assert "dim:" in capsys.readouterr().out


def test_json_refuses_a_basis_too_large_to_print(monkeypatch, capsys):
    import intertwine.solver._json as json_module

    monkeypatch.setattr(json_module, "JSON_FULL", 100)
    code, _, err = run_cli(
        "solve", "S(5)", "V**2", "V**2", "--format", "json", "--full", capsys=capsys
    )
    assert code == 2 and "--format npz" in err and "would list 9.38e+03 numbers" in err


def test_cli_version(capsys):
    import intertwine

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"intertwine {intertwine.__version__}"
