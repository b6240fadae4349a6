"""Diagram bases at large n: solve times, layer build + step, structured against dense-tied.

    python benchmarks/diagrams.py [--processes 3] [--anchor-timeout 120]

Every figure is the median over ``--processes`` fresh processes (spread min-max), each timing
in-process after imports. Solves run beside the anchor, the method ``auto`` chose before the
diagram method existed (orbit or exact), in fresh processes of their own with a time limit.
Layers: build a layer and run its first jitted forward+backward (compilation included), and the
jitted step of the diagram layer against the same basis applied by forming W (tying or dense
mode), timed interleaved. Writes benchmarks/results/diagrams-cpu.json and .md.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, spawn, spread  # noqa: E402

SOLVES = [
    ("S(1000)", "V**2", "V**2", "orbit"),
    ("S(40)", "V**4", "V**4", "orbit"),
    ("S(8)", "V**4", "V**4", "orbit"),
    ("O(3)", "V**5", "V**5", "exact"),
    ("O(6)", "V**5", "V**5", "exact"),  # the check was 255 s of one Python call per entry
    ("Sp(3)", "V**5", "V**5", "exact"),
    ("O(50)", "V**2", "V**2", "exact"),
    ("O(100)", "V**2", "1", "exact"),
    ("SO(3)", "V**6", "V**6", "iterative"),
    ("SO(4)", "V**4", "V**4", "exact"),
    ("Sp(2)", "V**4", "V**4", "exact"),
    ("Sp(32)", "V**2", "V**2", "exact"),
    ("O(32,32)", "V**2", "V**2", "exact"),
]
STEPS = [
    ("S(48)", "V**2", 4, 32),
    ("O(64)", "V**2", 4, 32),
    ("Sp(32)", "V**2", 4, 32),
    ("O(32,32)", "V**2", 4, 32),
]


def child_solve(group: str, a: str, b: str, method: str) -> dict:
    import intertwine as it

    it.action(group)  # parse outside the timing
    t = time.perf_counter()
    basis = it.solve(group, a, b, method=method, cache=False)
    return {"seconds": time.perf_counter() - t, "dim": basis.dim, "method": basis.method}


def child_build_step() -> dict:
    import jax
    import jax.numpy as jnp

    from intertwine.codegen import equivariant_linear

    t0 = time.perf_counter()
    layer = equivariant_linear("S(100)", "V**2", "V**2", channels=(16, 16))
    t1 = time.perf_counter()
    params = jax.block_until_ready(layer.init(jax.random.PRNGKey(0)))
    t2 = time.perf_counter()
    x = jnp.asarray(np.random.default_rng(1).standard_normal((32, 16, 10_000)), jnp.float32)
    t3 = time.perf_counter()
    step = jax.jit(jax.grad(lambda p, x: jnp.sum(layer.apply(p, x) ** 2)))  # as in training
    jax.block_until_ready(step(params, x))
    t4 = time.perf_counter()
    return {
        "seconds": (t1 - t0) + (t4 - t3),
        "build": t1 - t0,
        "init": t2 - t1,
        "first_step": t4 - t3,
        "mode": layer.layout.mode,
    }


def child_step(group: str, rep: str, ch: int, batch: int, repeats: int = 20) -> dict:
    import jax
    import jax.numpy as jnp

    import intertwine as it
    from intertwine.codegen import equivariant_linear

    basis = it.solve(group, rep, rep)
    structured = equivariant_linear(basis, channels=(ch, ch), mode="diagram")
    formed = equivariant_linear(
        basis, channels=(ch, ch), mode="tying" if basis.signed_tying is not None else "dense"
    )
    params = structured.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (batch, ch, basis.in_dim))
    fs = jax.jit(jax.grad(lambda p, x: jnp.sum(structured.apply(p, x) ** 2)))
    fd = jax.jit(jax.grad(lambda p, x: jnp.sum(formed.apply(p, x) ** 2)))
    jax.block_until_ready(fs(params, x))
    jax.block_until_ready(fd(params, x))
    ts, td = [], []
    for _ in range(repeats):
        for f, out in ((fs, ts), (fd, td)):
            t = time.perf_counter()
            jax.block_until_ready(f(params, x))
            out.append(time.perf_counter() - t)
    return {
        "structured_ms": 1000 * float(np.median(ts)),
        "formed_ms": 1000 * float(np.median(td)),
        "formed_mode": formed.layout.mode,
    }


def _spawn(args: list[str], timeout: float) -> dict:
    return spawn(__file__, args, timeout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--anchor-timeout", type=float, default=120)
    p.add_argument("--child")
    args = p.parse_args()
    if args.child:
        spec = json.loads(args.child)
        kind, rest = spec[0], spec[1:]
        fn = {"solve": child_solve, "build": child_build_step, "step": child_step}[kind]
        print(json.dumps(fn(*rest)))
        return
    rows: dict[str, list] = {"solve": [], "build": [], "step": []}
    for group, a, b, anchor in SOLVES:
        ours = [_spawn(["solve", group, a, b, "diagram"], 600) for _ in range(args.processes)]
        failed = [r for r in ours if "seconds" not in r]
        if failed:
            raise SystemExit(f"{group}: {a} -> {b} failed: {failed[0]}")
        old = _spawn(["solve", group, a, b, anchor], args.anchor_timeout)
        row = {
            "case": f"{group}: {a} -> {b}",
            "dim": ours[0]["dim"],
            "diagram_s": spread([r["seconds"] for r in ours]),
            "anchor": {"method": anchor, **old},
        }
        rows["solve"].append(row)
        print(json.dumps(row), flush=True)
    build = [_spawn(["build"], 600) for _ in range(args.processes)]
    rows["build"].append(
        {
            "case": "S(100): V**2 -> V**2, 16->16 ch, batch 32",
            **spread([r["seconds"] for r in build]),
            "init": spread([r["init"] for r in build]),
        }
    )
    print(json.dumps(rows["build"][-1]), flush=True)
    for group, rep, ch, batch in STEPS:
        runs = [_spawn(["step", group, rep, ch, batch], 600) for _ in range(args.processes)]
        ratios = [r["formed_ms"] / r["structured_ms"] for r in runs]
        row = {
            "case": f"{group}: {rep} -> {rep}, {ch}->{ch} ch, batch {batch}",
            "structured_ms": spread([r["structured_ms"] for r in runs]),
            "formed_ms": spread([r["formed_ms"] for r in runs]),
            "formed_mode": runs[0]["formed_mode"],
            "speedup": spread(ratios),
        }
        rows["step"].append(row)
        print(json.dumps(row), flush=True)
    _write(rows, args)


def _short(error: str) -> str:
    """'needs about 891.3 GiB' from the solver's refusal (the rest is the fix it suggests)."""
    found = re.search(r"needs about [0-9.]+ GiB", error)
    return found.group(0) if found else error.split(": ", 1)[-1][:80]


