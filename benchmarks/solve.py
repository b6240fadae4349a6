"""Solve-time benchmark: intertwine against EMLP 1.0.3, side by side in one run.

Each case runs cold in ``--repeats`` fresh processes for each tool (no cache, EMLP's in-memory
cache empty), recording the median solve time with its min-max, the basis dimension and the
processes' peak resident memory (Python and every import included: intertwine's solve imports no
JAX; EMLP imports JAX and objax). A case that times out is not repeated. EMLP lives in its own
virtualenv (``bash benchmarks/setup_emlp.sh``).

    python benchmarks/solve.py [--repeats 3] [--emlp-timeout 300] [--only S(10)] [--skip-emlp]
                               [--keep-emlp]

``--keep-emlp`` and ``--skip-emlp`` rerun intertwine's column only and keep EMLP's from the last
solve.json with the date it was measured (a case EMLP never ran says "skipped").

Cases in ``ORBIT_BASELINE_CASES`` (the 6-cube's automorphism group on V**2, 16.8M unknowns) also
time the orbit stage alone against a plain ``scipy.sparse.csgraph.connected_components`` over the
same index pairs (``_csgraph_baseline.py``), each the median of ``--repeats`` fresh processes.

Writes benchmarks/results/solve.json and benchmarks/results/solve.md (the table in
docs/benchmarks.md).
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _cases import BASELINE_CASES as ORBIT_BASELINE_CASES  # noqa: E402
from _cases import FLOAT_BASELINE, SOLVE_CASES  # noqa: E402
from _stats import spread  # noqa: E402

EMLP_PYTHON = HERE / ".emlp-venv" / "bin" / "python"


def case_name(case) -> str:
    group = case[0].replace(f"@{HERE}{os.sep}", "@")  # custom group files by their own name
    return f"{group}: {case[1]} -> {case[2]}"


def run(python: str, tool: str, case, timeout: float) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu", INTERTWINE_CACHE_DIR=str(HERE / ".bench-cache"))
    if tool == "csgraph":
        cmd = [python, str(HERE / "_csgraph_baseline.py"), *case]
    else:
        cmd = [python, str(HERE / "_run_case.py"), tool, *case, str(HERE)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_repeated(python: str, tool: str, case, timeout: float, repeats: int) -> dict:
    """The median of ``repeats`` fresh processes (min and max kept); stops at a failure."""
    runs = []
    for _ in range(repeats):
        r = run(python, tool, case, timeout)
        if "seconds" not in r:
            return r if not runs else {**runs[0], "note": f"a repeat failed: {r}"}
        runs.append(r)
    times = spread([r["seconds"] for r in runs])
    out = dict(runs[0])
    out.update(
        seconds=times["median"],
        min=times["min"],
        max=times["max"],
        repeats=len(runs),
        peak_mb=max(r["peak_mb"] for r in runs),
    )
    return out


def fmt_time(r: dict) -> str:
    if "seconds" in r and r.get("repeats", 1) > 1:
        return f"{_g(r['seconds'])} ({_g(r['min'])}-{_g(r['max'])})"
    if "seconds" in r:
        return f"{_g(r['seconds'])}"
    if "timeout" in r:
        return f"> {r['timeout']:.0f} (timeout)"
    if r.get("unsupported"):
        return f"cannot express ({r.get('why', 'monoid')})"
    if r.get("skipped"):
        return "skipped"
    if "error" in r:
        return "fails: " + r["error"].split(":", 1)[-1].strip()[:60]
    return "-"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--emlp-timeout", type=float, default=300.0)
    p.add_argument("--only", help="run only cases whose group contains this text")
    p.add_argument("--skip-emlp", action="store_true")
    p.add_argument("--repeats", type=int, default=3, help="fresh processes per case and tool")
    p.add_argument(
        "--keep-emlp", action="store_true", help="rerun ours; keep EMLP's column from solve.json"
    )
    p.add_argument("--table-only", action="store_true", help="rewrite solve.md from solve.json")
    p.add_argument(
        "--float-timeout", type=float, default=120.0, help="limit of the float-route baseline"
    )
    args = p.parse_args()
    if args.table_only:
        saved = json.loads((HERE / "results" / "solve.json").read_text())
        write_table(HERE / "results", saved["rows"], saved["meta"], saved.get("orbit_baseline"))
        return
    if not (args.skip_emlp or args.keep_emlp) and not EMLP_PYTHON.exists():
        sys.exit("EMLP is not installed: run 'bash benchmarks/setup_emlp.sh' or pass --skip-emlp")
    previous = (
        json.loads((HERE / "results" / "solve.json").read_text())
        if (HERE / "results" / "solve.json").exists()
        else {"meta": {}, "rows": []}
    )
    keep = args.keep_emlp or args.skip_emlp  # EMLP not rerun: its results keep their own date
    kept = {r["case"]: r["emlp"] for r in previous["rows"]} if keep else {}
    rows = []
    for case in SOLVE_CASES:
        if args.only and args.only not in case[0]:
            continue
        name = case_name(case)
        ours = run_repeated(sys.executable, "intertwine", case, 600, args.repeats)
        if keep:
            theirs = kept.get(name, {"skipped": True})
        else:
            theirs = run_repeated(str(EMLP_PYTHON), "emlp", case, args.emlp_timeout, args.repeats)
        if "seconds" in ours and "seconds" in theirs:
            ratio = f"{theirs['seconds'] / ours['seconds']:.0f}x"
            if "min" in ours:  # the spread: slowest of ours against fastest of theirs, and back
                lo = theirs.get("min", theirs["seconds"]) / ours["max"]
                hi = theirs.get("max", theirs["seconds"]) / ours["min"]
                ratio += f" ({lo:.0f}-{hi:.0f})"
        elif "seconds" in ours and "timeout" in theirs:
            ratio = f"> {theirs['timeout'] / ours['seconds']:.0f}x"
        else:
            ratio = "n/a"
        row = {
            "case": name,
            "intertwine": ours,
            "emlp": theirs,
            "speedup": ratio,
        }
        if case[0] in FLOAT_BASELINE:  # the same solver forced onto the float SVD route
            row["float_route"] = run_repeated(
                sys.executable, "intertwine-numeric", case, args.float_timeout, args.repeats
            )
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
        order = [case_name(c) for c in SOLVE_CASES]
        rows = [old[c] for c in order if c in old]
    today = time.strftime("%Y-%m-%d")
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "emlp_timeout_s": args.emlp_timeout,
        "repeats": args.repeats,
        "intertwine_measured": today,
        "emlp_measured": previous["meta"].get("emlp_measured", "an earlier run") if keep else today,
        "emlp_repeats": previous["meta"].get("emlp_repeats", 1) if keep else args.repeats,
    }
    orbit = {r["case"]: r for r in previous.get("orbit_baseline", [])}
    for case in ORBIT_BASELINE_CASES:
        if args.only and args.only not in case[0]:
            continue
        orbit[case_name(case)] = run_orbit_baseline(case, args.repeats, today)
    saved = {"meta": meta, "rows": rows, "orbit_baseline": list(orbit.values())}
    (out / "solve.json").write_text(json.dumps(saved, indent=1))
    write_table(out, rows, meta, saved["orbit_baseline"])


def run_orbit_baseline(case, repeats: int, today: str) -> dict:
    """The orbit stage alone and scipy's connected components over the same pairs, each in
    ``repeats`` fresh processes; the ratio of the medians, with the range slowest-to-fastest."""
    stage = run_repeated(sys.executable, "orbit", case, 1200, repeats)
    scipy_cc = run_repeated(sys.executable, "csgraph", case, 1200, repeats)
    row = {"case": case_name(case), "orbit": stage, "csgraph": scipy_cc, "measured": today}
    if "seconds" in stage and "seconds" in scipy_cc:
        lo = scipy_cc["min"] / stage["max"]
        hi = scipy_cc["max"] / stage["min"]
        row["ratio"] = f"{scipy_cc['seconds'] / stage['seconds']:.2f}x ({lo:.2f}-{hi:.2f})"
    print(
        f"{row['case']:<28} orbit stage {fmt_time(stage):>18} s  csgraph "
        f"{fmt_time(scipy_cc):>18} s  {row.get('ratio', 'n/a')}",
        flush=True,
    )
    return row


def _g(x: float) -> str:
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def _mb(r: dict) -> str:
    return f"{r['peak_mb']:.0f}" if "peak_mb" in r else "-"


def write_table(out: Path, rows: list, meta: dict, orbit: list | None = None) -> None:
    lines = [
        f"intertwine: median of {meta.get('repeats', 1)} fresh processes (min-max), measured "
        f"{meta.get('intertwine_measured', '?')}; EMLP: {meta.get('emlp_repeats', 1)} fresh "
        f"process(es) a case, measured {meta.get('emlp_measured', '?')}. Speedup: ratio of the "
        f"medians (range: slowest against fastest).",
        "",
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
    baseline = [r for r in rows if "float_route" in r]
    if baseline:
        lines += [
            "",
            "Rotations by 2π/k: the exact route by weights (the default) against the same solver "
            "forced onto the float route (`--method numeric`: dense SVD, then rounding to "
            "rationals), same processes and conventions.",
            "",
            "| case | exact by weights (s) | float route (s) | speedup | exact (ours / float) |",
            "|---|---:|---:|---:|---|",
        ]
        for r in baseline:
            o, f = r["intertwine"], r["float_route"]
            ratio = (
                f"{f['seconds'] / o['seconds']:.0f}x"
                if "seconds" in f and "seconds" in o
                else (
                    f"> {f['timeout'] / o['seconds']:.0f}x"
                    if "timeout" in f and "seconds" in o
                    else "n/a"
                )
            )
            lines.append(
                f"| {r['case']} | {fmt_time(o)} | {fmt_time(f)} | {ratio} | "
                f"{o.get('exact', '-')} / {f.get('exact', '-')} |"
            )
    if orbit:
        lines += [
            "",
            "The orbit stage alone against a plain scipy.sparse.csgraph.connected_components over "
            "the same index pairs (benchmarks/_csgraph_baseline.py); median of fresh processes "
            "(min-max); ratio > 1: the orbit stage is faster.",
            "",
            "| case | orbit stage (s) | csgraph baseline (s) | ratio | orbits | "
            "peak MB (orbit / csgraph) | measured |",
            "|---|---:|---:|---:|---|---|---|",
        ]
        for r in orbit:
            o, c = r["orbit"], r["csgraph"]
            lines.append(
                f"| {r['case']} | {fmt_time(o)} | {fmt_time(c)} | {r.get('ratio', 'n/a')} | "
                f"{o.get('dim', '-')} / {c.get('dim', '-')} | {_mb(o)} / {_mb(c)} | "
                f"{r['measured']} |"
            )
    (out / "solve.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
