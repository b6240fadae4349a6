"""Every notebook in notebooks/ runs top to bottom, and its committed text outputs are what a
fresh run prints (compared after ``notebooks/build.py``'s documented normalisation: durations,
memory addresses and rounding noise; regenerate with ``python notebooks/build.py``).

Cells that need PyTorch run only when it is installed; without it the comparison covers the
cells that ran.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# notebooks that take over ~30 s on 2 cores (05: 54 s, 06: 89 s; run with -m slow)
SLOW = {"05_export_pytorch.ipynb", "06_bases_for_every_n.ipynb"}


def _builder():
    spec = importlib.util.spec_from_file_location("notebook_build", ROOT / "notebooks/build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["notebook_build"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


build = _builder()


def _param(path: Path):
    marks = [pytest.mark.slow] if path.name in SLOW else []
    return pytest.param(path, marks=marks, id=path.name)


@pytest.mark.parametrize("path", [_param(p) for p in NOTEBOOKS])
def test_notebook_outputs_are_current(path):
    cells = json.loads(path.read_text())["cells"]
    runs = build.run(path)
    assert any(r.ran for r in runs)
    for r in runs:
        if not r.ran:
            continue
        committed = build.compared_text(cells[r.index].get("outputs", []))
        fresh = build.compared_text(r.outputs)
        assert fresh == committed, (
            f"{path.name} cell {r.index}: the committed output is stale; run "
            f"`python notebooks/build.py {path.relative_to(ROOT)}`\n"
            f"--- committed\n{committed}\n--- fresh\n{fresh}"
        )


def test_every_code_cell_has_a_committed_output_or_is_silent():
    """tour.ipynb once had no outputs at all: every code cell has been run by build.py."""
    for path in NOTEBOOKS:
        for k, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "code":
                assert cell.get("execution_count"), f"{path.name} cell {k} was never run"


def test_the_normalisation_ignores_only_what_varies():
    same = [
        ("time:    0.006 s", "time:    0.271 s"),
        ("S(   5): dim 15, diagram, 4.9 ms", "S(   5): dim 15, diagram, 278.6 ms"),
        ("<code object <module> at 0x7f3a1c2b>", "<code object <module> at 0x55d0e1>"),
        ("relative error 6.84e-17", "relative error 0.00e+00"),
        ("trailing   ", "trailing"),
    ]
    for a, b in same:
        assert build.normalise(a) == build.normalise(b), (a, b)
    different = [
        ("dim:     15", "dim:     14"),
        ("method:  diagram (exact)", "method:  exact (exact)"),
        ("loss 2.29e+00", "loss 2.30e+00"),
        ("relative error 1.83e-01", "relative error 0.00e+00"),
        ("[1.321e+03 1.000e+00]", "[1.322e+03 1.000e+00]"),
        ("4213 diagrams", "4214 diagrams"),
    ]
    for a, b in different:
        assert build.normalise(a) != build.normalise(b), (a, b)


def test_torch_cells_are_found_by_name_not_by_text():
    def cell(source, tags=()):
        return {"cell_type": "code", "source": [source], "metadata": {"tags": list(tags)}}

    assert build.needs_torch(cell("import torch\nx = 1"))
    assert build.needs_torch(cell("y = torch.randn(3)"))
    assert not build.needs_torch(cell('emit(basis, target="torch")  # torch source'))
    assert build.needs_torch(cell("print(model)", tags=["torch"]))


def test_have_torch_sees_a_hidden_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails
    assert not build.have_torch()


def test_without_torch_the_torch_cells_are_left_out():
    """The notebook that exports to PyTorch runs without it (in a process that cannot import
    it): the export cell runs, the PyTorch cells are left out (not failed)."""
    path = ROOT / "notebooks" / "05_export_pytorch.ipynb"
    runs = build.run(path, torch=False)
    assert runs[0].ran and not all(r.ran for r in runs)
    cells = json.loads(path.read_text())["cells"]
    assert all(r.ran != build.needs_torch(cells[r.index]) for r in runs)
