"""Irrep-layer benchmark: forward+backward of a linear layer between sums of O(3) irreps by
the block-diagonal plan (one matmul per irrep type, Schur's lemma) against the same layer with W
formed from the same basis (mode "tying": gather W, then x @ Wᵀ), batch 256, in one run.

    python benchmarks/irrep_layers.py [--repeats 50] [--processes 3]

Each case runs in ``--processes`` fresh processes; in each, a time is the median of
``--repeats`` jitted, warmed-up steps (block_until_ready), the two plans interleaved. The table
shows the median over the processes with the min-max. Writes
benchmarks/results/irrep_layers-<platform>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, interleaved, spread  # noqa: E402

CASES = [
    ("O(3)", "16x0e + 16x1o + 16x2e + 16x3o"),
    ("O(3)", "64x0e + 32x1o + 16x2e"),
]
BATCH = 256


def bench_case(group: str, rep: str, repeats: int) -> dict:
    from intertwine.codegen import equivariant_linear

    irrep = equivariant_linear(group, rep, rep, bias=False)
    formed = equivariant_linear(group, rep, rep, bias=False, mode="tying")
    assert irrep.layout.mode == "irrep" and formed.layout.mode == "tying"
    params = irrep.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (BATCH, irrep.layout.in_dim))

    def step(layer):
        return jax.jit(jax.grad(lambda p, x: jnp.sum(layer.apply(p, x) ** 2)))

    f_irrep, f_formed = step(irrep), step(formed)
    t_irrep, t_formed = interleaved(
        lambda: jax.block_until_ready(f_irrep(params, x)),
        lambda: jax.block_until_ready(f_formed(params, x)),
        repeats,
    )
    return {
        "case": f"{group}: {rep} -> itself",
        "irrep_ms": t_irrep,
        "formed_ms": t_formed,
        "formed_over_irrep": t_formed / t_irrep,
        "macs_irrep": irrep.layout.irrep.cost(),
        "macs_formed": irrep.layout.in_dim * irrep.layout.out_dim,
    }


def _fresh(index: int, repeats: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(index)]
    cmd += ["--repeats", str(repeats)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker is not None:
        print(json.dumps(bench_case(*CASES[args.worker], args.repeats)))
        return
    device = jax.devices()[0]
    rows = []
    for index in range(len(CASES)):
        runs = [_fresh(index, args.repeats) for _ in range(args.processes)]
        row = dict(runs[0])
        for key in ("irrep_ms", "formed_ms", "formed_over_irrep"):
            row[key] = spread([r[key] for r in runs])
        rows.append(row)
        print(json.dumps(row), flush=True)
    tag = device.platform
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    meta = {"device": str(device.device_kind), "platform": tag, "batch": BATCH}
    (out / f"irrep_layers-{tag}.json").write_text(json.dumps({"meta": meta, "rows": rows}))
    lines = [
        f"Device: {meta['device']} ({tag}), batch {BATCH}, forward+backward; median of "
        f"{args.processes} fresh processes (min-max), each the median of {args.repeats} steps.",
        "",
        "| case | irrep plan (ms) | W formed (ms) | formed / irrep | multiply-adds irrep / W |",
        "|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {fmt(r['irrep_ms'], '.3f')} | {fmt(r['formed_ms'], '.3f')} | "
            f"{fmt(r['formed_over_irrep'], '.1f')}x | {r['macs_irrep']} / {r['macs_formed']} |"
        )
    (out / f"irrep_layers-{tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
