"""Layer benchmark: forward+backward of the tied layer against a dense ``x @ W`` of the same shape
and against EMLP's Linear (in its own virtualenv), batch 256, in one run.

    python benchmarks/layers.py [--repeats 50] [--processes 3] [--skip-emlp]

Each case runs in ``--processes`` fresh processes per tool; in each, a time is the median of
``--repeats`` jitted, warmed-up steps (block_until_ready), ours and dense interleaved. The table
shows the median over the processes with the min-max. Writes
benchmarks/results/layers-<platform>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, interleaved, spread  # noqa: E402

EMLP_PYTHON = HERE / ".emlp-venv" / "bin" / "python"
# (group, rep, channels, run EMLP): EMLP needs minutes to solve S(30) V**2 (S(20) took > 200 s),
# so that case, which shows how the diagram method scales, is timed against dense only.
CASES = [
    ("S(10)", "V**2", 8, True),
    ("SO(3)", "V**3", 16, True),
    ("Shift(256)", "V", 4, True),
    ("S(30)", "V**2", 8, False),
]
BATCH = 256


def bench_case(group: str, rep: str, ch: int, repeats: int) -> dict:
    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear(group, rep, rep, channels=(ch, ch))
    lay = layer.layout
    params = layer.init(jax.random.PRNGKey(0))
    d_in, d_out = ch * lay.in_dim, ch * lay.out_dim
    x = jax.random.normal(jax.random.PRNGKey(1), (BATCH, ch, lay.in_dim))
    tied = jax.jit(jax.grad(lambda p, x: jnp.sum(layer.apply(p, x) ** 2)))
    w = jax.random.normal(jax.random.PRNGKey(2), (d_in, d_out)) / np.sqrt(d_in)
    b = jnp.zeros(d_out)
    x2 = x.reshape(BATCH, d_in)
    dense = jax.jit(jax.grad(lambda wb, x: jnp.sum((x @ wb[0] + wb[1]) ** 2)))
    t_tied, t_dense = interleaved(
        lambda: jax.block_until_ready(tied(params, x)),
        lambda: jax.block_until_ready(dense((w, b), x2)),
        repeats,
    )
    return {
        "case": f"{group}: {rep} -> {rep}, {ch}->{ch} ch",
        "mode": lay.mode,
        "tied_ms": t_tied,
        "dense_ms": t_dense,
        "ratio_vs_dense": t_tied / t_dense,
        "params_tied": lay.num_parameters,
        "params_dense": d_in * d_out + d_out,
    }


def bench_emlp(group: str, rep: str, ch: int, repeats: int) -> dict:
    cmd = [
        str(EMLP_PYTHON),
        str(HERE / "_emlp_layer.py"),
        group,
        rep,
        str(ch),
        str(BATCH),
        str(repeats),
        str(HERE),
    ]
    env = dict(os.environ, JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    except subprocess.TimeoutExpired:
        return {"timeout": 900}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _worker(index: int, repeats: int) -> None:
    group, rep, ch, _ = CASES[index]
    print(json.dumps(bench_case(group, rep, ch, repeats)))


def _fresh(index: int, repeats: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(index)]
    cmd += ["--repeats", str(repeats)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--skip-emlp", action="store_true")
    p.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker is not None:
        return _worker(args.worker, args.repeats)
    use_emlp = not args.skip_emlp and EMLP_PYTHON.exists()
    device = jax.devices()[0]
    rows = []
    for index, (group, rep, ch, with_emlp) in enumerate(CASES):
        runs = [_fresh(index, args.repeats) for _ in range(args.processes)]
        row = dict(runs[0])
        row["tied_ms"] = spread([r["tied_ms"] for r in runs])
        row["dense_ms"] = spread([r["dense_ms"] for r in runs])
        row["ratio_vs_dense"] = spread([r["ratio_vs_dense"] for r in runs])
        row["processes"] = args.processes
        emlp = (
            [bench_emlp(group, rep, ch, args.repeats) for _ in range(args.processes)]
            if use_emlp and with_emlp
            else [{"skipped": True}]
        )
        row["emlp"] = emlp[0]
        if all("ms" in e for e in emlp):
            row["emlp"] = {"ms": spread([e["ms"] for e in emlp])}
            tied = row["tied_ms"]
            row["emlp_over_tied"] = {
                "median": row["emlp"]["ms"]["median"] / tied["median"],
                "min": row["emlp"]["ms"]["min"] / tied["max"],
                "max": row["emlp"]["ms"]["max"] / tied["min"],
            }
        rows.append(row)
        print(json.dumps(row), flush=True)
    tag = device.platform
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    meta = {
        "device": str(device.device_kind),
        "platform": tag,
        "jax": jax.__version__,
        "python": platform.python_version(),
        "batch": BATCH,
    }
    (out / f"layers-{tag}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"Device: {meta['device']} ({tag}), batch {BATCH}, forward+backward; median of "
        f"{args.processes} fresh processes (min-max), each the median of {args.repeats} steps.",
        "",
        "| case | tied (ms) | dense x@W (ms) | tied / dense | EMLP Linear (ms) | "
        "EMLP / tied | parameters tied / dense |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        e = r["emlp"]
        e_ms = (
            fmt(e["ms"], ".2f")
            if "ms" in e
            else "cannot express (monoid)"
            if e.get("unsupported")
            else "not run"
        )
        ratio = fmt(r["emlp_over_tied"], ".1f") + "x" if "emlp_over_tied" in r else "n/a"
        lines.append(
            f"| {r['case']} | {fmt(r['tied_ms'], '.2f')} | {fmt(r['dense_ms'], '.2f')} | "
            f"{fmt(r['ratio_vs_dense'], '.2f')} | {e_ms} | {ratio} | "
            f"{r['params_tied']} / {r['params_dense']} |"
        )
    (out / f"layers-{tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
