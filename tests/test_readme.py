"""The README's runnable Python examples run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runnable = [b for b in _blocks() if "my_layer" not in b]
    assert len(runnable) >= 2
    spaces = []
    for block in runnable:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
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
