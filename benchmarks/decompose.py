"""Decomposition into irreducibles: seconds per case, median of fresh processes with the spread.

    python benchmarks/decompose.py [--processes 3] [--timeout 600]

Cases: SO(3) and O(3) tensor powers (the Casimir and weight-spinning method, exact) and the
regular reps of Z(n), Dih(n), S(4), A(5), S(5), S(6) (the commutant method; exact where the isotypic
projectors are rational, float64 with a character check otherwise), built from the enumerated
group as permutation matrices. Each figure is timed in-process after imports and parsing, in a
fresh process per repeat. Writes benchmarks/results/decompose-cpu.json and .md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _stats import fmt, spawn, spread  # noqa: E402

CASES = [
    ("SO(3)", "V**4"),
    ("SO(3)", "V**6"),
    ("O(3)", "V**6"),
    ("Z(60)", "R"),
    ("Z(360)", "R"),
    ("Dih(12)", "R"),
    ("S(4)", "R"),
    ("A(5)", "R"),
    ("S(5)", "R"),
    ("S(6)", "R"),
]


def child(group: str, rep: str) -> dict:
    import intertwine as it
    from intertwine.reps._characters import regular_rep

    action = it.action(group)
    r = regular_rep(action) if rep == "R" else it.rep(action, rep)
    t = time.perf_counter()
    dec = it.decompose(action, r)
    return {
        "seconds": time.perf_counter() - t,
        "dim": dec.dim,
        "exact": dec.exact,
        "irreps": len(dec.irreps),
        "summary": dec.summary() if len(dec.irreps) <= 8 else f"{len(dec.irreps)} classes",
    }


def _spawn(args: list[str], timeout: float) -> dict:
    return spawn(__file__, args, timeout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--child")
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(*json.loads(args.child))))
        return
    rows = []
    for group, rep in CASES:
        runs = [_spawn([group, rep], args.timeout) for _ in range(args.processes)]
        bad = [r for r in runs if "seconds" not in r]
        row = {"case": f"{group}: {rep}", **(runs[0] if not bad else bad[0])}
        if not bad:
            row["seconds"] = spread([r["seconds"] for r in runs])
        rows.append(row)
        print(json.dumps(row), flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    meta = {"python": platform.python_version(), "processes": args.processes}
    (out / "decompose-cpu.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"CPU (2 shared cores); median of {args.processes} fresh processes (min-max).",
        "",
        "| case | dim | exact | seconds | summary |",
        "|---|---:|---|---|---|",
    ]
    for r in rows:
        secs = (
            fmt(r["seconds"], ".3g", " s")
            if isinstance(r.get("seconds"), dict)
            else str(r.get("error", r.get("timeout")))
        )
        lines.append(
            f"| {r['case']} | {r.get('dim', '')} | {r.get('exact', '')} | {secs} | "
            f"{r.get('summary', '')} |"
        )
    (out / "decompose-cpu.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
