"""The figures every benchmark reports: a median with its min-max, and interleaved timings."""

from __future__ import annotations

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
