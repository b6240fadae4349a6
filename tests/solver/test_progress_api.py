"""The Python API reports progress like the CLI: lines on stderr once a solve has run a second
(``progress=`` sends them elsewhere, ``quiet=True`` silences them); and the solve benchmark keeps
EMLP's results with their own date when it does not rerun EMLP."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from helpers import ROOT

import intertwine as it
from intertwine.solver import _solve


@pytest.fixture
def immediate(monkeypatch):
    monkeypatch.setattr(_solve._Progress, "DELAY", 0.0)  # every solve counts as a long one


def _settle() -> None:
    import time

    time.sleep(0.2)  # the first lines come from the progress timer's thread


def test_solve_prints_the_cli_progress_lines_on_stderr_by_default(immediate, capsys):
    assert it.solve("S(4)", "V**2", "V", method="orbit", cache=False).dim == 5  # Bell(3)
    _settle()
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("[") and " s] " in line for line in err)
    assert any("orbit stage" in line for line in err)


def test_quiet_silences_and_progress_redirects(immediate, capsys):
    it.solve("S(4)", "V**2", "V", method="orbit", cache=False, quiet=True)
    lines: list[str] = []
    it.solve("S(4)", "V**2", "V", method="orbit", cache=False, progress=lines.append)
    _settle()
    assert capsys.readouterr().err == ""
    assert any("orbit stage" in line for line in lines)


def test_a_fast_solve_prints_nothing(capsys):
    it.solve("S(4)", "V", "V", cache=False)
    assert capsys.readouterr().err == ""


def _bench(name: str):
    path = ROOT / "benchmarks" / f"{name}.py"
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_skip_emlp_keeps_the_emlp_column_and_its_date(tmp_path, monkeypatch):
    bench = _bench("solve")
    (tmp_path / "results").mkdir()
    case = ("S(5)", "V", "V")
    emlp = {"seconds": 2.0, "min": 1.9, "max": 2.1, "dim": 2, "repeats": 3}
    previous = {
        "meta": {"emlp_measured": "2020-01-01", "emlp_repeats": 3},
        "rows": [{"case": "S(5): V -> V", "intertwine": {}, "emlp": emlp, "speedup": "-"}],
    }
    (tmp_path / "results" / "solve.json").write_text(json.dumps(previous))
    monkeypatch.setattr(bench, "HERE", tmp_path)
    monkeypatch.setattr(bench, "SOLVE_CASES", [case, ("S(6)", "V", "V")])
    monkeypatch.setattr(bench, "ORBIT_BASELINE_CASES", [])
    ours = {"seconds": 0.01, "min": 0.01, "max": 0.02, "dim": 2, "repeats": 3, "peak_mb": 1.0}
    monkeypatch.setattr(bench, "run_repeated", lambda *a, **k: dict(ours))
    monkeypatch.setattr(sys, "argv", ["solve.py", "--skip-emlp"])
    bench.main()
    saved = json.loads((tmp_path / "results" / "solve.json").read_text())
    assert saved["meta"]["emlp_measured"] == "2020-01-01"  # not re-dated
    rows = {r["case"]: r for r in saved["rows"]}
    assert rows["S(5): V -> V"]["emlp"] == emlp  # kept as measured
    assert rows["S(6): V -> V"]["emlp"] == {"skipped": True}  # never run: said so
    assert "2020-01-01" in (tmp_path / "results" / "solve.md").read_text()
