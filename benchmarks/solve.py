"""Solve-time benchmark: intertwine against EMLP 1.0.3, side by side in one run.

Each case runs cold in a fresh process for each tool (no cache, EMLP's in-memory cache empty),
recording the solve time, the basis dimension and the process's peak memory (which includes
importing JAX). EMLP lives in its own virtualenv (``bash benchmarks/setup_emlp.sh``).

    python benchmarks/solve.py [--emlp-timeout 300] [--only S(10)] [--skip-emlp]

Writes benchmarks/results/solve.json and benchmarks/results/solve.md (the README table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _cases import SOLVE_CASES  # noqa: E402

EMLP_PYTHON = HERE / ".emlp-venv" / "bin" / "python"


def run(python: str, tool: str, case, timeout: float) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu", INTERTWINE_CACHE_DIR=str(HERE / ".bench-cache"))
    cmd = [python, str(HERE / "_run_case.py"), tool, *case, str(HERE)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_time(r: dict) -> str:
    if "seconds" in r:
        return f"{r['seconds']:.3f}"
    if "timeout" in r:
        return f"> {r['timeout']:.0f} (timeout)"
    if r.get("unsupported"):
        return "cannot express (monoid)"
    if "error" in r:
        return "fails: " + r["error"].split(":", 1)[-1].strip()[:60]
    return "-"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--emlp-timeout", type=float, default=300.0)
    p.add_argument("--only", help="run only cases whose group contains this text")
    p.add_argument("--skip-emlp", action="store_true")
    p.add_argument("--table-only", action="store_true", help="rewrite solve.md from solve.json")
    args = p.parse_args()
    if args.table_only:
        rows = json.loads((HERE / "results" / "solve.json").read_text())["rows"]
        write_table(HERE / "results", rows)
        return
    if not args.skip_emlp and not EMLP_PYTHON.exists():
        sys.exit("EMLP is not installed: run 'bash benchmarks/setup_emlp.sh' or pass --skip-emlp")
    rows = []
    for case in SOLVE_CASES:
        if args.only and args.only not in case[0]:
            continue
        ours = run(sys.executable, "intertwine", case, timeout=600)
        theirs = (
            {"skipped": True}
            if args.skip_emlp
            else run(str(EMLP_PYTHON), "emlp", case, timeout=args.emlp_timeout)
        )
        if "seconds" in ours and "seconds" in theirs:
            ratio = f"{theirs['seconds'] / ours['seconds']:.0f}x"
        elif "seconds" in ours and "timeout" in theirs:
            ratio = f"> {theirs['timeout'] / ours['seconds']:.0f}x"
        else:
            ratio = "n/a"
        row = {
            "case": f"{case[0]}: {case[1]} -> {case[2]}",
            "intertwine": ours,
            "emlp": theirs,
            "speedup": ratio,
        }
        rows.append(row)
        print(
            f"{row['case']:<28} ours {fmt_time(ours):>10} s  EMLP {fmt_time(theirs):>24} s  "
            f"{ratio:>8}  dim {ours.get('dim')}/{theirs.get('dim', '-')}",
            flush=True,
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    if args.only and (out / "solve.json").exists():  # merge a partial run into the full table
        old = {r["case"]: r for r in json.loads((out / "solve.json").read_text())["rows"]}
        old.update({r["case"]: r for r in rows})
        order = [f"{c[0]}: {c[1]} -> {c[2]}" for c in SOLVE_CASES]
        rows = [old[c] for c in order if c in old]
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "emlp_timeout_s": args.emlp_timeout,
    }
    (out / "solve.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    write_table(out, rows)


def _mb(r: dict) -> str:
    return f"{r['peak_mb']:.0f}" if "peak_mb" in r else "-"


def write_table(out: Path, rows: list) -> None:
    lines = [
        "| case | intertwine (s) | EMLP 1.0.3 (s) | speedup | dim (ours / EMLP) | "
        "peak MB (ours / EMLP) | method |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        o, t = r["intertwine"], r["emlp"]
        lines.append(
            f"| {r['case']} | {fmt_time(o)} | {fmt_time(t)} | {r['speedup']} | "
            f"{o.get('dim', '-')} / {t.get('dim', '-')} | {_mb(o)} / {_mb(t)} | "
            f"{o.get('method', '-')} |"
        )
    (out / "solve.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
