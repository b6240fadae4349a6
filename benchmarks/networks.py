"""EMLP's three regression experiments by EMLP's own recipe: test MSE against training size.

Tasks (Finzi, Welling, Wilson, ICML 2021, section 7; data in ``_regression_data.py``, the same
generative processes as ``emlp/datasets.py``): ``o5`` (O(5)-invariant synthetic), ``inertia``
(O(3) inertia tensor, V**2), ``particle`` (O(1,3) electron-muon scattering). Models:

- ``intertwine-gated``: ``gated_network(G, IN, OUT, mixed_rep(G, budget), depth, bilinear=True,
  ...)``, per task in ``_regression_train.GATED`` (O(5): 3 steps of budget 128; inertia and
  particle: one step of budget 384 with ``product_head=True, max_copies=64``);
- ``intertwine-invariant``: ``invariant_network(G, IN, OUT, hidden, depth, bilinear)`` (invariant
  theory: forms → MLP + linear + bilinear heads → coefficients of the equivariant basis maps),
  widths per task in ``_regression_train.INVARIANT`` (chosen by validation MSE at 3000, seed 0);
- ``mlp``: EMLP's baseline, 3 hidden layers of 384 with swish;
- ``emlp``: ``EMLP(rep_in, rep_out, G, num_layers=3, ch=384)`` in its own virtualenv
  (``--emlp-python``; ``bash benchmarks/setup_emlp.sh`` makes one).

Recipe, for every model (``experiments/train_regression.py`` and ``data_efficiency.py``): a pool
of 36000 samples per seed, 5000 test, 1000 validation, n training; EMLP's Standardize; Adam, lr
3e-3 constant, batch min(500, n), min(int(900000/n), 1000) epochs; the test MSE at the best of 50
validation checks. Test MSE is EMLP's: the mean squared error on the original target scale (after
Standardize's un-scaling), averaged over test samples and output components (9 for the inertia
tensor), the scale of the EMLP paper's figure 5 and of its results CSV.

    python benchmarks/networks.py [--sizes 30,300,3000] [--seeds 3] [--tasks ...] [--models ...]
    python benchmarks/networks.py --report-only     # table and plots from the records

Every run is a fresh process; its record is appended to ``benchmarks/results/networks.json``
(runs already recorded are skipped); then ``networks.md`` and ``networks-<task>.png`` are written.
On this 2-core CPU a run of one of our models takes 2 s to 9 minutes; the whole table for our
models and the MLP (30, 300, 3000 and 30000 samples, 3 seeds) about 1.5 hours. EMLP takes
26-37 s an epoch at 3000 samples on one core (``--timing``), so one of its runs at 3000 (300
epochs) takes 2-3 hours here, one at 300 about an hour and one at 30 10-25 minutes; the records
hold its runs at 30 samples and O(5) at 300 (one seed), and the tables show its paper's test MSE
beside them. EMLP's runs are skipped without its virtualenv, or with ``--models`` leaving it out.

    python benchmarks/networks.py --timing 3 --sizes 3000   # s / epoch, 3 processes per model
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
RECORDS = RESULTS / "networks.json"
TIMINGS = RESULTS / "networks-timing.json"
MODELS = ("intertwine-gated", "intertwine-invariant", "mlp", "emlp")
TASK_NAMES = {
    "o5": "O(5)-invariant synthetic",
    "inertia": "O(3) inertia tensor",
    "particle": "O(1,3) particle scattering",
}
# EMLP's published test MSE, the mean of its 3 trials, from its repository's
# experiments/notebooks/synthetic_results_all.csv (commit b80815b): EMLP with the full group
# (O(5), O(3), O(1,3)) and its MLP baseline.
PUBLISHED_EMLP = {
    "o5": {
        30: 0.152,
        100: 0.0408,
        300: 0.0344,
        1000: 0.017,
        3000: 0.031,
        10000: 0.013,
        30000: 0.0273,
    },
    "inertia": {
        30: 4.11,
        100: 1.44,
        300: 0.303,
        1000: 0.136,
        3000: 0.0281,
        10000: 0.018,
        30000: 0.0141,
    },
    "particle": {
        30: 0.54,
        100: 0.00888,
        300: 0.00195,
        1000: 0.00033,
        3000: 0.000266,
        10000: 0.000264,
        30000: 0.000158,
    },
}
PUBLISHED_MLP = {
    "o5": {
        30: 28.1,
        100: 2.83,
        300: 0.248,
        1000: 0.0892,
        3000: 0.0623,
        10000: 0.0616,
        30000: 0.0622,
    },
    "inertia": {30: 13.4, 100: 7.91, 300: 4.94, 1000: 3.24, 3000: 0.84, 10000: 0.154, 30000: 0.112},
    "particle": {
        30: 0.733,
        100: 0.733,
        300: 0.697,
        1000: 0.364,
        3000: 0.0504,
        10000: 0.0166,
        30000: 0.012,
    },
}
# Best published at 3000 samples (read from the papers' figures, about ±20%).
BEST_KNOWN = {
    "o5": (0.0012, "Clifford-group equivariant networks (2023)"),
    "inertia": (0.0024, "invariant scalars (Villar et al. 2021)"),
}


def load() -> list[dict]:
    return json.loads(RECORDS.read_text()) if RECORDS.exists() else []


def save(records: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    key = lambda r: (r["task"], MODELS.index(r["model"]), r["n_train"], r["seed"])  # noqa: E731
    RECORDS.write_text(json.dumps(sorted(records, key=key), indent=1) + "\n")


def run_one(
    model: str, task: str, n: int, seed: int, emlp_python: str, timeout: int, epochs: int = 0
) -> dict:
    """One fresh process: a whole run, or (``epochs`` > 0) a timing of that many epochs."""
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    cap = [str(epochs)] if epochs else []
    if model == "emlp":
        cmd = [emlp_python, str(HERE / "_emlp_regression.py"), task, str(n), str(seed)] + cap
    else:
        script = str(HERE / "_regression_train.py")
        cmd = [sys.executable, script, model, task, str(n), str(seed)] + cap
        env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["?"])[-1][:300])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summary(records: list[dict]) -> dict:
    """(task, model, n) → {"mse": [...], "s_epoch": [...], "params", "epochs", "total": [...]}"""
    out: dict = {}
    for r in records:
        d = out.setdefault((r["task"], r["model"], r["n_train"]), {"mse": [], "s": [], "t": []})
        d["mse"].append(r["test_mse"])
        d["s"].append(r["seconds_per_epoch"])
        d["t"].append(r.get("seconds_total", np.nan))
        d["params"], d["epochs"] = r["parameters"], r["epochs"]
    return out


def write_table(records: list[dict]) -> str:
    s = summary(records)
    lines = [
        "Test MSE on EMLP's scale (original targets, mean over test samples and components): "
        "mean (min-max) over seeds; s / epoch: median over epochs after the first, mean over "
        "seeds; total: seconds of the whole run. EMLP (paper): mean of the 3 trials in EMLP's "
        "results CSV.",
        "",
        "| task | n | model | seeds | test MSE | EMLP (paper) | s / epoch | total s | parameters |",
        "|---|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for task in TASK_NAMES:
        for n in sorted({k[2] for k in s if k[0] == task}):
            for model in MODELS:
                d = s.get((task, model, n))
                if d is None:
                    continue
                m = np.asarray(d["mse"])
                pub = PUBLISHED_EMLP[task].get(n)
                lines.append(
                    f"| {task} | {n} | {model} | {len(m)} | {m.mean():.3g} "
                    f"({m.min():.3g}-{m.max():.3g}) | {'-' if pub is None else f'{pub:.3g}'} | "
                    f"{np.mean(d['s']):.3g} | {np.nanmean(d['t']):.0f} | {d['params']} |"
                )
    text = "\n".join(lines) + "\n"
    (RESULTS / "networks.md").write_text(text)
    (RESULTS / "networks-3000.md").write_text(table_at(s, 3000))
    return text


def table_at(s: dict, n: int) -> str:
    """The README's table: every model at ``n`` training samples, a column per task; seconds per
    epoch from the timing processes (``--timing``) where there are some, else from the runs."""
    timed: dict = {}
    if TIMINGS.exists():
        for t in json.loads(TIMINGS.read_text()):
            timed.setdefault((t["task"], t["model"], t["n_train"]), []).append(
                (t["seconds_per_epoch"], t["parameters"])
            )
    head = "| model | " + " | ".join(TASK_NAMES.values()) + " | s / epoch | parameters |"
    lines = [head, "|---|" + "---:|" * (len(TASK_NAMES) + 2)]
    for model in MODELS:
        cells, secs, params = [], [], []
        for task in TASK_NAMES:
            d, t = s.get((task, model, n)), timed.get((task, model, n))
            if d is None and t is None:
                cells.append("-")
                continue
            if d is None:
                cells.append(f"{PUBLISHED_EMLP[task][n]:.2g} (paper)" if model == "emlp" else "-")
            else:
                m = np.asarray(d["mse"])
                cells.append(f"{m.mean():.2g} ({len(m)} seed{'s' if len(m) > 1 else ''})")
            sec = np.median([x[0] for x in t]) if t else np.mean(d["s"])  # type: ignore[index]
            secs.append(f"{sec:.2g}")
            params.append(str(t[0][1] if t else d["params"]))  # type: ignore[index]
        if secs:
            name = "emlp (MSE published, timed here)" if model == "emlp" else model
            lines.append(
                f"| {name} | " + " | ".join(cells) + f" | {' / '.join(secs)} | "
                f"{' / '.join(params)} |"
            )
    if not any((t, "emlp", n) in s or (t, "emlp", n) in timed for t in TASK_NAMES):
        pub = [f"{PUBLISHED_EMLP[t][n]:.2g}" if n in PUBLISHED_EMLP[t] else "-" for t in TASK_NAMES]
        lines.append("| EMLP (published) | " + " | ".join(pub) + " | - | - |")
    best = [f"{BEST_KNOWN[t][0]:.2g}" if t in BEST_KNOWN else "-" for t in TASK_NAMES]
    lines.append("| best known | " + " | ".join(best) + " | - | - |")
    return "\n".join(lines) + "\n"


def timing_table(timings: list[dict]) -> str:
    """Seconds per epoch of each model beside EMLP's, from timing processes run back to back."""
    by: dict = {}
    for r in timings:
        by.setdefault((r["task"], r["n_train"], r["model"]), []).append(r["seconds_per_epoch"])
    lines = [
        "Seconds per epoch (median over epochs after the first, in each of the fresh processes "
        "run back to back on the same machine; median (min-max) over processes) and EMLP's "
        "seconds per epoch over ours:",
        "",
        "| task | n | model | processes | s / epoch | EMLP / model |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for (task, n, model), t in sorted(by.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        emlp = by.get((task, n, "emlp"))
        ratio = "-"
        if emlp and model != "emlp":
            ratio = f"{np.median(emlp) / np.median(t):.0f}x"
        lines.append(
            f"| {task} | {n} | {model} | {len(t)} | {np.median(t):.3g} "
            f"({min(t):.3g}-{max(t):.3g}) | {ratio} |"
        )
    text = "\n".join(lines) + "\n"
    (RESULTS / "networks-timing.md").write_text(text)
    return text


def plot(records: list[dict]) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = summary(records)
    paths = []
    styles = {
        "intertwine-gated": ("tab:blue", "o"),
        "intertwine-invariant": ("tab:green", "s"),
        "mlp": ("tab:gray", "v"),
        "emlp": ("tab:red", "D"),
    }
    for task, title in TASK_NAMES.items():
        fig, ax = plt.subplots(figsize=(5.2, 3.8))
        for model, (color, marker) in styles.items():
            ns = sorted(k[2] for k in s if k[0] == task and k[1] == model)
            if not ns:
                continue
            mean = [np.mean(s[(task, model, n)]["mse"]) for n in ns]
            lo = [np.min(s[(task, model, n)]["mse"]) for n in ns]
            hi = [np.max(s[(task, model, n)]["mse"]) for n in ns]
            label = "EMLP (rerun)" if model == "emlp" else model
            ax.plot(ns, mean, marker=marker, color=color, label=label)
            ax.fill_between(ns, lo, hi, color=color, alpha=0.15)
        for pub, color, label in (
            (PUBLISHED_EMLP, "tab:red", "EMLP (paper)"),
            (PUBLISHED_MLP, "tab:gray", "MLP (EMLP paper)"),
        ):
            ns = sorted(pub[task])
            ax.plot(ns, [pub[task][n] for n in ns], ls="--", color=color, alpha=0.6, label=label)
        if task in BEST_KNOWN:
            value, who = BEST_KNOWN[task]
            ax.plot([3000], [value], "k*", ms=10, label=f"best known: {who}")
        ax.set(xscale="log", yscale="log", xlabel="training samples", ylabel="test MSE")
        ax.set_title(title)
        ax.legend(fontsize=6)
        fig.tight_layout()
        path = RESULTS / f"networks-{task}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="30,300,3000", help="training sizes, comma-separated")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0..SEEDS-1")
    p.add_argument("--tasks", default=",".join(TASK_NAMES))
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument(
        "--emlp-python",
        default=os.environ.get("EMLP_PYTHON", str(HERE / ".emlp-venv" / "bin" / "python")),
        help="python of EMLP's virtualenv (default $EMLP_PYTHON or benchmarks/.emlp-venv)",
    )
    p.add_argument("--timeout", type=int, default=3600, help="seconds per run")
    p.add_argument("--report-only", action="store_true", help="only the table and plots")
    p.add_argument(
        "--timing",
        type=int,
        default=0,
        metavar="EPOCHS",
        help="instead of whole runs: time EPOCHS epochs per model (3 processes each, EMLP "
        "too) into results/networks-timing.json",
    )
    args = p.parse_args()
    records = load()
    if args.timing and not args.report_only:
        timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else []
        for task in args.tasks.split(","):
            for n in (int(v) for v in args.sizes.split(",")):
                for model in args.models.split(","):
                    if model == "emlp" and not Path(args.emlp_python).exists():
                        continue
                    for seed in range(args.seeds):
                        try:
                            rec = run_one(
                                model, task, n, seed, args.emlp_python, args.timeout, args.timing
                            )
                        except (RuntimeError, subprocess.TimeoutExpired) as e:
                            print(f"{task} {model} n={n} failed: {e}", flush=True)
                            continue
                        keep = ("task", "model", "n_train", "seconds_per_epoch", "parameters")
                        rec = {k: rec[k] for k in keep} | {"epochs_timed": args.timing}
                        print(json.dumps(rec), flush=True)
                        timings.append(rec)
                        TIMINGS.write_text(json.dumps(timings, indent=1) + "\n")
    if args.timing:
        print(timing_table(json.loads(TIMINGS.read_text())))
        return
    if not args.report_only:
        done = {(r["task"], r["model"], r["n_train"], r["seed"]) for r in records}
        for task in args.tasks.split(","):
            for n in (int(v) for v in args.sizes.split(",")):
                for model in args.models.split(","):
                    if model == "emlp" and not Path(args.emlp_python).exists():
                        print(f"skip emlp: no {args.emlp_python} (bash benchmarks/setup_emlp.sh)")
                        continue
                    for seed in range(args.seeds):
                        if (task, model, n, seed) in done:
                            continue
                        try:
                            rec = run_one(model, task, n, seed, args.emlp_python, args.timeout)
                        except (RuntimeError, subprocess.TimeoutExpired) as e:
                            print(f"{task} {model} n={n} seed={seed} failed: {e}", flush=True)
                            continue
                        print(json.dumps(rec), flush=True)
                        records.append(rec)
                        save(records)
    print(write_table(records))
    if TIMINGS.exists():
        print(timing_table(json.loads(TIMINGS.read_text())))
    for path in plot(records):
        print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
