"""The runnable Python examples of the README and of the documentation pages (``docs/``) run
as written. Blocks fenced as ``python`` run; blocks fenced as ``py`` are illustrations that need
more than one process or machine (``docs/distributed.md``: its runnable form is
``examples/distributed_training.py``, tested by ``tests/codegen/layers/test_distributed.py``)."""

import re

from helpers import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _blocks():
    return [
        (page, block)
        for page in PAGES
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    ]


def test_readme_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runnable = [(page, b) for page, b in _blocks() if "my_layer" not in b]
    assert len(runnable) >= 2
    spaces = []
    for page, block in runnable:
        namespace: dict = {}
        name = str(page.relative_to(ROOT))
        exec(compile(block, name, "exec"), namespace)  # noqa: S102 - our own pages
        spaces.append(namespace)
    layers = [n for n in spaces if isinstance(n.get("params"), dict) and "theta" in n["params"]]
    assert layers and layers[0]["params"]["theta"].shape == (8, 4, 15)
    folds = [n for n in spaces if "states" in n]
    states = folds[0]["states"]
    assert folds and states.shape == (2, 16)
    # a meaningful example: live states (not the zeros of a dead ReLU), and equivariant
    assert (abs(states) > 1e-3).mean() > 0.5
    moved, perm = folds[0]["moved"], folds[0]["perm"]
    assert abs(moved.reshape(2, 4, 4) - states.reshape(2, 4, 4)[:, :, perm]).max() < 1e-5
