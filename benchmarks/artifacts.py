"""Deployable artifacts: how long each export takes, and how far the loaded artifact is from the
JAX layer, for every plan.

    python benchmarks/artifacts.py [--targets onnx pt2]

For each plan (the cases of tests/codegen/deploy/test_torch_export.py) the layer is exported
with its JAX parameters (``intertwine.codegen.deploy.export``), loaded back (onnxruntime;
``aoti_load_package``), run on 64 seeded float32 inputs beside the JAX layer, and verified.
Reports wall and CPU seconds of the export (CPU includes the C++ compiler's child processes,
which wall time on a shared machine does not measure well), the largest absolute difference
from the JAX layer and the largest output. Writes benchmarks/results/artifacts-cpu.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def _cpu() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", nargs="+", default=["onnx", "pt2"])
    args = parser.parse_args()
    import jax.numpy as jnp
    import torch
    from test_torch_export import CASES, _jax_layer

    from intertwine.codegen.deploy import export, load_artifact
    from intertwine.verify import verify

    rows = []
    folder = tempfile.mkdtemp()
    for target in args.targets:
        for case, (group, a, b, ch, mode, _) in CASES.items():
            layer, params = _jax_layer(group, a, b, ch, mode)
            cpu, wall = _cpu(), time.perf_counter()
            out = export(
                layer.layout, target=target, path=f"{folder}/{case}.{target}", params=params
            )
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            artifact = load_artifact(out.path)
            x = np.random.default_rng(2).standard_normal((64, ch[0], layer.layout.in_dim))
            x = x.astype(np.float32)
            want = np.asarray(layer.apply(params, jnp.asarray(x)))
            if target == "onnx":
                got = artifact.run(None, {"x": x})[0]
            else:
                got = artifact(torch.from_numpy(x)).numpy()
            report = verify(artifact, group, a, b)
            row = {
                "target": target,
                "case": f"{group}: {a} -> {b}, {ch[0]}->{ch[1]} ch",
                "plan": out.plan,
                "export_wall_s": round(wall, 1),
                "export_cpu_s": round(cpu, 1),
                "max_abs_difference_from_jax": float(np.max(np.abs(got - want))),
                "max_abs_output": float(np.max(np.abs(want))),
                "verified": bool(report),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
    results = HERE / "results" / "artifacts-cpu.json"
    results.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
