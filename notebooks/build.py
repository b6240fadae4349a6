"""Run notebooks top to bottom and store their outputs (printed text and figures) in place.

    python notebooks/build.py [notebooks/01_quickstart.ipynb ...]   (default: every notebook)

The code cells run in one namespace in a temporary directory, as the tests run them; whatever a
cell prints becomes a stream output and every matplotlib figure it leaves open a PNG output.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _figures() -> list[dict]:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    out = []
    for number in plt.get_fignums():
        fig = plt.figure(number)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80)
        out.append(
            {
                "data": {
                    "image/png": base64.b64encode(buf.getvalue()).decode(),
                    "text/plain": [f"<Figure {number}>"],
                },
                "metadata": {},
                "output_type": "display_data",
            }
        )
    plt.close("all")
    return out


def build(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    nb = json.loads(path.read_text())
    namespace: dict = {}
    count = 0
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for k, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code":
                    continue
                count += 1
                buf = io.StringIO()
                with contextlib.redirect_stdout(buf):
                    source = "".join(cell["source"])
                    exec(compile(source, f"{path.name}[cell {k}]", "exec"), namespace)  # noqa: S102
                text = buf.getvalue()
                outputs = (
                    [
                        {
                            "name": "stdout",
                            "output_type": "stream",
                            "text": text.splitlines(keepends=True),
                        }
                    ]
                    if text
                    else []
                )
                cell["outputs"] = outputs + _figures()
                cell["execution_count"] = count
        finally:
            os.chdir(cwd)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    print(f"built {path.name}")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(HERE.glob("*.ipynb"))
    for p in paths:
        build(p.resolve())
