"""The figures every benchmark reports: a median with its min-max, and interleaved timings."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np


def spread(values: list[float]) -> dict:
    """{"median", "min", "max"} of the values (e.g. one per fresh process)."""
    return {"median": float(np.median(values)), "min": min(values), "max": max(values)}


def fmt(s: dict, spec: str = ".3g", unit: str = "") -> str:
    """'median (min-max)' of a :func:`spread`."""
    return f"{s['median']:{spec}}{unit} ({s['min']:{spec}}-{s['max']:{spec}})"


def interleaved(f: Callable[[], object], g: Callable[[], object], repeats: int):
    """Median ms of f() and g() (each must block until its result is ready), after one warm-up
    call each, timed alternately so that drift hits both alike."""
    f()
    g()
    tf, tg = [], []
    for _ in range(repeats):
        for fn, out in ((f, tf), (g, tg)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return 1000 * float(np.median(tf)), 1000 * float(np.median(tg))


def spawn(script: str, args: list, timeout: float) -> dict:
    """Run ``script --child <args as JSON>`` in a fresh process; its last stdout line is a JSON
    record. A timeout or a failure becomes ``{"timeout": s}`` or ``{"error": last stderr line}``."""
    cmd = [sys.executable, script, "--child", json.dumps(args)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:160]}
    return json.loads(proc.stdout.strip().splitlines()[-1])
