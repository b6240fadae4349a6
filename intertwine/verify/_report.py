"""The value a verification returns: one line per generator (or word), and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Check:
    """One equivariance check: a generator, a word in the generators, or a Lie derivative."""

    name: str
    kind: str  # "discrete" | "word" | "lie"
    error: float  # relative error
    passed: bool


@dataclass
class Report:
    """The outcome of :func:`intertwine.verify`; truthy when every check passed."""

    target: str
    group: str
    rep_in: str
    rep_out: str
    tol: float
    checks: list[Check]
    distance: float | None = None  # matrices: relative distance to the nearest intertwiner
    nearest: np.ndarray | None = field(default=None, repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def equivariant(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    @property
    def max_error(self) -> float:
        return max((c.error for c in self.checks), default=0.0)

    def __bool__(self) -> bool:
        return self.equivariant

    def __str__(self) -> str:
        verdict = "EQUIVARIANT" if self.equivariant else "NOT EQUIVARIANT"
        lines = [
            f"{self.target}: {self.group}: {self.rep_in} -> {self.rep_out}: {verdict} "
            f"(tol {self.tol:g})"
        ]
        width = max((len(c.name) for c in self.checks), default=4)
        for c in self.checks:
            mark = "ok  " if c.passed else "FAIL"
            lines.append(f"  {mark} {c.name:<{width}}  {c.kind:<8}  relative error {c.error:.2e}")
        if self.distance is not None:
            lines.append(
                f"  distance to the nearest equivariant matrix: {self.distance:.2e} (relative)"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "group": self.group,
            "in": self.rep_in,
            "out": self.rep_out,
            "tol": self.tol,
            "equivariant": self.equivariant,
            "max_error": self.max_error,
            "distance": self.distance,
            "checks": [c.__dict__ for c in self.checks],
        }
