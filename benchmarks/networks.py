"""Networks for any group against EMLP on EMLP's own three experiments (Finzi, Welling, Wilson,
ICML 2021, section 7): O(5)-invariant regression, O(3)-equivariant inertia tensor, and the
O(1,3)-invariant electron-muon scattering amplitude.

EMLP's own dataset classes make the arrays (in EMLP's virtualenv), so both sides train on the same
data: ``--train`` samples, ``--test`` held out, targets scaled by the training standard deviation
(a scalar, which commutes with every group). Each model trains in a fresh process per seed with
Adam (lr 3e-3, batch 500) for ``--epochs`` epochs:

- intertwine: ``gated_network(group, IN, OUT, mixed_rep(group, 128), depth=3, bilinear=True)``
  (gated nonlinearities, product layers, scalars + vectors + matrices in the hidden rep);
- EMLP: ``EMLP(rep_in, rep_out, group, num_layers=3, ch=128)`` (its own architecture);
- a plain MLP: 3 hidden layers of 128 with swish.

    bash benchmarks/setup_emlp.sh && python benchmarks/networks.py [--epochs 100] [--seeds 3]

Reports test MSE (mean and spread over seeds), time per epoch (median over epochs after the first),
parameters, and for intertwine the equivariance error of the trained model in float32 (verify).
On a GPU machine intertwine and the MLP run on the GPU (EMLP's virtualenv is CPU-only). Writes
benchmarks/results/networks-<platform>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, spread  # noqa: E402

EMLP_PYTHON = HERE / ".emlp-venv" / "bin" / "python"
TASKS = {  # task: (group, IN, OUT, description)
    "o5": ("O(5)", "2*V", "1", "O(5)-invariant regression"),
    "inertia": ("O(3)", "5*1 + 5*V", "V**2", "O(3) inertia tensor"),
    "lorentz": ("O(1,3)", "4*V", "1", "O(1,3) scattering amplitude"),
}


def _adam(grad, params, lr: float):
    import jax
    import jax.numpy as jnp

    tree = jax.tree_util.tree_map
    state = {"m": tree(jnp.zeros_like, params), "v": tree(jnp.zeros_like, params), "t": 0}

    def run(params, x, y):
        state["t"] += 1
        t = state["t"]
        g = grad(params, x, y)
        state["m"] = tree(lambda a, b: 0.9 * a + 0.1 * b, state["m"], g)
        state["v"] = tree(lambda a, b: 0.999 * a + 0.001 * b * b, state["v"], g)
        c1, c2 = 1 - 0.9**t, 1 - 0.999**t
        return tree(
            lambda p, a, b: p - lr * (a / c1) / (jnp.sqrt(b / c2) + 1e-8),
            params,
            state["m"],
            state["v"],
        )

    return run


def worker(kind: str, task: str, seed: int, epochs: int, path: str) -> dict:
    import jax
    import jax.numpy as jnp

    import intertwine as it
    from intertwine.codegen import gated_network, mixed_rep

    group, rep_in, rep_out, _ = TASKS[task]
    data = np.load(path)
    scale = float(np.std(data["y_train"]))
    xtr, ytr = jnp.asarray(data["x_train"]), jnp.asarray(data["y_train"] / scale)
    xte, yte = jnp.asarray(data["x_test"]), jnp.asarray(data["y_test"] / scale)
    start = time.perf_counter()
    if kind == "intertwine":
        net = gated_network(group, rep_in, rep_out, mixed_rep(group, 128), 3, bilinear=True)
        params = net.init(jax.random.PRNGKey(seed))
        apply = net.apply
    else:
        sizes = [xtr.shape[1], 128, 128, 128, ytr.shape[1]]
        keys = jax.random.split(jax.random.PRNGKey(seed), len(sizes) - 1)
        params = [
            (jax.random.normal(k, (a, b)) / np.sqrt(a), jnp.zeros(b))
            for k, a, b in zip(keys, sizes[:-1], sizes[1:])
        ]

        def apply(p, x):
            for i, (w, b) in enumerate(p):
                x = x @ w + b
                if i < len(p) - 1:
                    x = jax.nn.swish(x)
            return x

    build = time.perf_counter() - start

    def loss(p, x, y):
        return jnp.mean((apply(p, x) - y) ** 2)

    step = _adam(jax.jit(jax.grad(loss)), params, 3e-3)
    predict = jax.jit(apply)
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(epochs):
        order = rng.permutation(xtr.shape[0])
        t = time.perf_counter()
        for i in range(0, xtr.shape[0], 500):
            idx = order[i : i + 500]
            params = step(params, xtr[idx], ytr[idx])
        jax.block_until_ready(params)
        times.append(time.perf_counter() - t)
    test = float(jnp.mean((predict(params, xte) - yte) ** 2))
    out = {
        "test_mse": test,
        "epoch_s": float(np.median(times[1:])),
        "first_epoch_s": times[0],
        "build_s": build,
        "params": int(sum(np.size(v) for v in jax.tree_util.tree_leaves(params))),
    }
    if kind == "intertwine":
        report = it.verify(
            lambda v: apply(params, jnp.asarray(v, jnp.float32)),
            group,
            rep_in,
            rep_out,
            samples=64,
        )
        out["equivariance_error"] = report.max_error
    return out


def _fresh(cmd: list[str], cpu: bool = False) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu") if cpu else dict(os.environ)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict], key: str) -> dict:
    values = [r[key] for r in runs if key in r]
    if not values:
        return {}
    return {"mean": float(np.mean(values)), "min": min(values), "max": max(values)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--train", type=int, default=1000)
    p.add_argument("--test", type=int, default=1000)
    p.add_argument("--only", help="run one task (o5, inertia, lorentz)")
    p.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    p.add_argument("--table-only", metavar="PLATFORM", help="rewrite the table from its .json")
    args = p.parse_args()
    if args.table_only:
        saved = json.loads((HERE / "results" / f"networks-{args.table_only}.json").read_text())
        saved["meta"].setdefault("platform", args.table_only)
        return write_table(saved["rows"], saved["meta"])
    if args.worker:
        kind, task, seed, epochs, path = args.worker
        print(json.dumps(worker(kind, task, int(seed), int(epochs), path)))
        return
    if not EMLP_PYTHON.exists():
        sys.exit("EMLP is not installed: run 'bash benchmarks/setup_emlp.sh'")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for task, (group, rep_in, rep_out, text) in TASKS.items():
            if args.only and task != args.only:
                continue
            path = str(Path(tmp) / f"{task}.npz")
            emlp_script = str(HERE / "_emlp_net.py")
            sizes = [str(args.train), str(args.test)]
            _fresh([str(EMLP_PYTHON), emlp_script, "data", task, *sizes, path], cpu=True)
            row = {"task": task, "case": f"{text}: {group}, {rep_in} -> {rep_out}"}
            for kind in ("intertwine", "emlp", "mlp"):
                runs = []
                for seed in range(args.seeds):
                    if kind == "emlp":
                        cmd = [str(EMLP_PYTHON), emlp_script, "train", task, str(seed)]
                        cmd += [str(args.epochs), path]
                    else:
                        cmd = [sys.executable, __file__, "--worker", kind, task, str(seed)]
                        cmd += [str(args.epochs), path]
                    runs.append(_fresh(cmd, cpu=kind == "emlp"))  # EMLP's venv is CPU-only
                    print(task, kind, seed, json.dumps(runs[-1]), flush=True)
                row[kind] = {
                    "runs": runs,
                    "test_mse": _summary(runs, "test_mse"),
                    "epoch_s": _summary(runs, "epoch_s"),
                    "params": runs[0].get("params"),
                    "equivariance_error": _summary(runs, "equivariance_error"),
                }
            rows.append(row)
    import jax

    tag = jax.default_backend()  # ours and the MLP ran here; EMLP on the CPU
    meta = {"epochs": args.epochs, "seeds": args.seeds, "train": args.train, "test": args.test}
    meta["platform"] = tag
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"networks-{tag}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    write_table(rows, meta)


def write_table(rows: list[dict], meta: dict) -> None:
    """The table in docs/benchmarks.md: test MSE as mean (min-max) over seeds, seconds per epoch
    as the median over the seeds' fresh processes (min-max)."""
    tag = meta["platform"]
    lines = [
        f"{tag.upper()} for intertwine and the MLP, CPU for EMLP; {meta['train']} training and "
        f"{meta['test']} test samples from EMLP's dataset classes, {meta['epochs']} epochs of "
        f"Adam (lr 3e-3, batch 500), {meta['seeds']} seeds, each a fresh process; test MSE on "
        f"targets scaled by the training std: mean (min-max); s / epoch: median (min-max).",
        "",
        "| task | model | test MSE | s / epoch | parameters | equivariance error (float32) |",
        "|---|---|---|---|---:|---|",
    ]
    names = {"intertwine": "intertwine gated", "emlp": "EMLP", "mlp": "MLP"}
    for r in rows:
        for kind in ("intertwine", "emlp", "mlp"):
            d = r[kind]
            mse, eq = d["test_mse"], d["equivariance_error"]
            epochs = [run["epoch_s"] for run in d["runs"] if "epoch_s" in run]
            lines.append(
                f"| {r['case']} | {names[kind]} | "
                + (f"{mse['mean']:.3g} ({mse['min']:.3g}-{mse['max']:.3g})" if mse else "failed")
                + " | "
                + (fmt(spread(epochs), ".3f") if epochs else "-")
                + f" | {d['params'] or '-'} | "
                + (f"{eq['max']:.1e}" if eq else "-")
                + " |"
            )
    (HERE / "results" / f"networks-{tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
