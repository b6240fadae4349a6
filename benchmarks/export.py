"""Exported layers against the JAX layer: step time of the generated PyTorch, JAX and NumPy
modules for the same layout, batch 256, each measured beside the JAX layer in the same process.

    python benchmarks/export.py [--processes 3] [--repeats 30] [--only "S(30)"]

A step is forward + backward (PyTorch eagerly, JAX jitted); NumPy has no autodiff, so its forward
is timed against the JAX layer's jitted forward. Each (case, target) runs in ``--processes``
fresh processes; a process reports the median of ``--repeats`` interleaved steps of both. The
table gives the median over processes of target / JAX, with the spread (min to max). Writes
benchmarks/results/export-cpu.json and .md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import interleaved  # noqa: E402

CASES = [
    ("S(30)", "V**2", 8),  # partition diagrams
    ("S(10)", "V**2", 8),  # partition diagrams
    ("Shift(256)", "V", 4),  # FFT convolution
    ("SO(3)", "V**3", 16),  # signed tying (gather)
]
TARGETS = ("torch", "jax", "numpy")
BATCH = 256


def child(group: str, rep: str, ch: int, target: str, repeats: int) -> dict:
    """One process: the exported target and the JAX layer, timed interleaved."""
    import jax
    import jax.numpy as jnp

    from intertwine.codegen import emit, equivariant_linear

    layer = equivariant_linear(group, rep, rep, channels=(ch, ch))
    params = layer.init(jax.random.PRNGKey(0))
    x = np.random.default_rng(0).standard_normal((BATCH, ch, layer.layout.in_dim))
    x = x.astype(np.float32)
    xj = jnp.asarray(x)
    with tempfile.TemporaryDirectory() as tmp:
        out = emit(layer.layout, target=target, name="Layer")
        path = Path(tmp) / "layer.py"
        path.write_text(out.source)
        if out.data is not None and out.data_file is not None:
            (Path(tmp) / out.data_file).write_bytes(out.data)
        spec = importlib.util.spec_from_file_location("exported_layer", path)
        mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
    if target == "numpy":
        ours = jax.jit(layer.apply)
        ref = lambda: jax.block_until_ready(ours(params, xj))  # noqa: E731
        np_params = {k: np.asarray(v) for k, v in params.items()}
        exported = lambda: mod.Layer(np_params, x)  # noqa: E731
        what = "forward"
    elif target == "jax":
        grad = jax.jit(jax.grad(lambda p, x: jnp.sum(layer.apply(p, x) ** 2)))
        ref = lambda: jax.block_until_ready(grad(params, xj))  # noqa: E731
        egrad = jax.jit(jax.grad(lambda p, x: jnp.sum(mod.Layer(p, x) ** 2)))
        exported = lambda: jax.block_until_ready(egrad(params, xj))  # noqa: E731
        what = "forward+backward"
    else:
        import torch

        grad = jax.jit(jax.grad(lambda p, x: jnp.sum(layer.apply(p, x) ** 2)))
        ref = lambda: jax.block_until_ready(grad(params, xj))  # noqa: E731
        module = mod.Layer()
        xt = torch.from_numpy(x)

        def exported():
            module.zero_grad(set_to_none=True)
            (module(xt) ** 2).sum().backward()

        what = "forward+backward"
    t_exported, t_jax = interleaved(exported, ref, repeats)
    return {"exported_ms": t_exported, "jax_ms": t_jax, "what": what, "mode": layer.layout.mode}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--only", help="run only the cases whose group contains this text")
    p.add_argument("--child", nargs=4, metavar=("GROUP", "REP", "CH", "TARGET"))
    args = p.parse_args()
    if args.child:
        group, rep, ch, target = args.child
        print(json.dumps(child(group, rep, int(ch), target, args.repeats)))
        return
    rows = []
    for group, rep, ch in CASES:
        if args.only and args.only not in group:
            continue
        for target in TARGETS:
            runs = []
            for _ in range(args.processes):
                cmd = [sys.executable, __file__, "--repeats", str(args.repeats)]
                cmd += ["--child", group, rep, str(ch), target]
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
                if proc.returncode != 0:
                    raise SystemExit(f"{group} {target}: {proc.stderr.strip()[-500:]}")
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            ratios = [r["exported_ms"] / r["jax_ms"] for r in runs]
            row = {
                "case": f"{group}: {rep} -> {rep}, {ch}->{ch} ch",
                "mode": runs[0]["mode"],
                "target": target,
                "what": runs[0]["what"],
                "exported_ms": float(np.median([r["exported_ms"] for r in runs])),
                "jax_ms": float(np.median([r["jax_ms"] for r in runs])),
                "ratio": float(np.median(ratios)),
                "ratio_min": min(ratios),
                "ratio_max": max(ratios),
                "runs": runs,
            }
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "runs"}), flush=True)
    _write(rows, args)


def _write(rows: list[dict], args) -> None:
    import jax
    import torch

    meta = {
        "platform": "cpu",
        "python": platform.python_version(),
        "jax": jax.__version__,
        "torch": torch.__version__,
        "batch": BATCH,
        "processes": args.processes,
        "repeats": args.repeats,
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "export-cpu.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"CPU, batch {BATCH}, JAX {meta['jax']}, PyTorch {meta['torch']}; median of "
        f"{args.processes} fresh processes (each the median of {args.repeats} interleaved steps).",
        "",
        "| case | plan | target | timed | exported (ms) | JAX layer (ms) | exported / JAX "
        "(min-max) |",
        "|---|---|---|---|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['mode']} | {r['target']} | {r['what']} | "
            f"{r['exported_ms']:.2f} | {r['jax_ms']:.2f} | {r['ratio']:.2f} "
            f"({r['ratio_min']:.2f}-{r['ratio_max']:.2f}) |"
        )
    (out / "export-cpu.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
