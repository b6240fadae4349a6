"""Irrep-layer benchmark, side by side with e3nn-jax: forward+backward (jitted) of

- a linear layer between sums of O(3) irreps by the block-diagonal plan (one matmul per irrep
  type, Schur's lemma), against the same layer with W formed from the same basis (mode "tying":
  gather W, then x @ Wᵀ) and against e3nn-jax's ``FunctionalLinear`` (vmapped over the batch);
- the fully connected tensor product ``8x0e+8x1o+8x2e ⊗ 1x0e+1x1o+1x2e -> 8x0e+8x1o+8x2e``
  (one einsum per path) against e3nn-jax's ``FunctionalFullyConnectedTensorProduct`` (vmapped;
  the outputs agree to float32 rounding on the same weights:
  tests/codegen/layers/test_e3nn_agreement.py),
- SO(3) ``V**4 -> V**4`` written as irreps (``to_irreps``) against the layer on the tensor power
  with W formed,

batch 256, float32, in one run. e3nn-jax comes with the ``test`` extra (the e3nn columns are
left out where it is not installed):

    PYTHONPATH=$PWD nice -n 10 python benchmarks/irrep_layers.py

Each case runs in ``--processes`` fresh processes; in each, a time is the median of
``--repeats`` warmed-up steps (block_until_ready), the implementations interleaved. The table
shows the median over the processes with the min-max, and the ratios per process. Writes
benchmarks/results/irrep_layers-<platform>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, spread  # noqa: E402

CASES = [
    ("linear", "O(3)", "16x0e + 16x1o + 16x2e + 16x3o", None, None),
    ("linear", "O(3)", "64x0e + 32x1o + 16x2e", None, None),
    ("tp", "O(3)", "8x0e + 8x1o + 8x2e", "1x0e + 1x1o + 1x2e", "8x0e + 8x1o + 8x2e"),
    ("tensor", "SO(3)", "V**4", None, None),
]
BATCH = 256


def _times(fns: dict, repeats: int) -> dict:
    """Median ms of each blocking thunk, after one warm-up call each, timed in turn."""
    for f in fns.values():
        f()
    out: dict = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            t = time.perf_counter()
            f()
            out[k].append(time.perf_counter() - t)
    return {k: 1000 * float(np.median(v)) for k, v in out.items()}


def _e3nn():
    try:
        import e3nn_jax as e3nn
        import e3nn_jax.legacy  # noqa: F401
    except ImportError:
        return None
    return e3nn


def _step(fn):
    return jax.jit(jax.grad(lambda p, *xs: jnp.sum(fn(p, *xs) ** 2)))


def bench_linear(group: str, rep: str, repeats: int) -> dict:
    from intertwine.codegen import equivariant_linear

    irrep = equivariant_linear(group, rep, rep, bias=False)
    formed = equivariant_linear(group, rep, rep, bias=False, mode="tying")
    assert irrep.layout.mode == "irrep" and formed.layout.mode == "tying"
    params = irrep.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (BATCH, irrep.layout.in_dim))
    f_irrep, f_formed = _step(irrep.apply), _step(formed.apply)
    fns = {
        "irrep": lambda: jax.block_until_ready(f_irrep(params, x)),
        "formed": lambda: jax.block_until_ready(f_formed(params, x)),
    }
    e3nn = _e3nn()
    if e3nn is not None:
        irreps = e3nn.Irreps(rep.replace(" ", ""))
        lin = e3nn.FunctionalLinear(irreps, irreps)
        ws = jax.random.normal(jax.random.PRNGKey(2), (lin.num_weights,))

        def e3nn_apply(w, x):
            return jax.vmap(lambda v: lin(w, e3nn.IrrepsArray(irreps, v)).array)(x)

        f_e3nn = _step(e3nn_apply)
        fns["e3nn"] = lambda: jax.block_until_ready(f_e3nn(ws, x))
    row = {"case": f"Linear {group}: {rep} -> itself", **_times(fns, repeats)}
    row["macs_irrep"] = irrep.layout.plan.cost()
    row["macs_formed"] = irrep.layout.in_dim * irrep.layout.out_dim
    return row


def bench_tp(group: str, a: str, b: str, c: str, repeats: int) -> dict:
    from intertwine.codegen import tensor_product

    tp = tensor_product(group, a, b, c)
    w = tp.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (BATCH, tp.plan.rep_a.dim))
    y = jax.random.normal(jax.random.PRNGKey(2), (BATCH, tp.plan.rep_b.dim))
    f_ours = _step(tp.apply)
    fns = {"irrep": lambda: jax.block_until_ready(f_ours(w, x, y))}
    e3nn = _e3nn()
    if e3nn is not None:
        ia, ib, ic = (e3nn.Irreps(s.replace(" ", "")) for s in (a, b, c))
        etp = e3nn.legacy.FunctionalFullyConnectedTensorProduct(ia, ib, ic)

        def e3nn_apply(ws, x, y):
            def one(u, v):
                return etp.left_right(ws, e3nn.IrrepsArray(ia, u), e3nn.IrrepsArray(ib, v)).array

            return jax.vmap(one)(x, y)

        shapes = [ins.path_shape for ins in etp.instructions]
        ws = [jax.random.normal(jax.random.PRNGKey(3), s) for s in shapes]
        f_e3nn = _step(e3nn_apply)
        fns["e3nn"] = lambda: jax.block_until_ready(f_e3nn(ws, x, y))
    row = {"case": f"Tensor product {group}: {a} x {b} -> {c}", **_times(fns, repeats)}
    row["paths"] = len(tp.plan.paths)
    return row


def bench_tensor(group: str, rep: str, repeats: int) -> dict:
    """A layer on a tensor power written as irreps (``to_irreps``) against the layer on the
    tensor power with W formed (mode "dense"), 16 channels in and out."""
    import intertwine as it
    from intertwine.codegen import equivariant_linear

    irreps = it.to_irreps(group, rep).irreps
    irrep = equivariant_linear(group, irreps, irreps, bias=False, channels=(16, 16))
    formed = equivariant_linear(group, rep, rep, bias=False, channels=(16, 16), mode="dense")
    assert irrep.layout.mode == "irrep"
    p_irrep = irrep.init(jax.random.PRNGKey(0))
    p_formed = formed.init(jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (BATCH, 16, irrep.layout.in_dim))
    f_irrep, f_formed = _step(irrep.apply), _step(formed.apply)
    fns = {
        "irrep": lambda: jax.block_until_ready(f_irrep(p_irrep, x)),
        "formed": lambda: jax.block_until_ready(f_formed(p_formed, x)),
    }
    row = {"case": f"Linear {group}: {rep} as {irreps}, 16 channels", **_times(fns, repeats)}
    return row


def bench_case(index: int, repeats: int) -> dict:
    kind, group, a, b, c = CASES[index]
    if kind == "linear":
        return bench_linear(group, a, repeats)
    if kind == "tensor":
        return bench_tensor(group, a, repeats)
    return bench_tp(group, a, b, c, repeats)


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
        print(json.dumps(bench_case(args.worker, args.repeats)))
        return
    device = jax.devices()[0]
    rows = []
    for index in range(len(CASES)):
        runs = [_fresh(index, args.repeats) for _ in range(args.processes)]
        row = dict(runs[0])
        for r in runs:  # ratios per process, then their spread
            if "e3nn" in r:
                r["irrep_over_e3nn"] = r["irrep"] / r["e3nn"]
            if "formed" in r:
                r["formed_over_irrep"] = r["formed"] / r["irrep"]
        for key in ("irrep", "formed", "e3nn", "irrep_over_e3nn", "formed_over_irrep"):
            if key in runs[0]:
                row[key] = spread([r[key] for r in runs])
        rows.append(row)
        print(json.dumps(row), flush=True)
    tag = device.platform
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    e3nn = _e3nn()
    meta = {
        "device": str(device.device_kind),
        "platform": tag,
        "batch": BATCH,
        "jax": jax.__version__,
        "e3nn_jax": getattr(e3nn, "__version__", None),
    }
    (out / f"irrep_layers-{tag}.json").write_text(json.dumps({"meta": meta, "rows": rows}))
    lines = [
        f"Device: {meta['device']} ({tag}), jax {meta['jax']}, e3nn-jax {meta['e3nn_jax']}, "
        f"batch {BATCH}, float32, forward+backward jitted; median of {args.processes} fresh "
        f"processes (min-max), each the median of {args.repeats} steps.",
        "",
        "| case | ours (ms) | e3nn-jax (ms) | ours / e3nn-jax | W formed (ms) | formed / ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        e = (
            (fmt(r["e3nn"], ".3f"), fmt(r["irrep_over_e3nn"], ".2f") + "x")
            if "e3nn" in r
            else ("-", "-")
        )
        f = (
            (fmt(r["formed"], ".3f"), fmt(r["formed_over_irrep"], ".1f") + "x")
            if "formed" in r
            else ("-", "-")
        )
        ours = fmt(r["irrep"], ".3f")
        lines.append(f"| {r['case']} | {ours} | {e[0]} | {e[1]} | {f[0]} | {f[1]} |")
    (out / f"irrep_layers-{tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
