"""Layer benchmark: forward+backward of the tied layer against a dense ``x @ W`` of the same shape
and against EMLP's Linear (in its own virtualenv), batch 256, in one run.

    python benchmarks/layers.py [--repeats 50] [--skip-emlp]

Times are medians of jitted, warmed-up steps (block_until_ready). Writes
benchmarks/results/layers-<platform>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

HERE = Path(__file__).resolve().parent
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


def timed_pair(f, a, g, b, repeats: int) -> tuple[float, float]:
    """Median ms of f(*a) and g(*b), measured interleaved so that drift hits both alike."""
    jax.block_until_ready(f(*a))
    jax.block_until_ready(g(*b))
    tf, tg = [], []
    for _ in range(repeats):
        for fn, args, out in ((f, a, tf), (g, b, tg)):
            t = time.perf_counter()
            jax.block_until_ready(fn(*args))
            out.append(time.perf_counter() - t)
    return 1000 * float(np.median(tf)), 1000 * float(np.median(tg))


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
    t_tied, t_dense = timed_pair(tied, (params, x), dense, ((w, b), x2), repeats)
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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--skip-emlp", action="store_true")
    args = p.parse_args()
    use_emlp = not args.skip_emlp and EMLP_PYTHON.exists()
    device = jax.devices()[0]
    rows = []
    for group, rep, ch, with_emlp in CASES:
        row = bench_case(group, rep, ch, args.repeats)
        row["emlp"] = (
            bench_emlp(group, rep, ch, args.repeats)
            if use_emlp and with_emlp
            else {"skipped": True}
        )
        if "ms" in row["emlp"]:
            row["emlp_over_tied"] = row["emlp"]["ms"] / row["tied_ms"]
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
        f"Device: {meta['device']} ({tag}), batch {BATCH}, forward+backward, median ms.",
        "",
        "| case | tied (ms) | dense x@W (ms) | tied / dense | EMLP Linear (ms) | "
        "EMLP / tied | parameters tied / dense |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        e = r["emlp"]
        e_ms = (
            f"{e['ms']:.2f}"
            if "ms" in e
            else "cannot express (monoid)"
            if e.get("unsupported")
            else "not run"
        )
        ratio = f"{r['emlp_over_tied']:.1f}x" if "emlp_over_tied" in r else "n/a"
        lines.append(
            f"| {r['case']} | {r['tied_ms']:.2f} | {r['dense_ms']:.2f} | "
            f"{r['ratio_vs_dense']:.2f} | {e_ms} | {ratio} | "
            f"{r['params_tied']} / {r['params_dense']} |"
        )
    (out / f"layers-{tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
