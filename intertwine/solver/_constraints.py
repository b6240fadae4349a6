"""The constraint W X_in = X_out W, one pair (X_in, X_out) per generator.

With W flattened row-major (w = vec(W), w[i·d_in + j] = W[i, j]) the constraint is the linear
system C w = 0 with

    C = I_out ⊗ X_inᵀ − X_out ⊗ I_in            (N × N, N = d_out · d_in).

Rational generators are scaled to integers first (X = A/p, Y = B/q gives q·(I ⊗ Aᵀ) − p·(B ⊗ I)),
so exact work stays in integer sparse matrices (int64 where a bound proves it cannot overflow,
Python integers otherwise: see ``_intmatrix``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import lcm

import numpy as np
import scipy.sparse as sp

from ..core import Matrix, Rep
from ..errors import RepError
from ._intmatrix import IntMatrix


@dataclass(frozen=True)
class Constraint:
    """One generator's pair of matrices; ``helper`` marks known group elements beyond generators."""

    name: str
    kind: str
    x_in: Matrix
    x_out: Matrix
    helper: bool = False

    @property
    def domain(self) -> str:
        from ..core import join_domains as _join

        return _join(self.x_in.domain, self.x_out.domain)

    def monomial(self):
        a, b = self.x_in.monomial(), self.x_out.monomial()
        return None if a is None or b is None or self.kind != "discrete" else (a, b)


def constraints(rep_in: Rep, rep_out: Rep) -> list[Constraint]:
    """The generator pairs, then the helper pairs (which add no information, only speed)."""
    if rep_in.action != rep_out.action:
        raise RepError(
            f"IN and OUT must be reps of the same action ({rep_in.action.name} vs "
            f"{rep_out.action.name})"
        )
    action = rep_in.action
    out = [
        Constraint(g.name, g.kind, a, b)
        for g, a, b in zip(action.generators, rep_in.generators, rep_out.generators)
    ]
    out += [
        Constraint(f"helper{k}", "discrete", a, b, helper=True)
        for k, (a, b) in enumerate(zip(rep_in.helpers, rep_out.helpers))
    ]
    return out


def _integer(m: Matrix) -> tuple[IntMatrix, int]:
    """(A, d) with m = A / d and A an integer matrix (ZZ and QQ only), never wrapped."""
    if m.domain == "ZZ":
        return IntMatrix.from_scipy(m.to_scipy(np.int64)), 1
    den = 1
    for v in m.vals:
        den = lcm(den, int(v.q))
    return IntMatrix(m.shape, m.rows, m.cols, [int(v * den) for v in m.vals]), den


def operator(c: Constraint, exact: bool):
    """C = I_out ⊗ X_inᵀ − X_out ⊗ I_in: an :class:`IntMatrix` (scaled to integers, exact at
    any size of entry) when exact, else a float64 scipy matrix."""
    d_in, d_out = c.x_in.shape[0], c.x_out.shape[0]
    if exact:
        a, p = _integer(c.x_in)
        b, q = _integer(c.x_out)
        eye_out = IntMatrix.from_scipy(sp.identity(d_out, dtype=np.int64, format="csr"))
        eye_in = IntMatrix.from_scipy(sp.identity(d_in, dtype=np.int64, format="csr"))
        return eye_out.kron(a.T * q) - (b * p).kron(eye_in)
    left = sp.kron(sp.identity(d_out, format="csr"), c.x_in.to_scipy().T, format="csr")
    right = sp.kron(c.x_out.to_scipy(), sp.identity(d_in, format="csr"), format="csr")
    return sp.csr_array(left - right, dtype=np.float64)
