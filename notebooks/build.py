"""Run notebooks top to bottom and store their outputs (text, HTML and figures) in place.

    python notebooks/build.py [notebooks/01_quickstart.ipynb ...]   (default: every notebook)

Each notebook runs in a fresh Python process (as Jupyter gives each notebook its own kernel, so
that nothing one notebook compiled or cached changes another's outputs), its code cells in one
namespace in a temporary directory, as ``tests/docs/test_notebooks.py`` runs them (it imports
:func:`run` from here): what a cell prints
becomes a stream output (stdout, stderr), the value of a cell's last expression an
``execute_result`` (``text/plain``, and ``text/html`` where the value has ``_repr_html_``), and
every matplotlib figure the cell leaves open a PNG ``display_data``. Every notebook seeds its own
randomness (``jax.random.PRNGKey``, ``np.random.default_rng``, ``torch.manual_seed``), so two
builds on one machine give the same text.

Cells that need PyTorch (the name ``torch`` appears in their code, or their metadata has the tag
``torch``) run only when PyTorch is installed; the tests then compare only the cells that ran,
and this script refuses to build a notebook with such cells without PyTorch.

:func:`normalise` is how the tests compare a committed output with a fresh one. It replaces
what differs between two correct runs, and nothing else:

- durations (a number with a unit s, ms, us, µs, ns, min: "0.003 s", "278.6 ms") by ``<time>``;
- memory addresses (``0x7f3a...``) by ``0x?``;
- numbers in e-notation below 1e-5 in size, zero included ("6.84e-17", "0.00e+00"), by
  ``<tiny>``: rounding noise, whose last digits depend on the CPU's instruction set and BLAS;
- trailing spaces at the ends of lines.

The stderr stream (progress lines of long solves, whose number depends on the machine's speed)
is stored but not compared.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import dataclasses
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

_TIME = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?\s?(?:s|ms|us|µs|ns|min)\b")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_E_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?e[-+]\d+\b")


def normalise(text: str) -> str:
    """``text`` with durations, addresses and rounding-noise numbers replaced (see above)."""

    def tiny(match: re.Match) -> str:
        return "<tiny>" if abs(float(match.group())) < 1e-5 else match.group()

    text = _TIME.sub("<time>", text)
    text = _ADDRESS.sub("0x?", text)
    text = _E_NUMBER.sub(tiny, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def compared_text(outputs: list[dict]) -> str:
    """The compared part of a cell's outputs: stdout and the ``text/plain`` of results and
    displays, normalised, in order."""
    parts = []
    for out in outputs:
        if out["output_type"] == "stream":
            if out["name"] == "stdout":
                parts.append("".join(out["text"]))
        elif "text/plain" in out.get("data", {}):
            parts.append("".join(out["data"]["text/plain"]))
    return normalise("\n".join(parts))


def needs_torch(cell: dict) -> bool:
    """Whether a code cell uses PyTorch: the name ``torch`` in its code (not in strings or
    comments), or the tag ``torch`` in its metadata."""
    if "torch" in cell.get("metadata", {}).get("tags", []):
        return True
    source = "".join(cell["source"])
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return "torch" in source
    return any(t.type == tokenize.NAME and t.string == "torch" for t in tokens)


def have_torch() -> bool:
    try:
        return importlib.util.find_spec("torch") is not None
    except ValueError:  # a module set to None in sys.modules (how the tests hide it)
        return False


@dataclass
class CellRun:
    """One code cell of a run: its index among the notebook's cells, whether it ran, and the
    outputs it produced (Jupyter's format)."""

    index: int
    ran: bool
    outputs: list[dict] = field(default_factory=list)


def _figures(before: set[int]) -> list[dict]:
    if "matplotlib.pyplot" not in sys.modules:
        return []
    import matplotlib.pyplot as plt

    out = []
    for number in plt.get_fignums():
        if number in before:
            continue
        fig = plt.figure(number)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
        out.append(
            {
                "data": {
                    "image/png": base64.b64encode(buf.getvalue()).decode(),
                    "text/plain": [repr(fig)],
                },
                "metadata": {},
                "output_type": "display_data",
            }
        )
        plt.close(fig)
    return out


def _open_figures() -> set[int]:
    if "matplotlib.pyplot" not in sys.modules:
        return set()
    import matplotlib.pyplot as plt

    return set(plt.get_fignums())


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _execute(source: str, name: str, namespace: dict):
    """Run a cell's code; the value of its last statement when that is an expression."""
    tree = ast.parse(source, name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, name, "exec"), namespace)  # noqa: S102 - our own notebooks
    if last is None:
        return None
    return eval(compile(last, name, "eval"), namespace)  # noqa: S307 - our own notebooks


