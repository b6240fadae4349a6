"""Clebsch–Gordan and irreps benchmark: intertwine beside e3nn-jax, fresh processes.

Cases (each the median of ``--repeats`` fresh processes with its min-max; imports not timed):
- every SO(3) Clebsch–Gordan tensor with l1, l2, l3 <= 6 (175 triples), exact for intertwine
  (``it.clebsch_gordan``), float64 for e3nn-jax (``e3nn_jax.clebsch_gordan``);
- Hom between sums of irreps by Schur's lemma (``it.solve``), intertwine only (e3nn-jax builds
  its linear layers from the irreps and has no solver to compare).

e3nn-jax lives in its own virtualenv (``python -m venv /work/venv-e3nn &&
/work/venv-e3nn/bin/pip install e3nn-jax``); set E3NN_PYTHON to use another, the column says
"not installed" otherwise.

    python benchmarks/clebsch_gordan.py [--repeats 3]

Writes benchmarks/results/clebsch_gordan.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _stats import fmt, spread  # noqa: E402

E3NN_PYTHON = os.environ.get("E3NN_PYTHON", "/work/venv-e3nn/bin/python")
LMAX = 6
SCHUR_CASES = [
    ("O(3)", "16x0e + 16x1o", "8x1o"),
    ("O(3)", "64x0e + 64x1o + 32x2e + 16x3o", "64x0e + 64x1o + 32x2e + 16x3o"),
]


def _triples():
    return [
        (a, b, c)
        for a in range(LMAX + 1)
        for b in range(LMAX + 1)
        for c in range(abs(a - b), min(a + b, LMAX) + 1)
    ]


def worker(tool: str, case: str) -> dict:
    """One measurement in this (fresh) process."""
    if tool == "e3nn":
        import jax

        jax.config.update("jax_enable_x64", True)
        import e3nn_jax

        start = time.perf_counter()
        for t in _triples():
            e3nn_jax.clebsch_gordan(*t)
        return {"seconds": time.perf_counter() - start, "count": len(_triples())}
    import intertwine as it

    if case == "cg":
        start = time.perf_counter()
        so3 = it.action("SO(3)")
        exact = all(it.clebsch_gordan(so3, *(f"1x{l}" for l in t)).exact for t in _triples())
        return {"seconds": time.perf_counter() - start, "count": len(_triples()), "exact": exact}
    group, rep_in, rep_out = SCHUR_CASES[int(case)]
    start = time.perf_counter()
    basis = it.solve(group, rep_in, rep_out, cache=False)
    return {"seconds": time.perf_counter() - start, "dim": basis.dim, "method": basis.method}


def measure(python: str, tool: str, case: str, repeats: int) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYTHONPATH=str(ROOT))
    runs = []
    for _ in range(repeats):
        cmd = [python, __file__, "--worker", tool, case]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {**runs[0], "seconds": spread([r["seconds"] for r in runs]), "repeats": repeats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    has_e3nn = Path(E3NN_PYTHON).exists()
    rows = []
    ours = measure(sys.executable, "ours", "cg", args.repeats)
    theirs = measure(E3NN_PYTHON, "e3nn", "cg", args.repeats) if has_e3nn else None
    rows.append(
        {"case": f"SO(3) Clebsch-Gordan, all l1, l2, l3 <= {LMAX}", "ours": ours, "e3nn": theirs}
    )
    for i, (g, a, b) in enumerate(SCHUR_CASES):
        rows.append(
            {
                "case": f"{g}: {a} -> {b} (solve)",
                "ours": measure(sys.executable, "ours", str(i), args.repeats),
                "e3nn": None,
            }
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "clebsch_gordan.json").write_text(json.dumps(rows, indent=1))
    lines = [
        f"CPU; seconds, median (min-max) of {args.repeats} fresh processes, imports not timed.",
        "",
        "| case | intertwine (s) | e3nn-jax (s) | notes |",
        "|---|---:|---:|---|",
    ]
    for r in rows:
        o, t = r["ours"], r["e3nn"]
        ours_s = fmt(o["seconds"]) if "seconds" in o else o.get("error", "-")
        if t is None:
            theirs_s = "not installed" if not has_e3nn and "Clebsch" in r["case"] else "-"
        else:
            theirs_s = fmt(t["seconds"]) if "seconds" in t else t.get("error", "-")
        note = (
            f"{o['count']} tensors, exact: {o['exact']}"
            if "count" in o
            else f"dim {o.get('dim')}, method {o.get('method')}"
        )
        lines.append(f"| {r['case']} | {ours_s} | {theirs_s} | {note} |")
    (out / "clebsch_gordan.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