def _write(rows: dict, args) -> None:
    import jax

    out = HERE / "results"
    out.mkdir(exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "jax": jax.__version__,
        "processes": args.processes,
    }
    (out / "diagrams-cpu.json").write_text(json.dumps({"meta": meta, **rows}, indent=1))
    lines = [
        f"CPU (2 cores), JAX {meta['jax']}; median of {args.processes} fresh processes "
        "(min-max); the anchor ran once per case with its time limit.",
        "",
        "| solve | dim | diagram method (s) | before: method, time (s) |",
        "|---|---:|---|---|",
    ]
    for r in rows["solve"]:
        a = r["anchor"]
        before = (
            f"{a['method']}, {a['seconds']:.3g}"
            if "seconds" in a
            else f"{a['method']}, > {a['timeout']:.0f} (stopped)"
            if "timeout" in a
            else f"{a['method']}, refused: {_short(a['error'])}"
        )
        lines.append(f"| {r['case']} | {r['dim']} | {fmt(r['diagram_s'])} | {before} |")
    lines += [
        "",
        "| layer | build + first jitted forward/backward (s) | init: jax.random (s) |",
        "|---|---|---|",
    ]
    for r in rows["build"]:
        lines.append(f"| {r['case']} | {fmt(r)} | {fmt(r['init'])} |")
    lines += [
        "",
        "| jitted step | diagrams (ms) | W formed (ms) | speedup |",
        "|---|---|---|---|",
    ]
    for r in rows["step"]:
        lines.append(
            f"| {r['case']} | {fmt(r['structured_ms'])} | {fmt(r['formed_ms'])} "
            f"({r['formed_mode']}) | {fmt(r['speedup'], unit='x')} |"
        )
    (out / "diagrams-cpu.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