def run(path: Path, *, torch: bool | None = None) -> list[CellRun]:
    """Run the notebook at ``path`` in a fresh Python process, its code cells in order, those
    needing PyTorch only when ``torch`` (default: when installed; without it the process
    cannot import PyTorch). RuntimeError with the process's error output if a cell fails."""
    torch = have_torch() if torch is None else torch
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "cells.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--run", str(path), str(result)]
        env = {**os.environ, "MPLBACKEND": "Agg"}  # no windows: figures go into the outputs
        proc = subprocess.run(
            command + ([] if torch else ["--no-torch"]), capture_output=True, text=True, env=env
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{Path(path).name} failed:\n{proc.stderr[-6000:]}")
        return [CellRun(**r) for r in json.loads(result.read_text())]


def _run_here(path: Path, torch: bool) -> list[CellRun]:
    """Run the notebook in this process (what the process started by :func:`run` does)."""
    cells = json.loads(Path(path).read_text())["cells"]
    namespace: dict = {"__name__": "__main__"}
    runs = []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for k, cell in enumerate(cells):
                if cell["cell_type"] != "code":
                    continue
                if needs_torch(cell) and not torch:
                    runs.append(CellRun(k, ran=False))
                    continue
                before = _open_figures()
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    value = _execute(
                        "".join(cell["source"]), f"{Path(path).name}[cell {k}]", namespace
                    )
                outputs = [
                    {"name": name, "output_type": "stream", "text": _lines(buf.getvalue())}
                    for name, buf in (("stdout", out), ("stderr", err))
                    if buf.getvalue()
                ]
                if value is not None:
                    data = {"text/plain": _lines(repr(value))}
                    html = getattr(value, "_repr_html_", None)
                    shown = html() if callable(html) else None
                    if shown:
                        data["text/html"] = _lines(shown)
                    outputs.append({"data": data, "metadata": {}, "output_type": "execute_result"})
                runs.append(CellRun(k, ran=True, outputs=outputs + _figures(before)))
        finally:
            os.chdir(cwd)
    return runs


def build(path: Path) -> None:
    """Run the notebook and store its outputs and execution counts in the file."""
    nb = json.loads(path.read_text())
    if not have_torch() and any(c["cell_type"] == "code" and needs_torch(c) for c in nb["cells"]):
        raise SystemExit(f"{path.name} has PyTorch cells: pip install torch, then build again")
    count = 0
    for cell_run in run(path, torch=True):
        count += 1
        cell = nb["cells"][cell_run.index]
        cell["outputs"] = cell_run.outputs
        for out in cell["outputs"]:
            if out["output_type"] == "execute_result":
                out["execution_count"] = count
        cell["execution_count"] = count
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    print(f"built {path.name}")


class _NoTorch:
    """A meta path finder that refuses ``torch`` and its submodules (``--no-torch`` runs)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r} (left out: --no-torch)")
        return None


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:  # the process started by run()
        if "--no-torch" in sys.argv:
            # `import torch` fails, and torch stays out of sys.modules (a None entry there makes
            # libraries that look for torch arrays, such as scipy's array API layer, crash)
            sys.meta_path.insert(0, _NoTorch())
        runs = _run_here(Path(sys.argv[2]), torch="--no-torch" not in sys.argv)
        Path(sys.argv[3]).write_text(json.dumps([dataclasses.asdict(r) for r in runs]))
        sys.exit(0)
    paths = [Path(p) for p in sys.argv[1:]] or sorted(HERE.glob("*.ipynb"))
    for p in paths:
        build(p.resolve())
