"""The rank of a float constraint matrix: a documented tolerance, and the gap it falls in.

Generators with float entries (a custom action written with rounded decimals) give a constraint
matrix M that is only near the exact one: the intended intertwiners are *approximate* null
vectors, with singular values of the size of the rounding, not 0. So the rank is decided by a
relative tolerance (Golub & Van Loan, *Matrix Computations*, §5.4.1, "numerical rank"): the
singular values σ_1 ≥ σ_2 ≥ … of M count in the rank when σ_i > tol · σ_1. The decision is only
as good as the gap around it, so the result carries that gap (:class:`RankGap`): the smallest
relative singular value kept, the largest one dropped, and how many more null vectors a looser
tolerance (``LOOSER`` times ``tol``) would give. A basis whose gap is not clear says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

DEFAULT_TOL = 1e-6  # relative: rounding at 6 decimals or finer is within it
CLEAR_GAP = 1e3  # smallest kept / largest dropped at least this: a clear decision
LOOSER = 1e3  # the looser tolerance that is tried for a warning


@dataclass(frozen=True)
class RankGap:
    """The singular values on either side of a numerical rank decision, relative to σ_1.

    ``smallest_kept``: σ_r / σ_1 (None when the rank r is 0); ``largest_dropped``: σ_(r+1) / σ_1
    (None when nothing is dropped); ``looser_extra``: how many more null vectors the tolerance
    ``LOOSER · tol`` gives.
    """

    tol: float
    smallest_kept: float | None
    largest_dropped: float | None
    looser_extra: int = 0

    @property
    def ratio(self) -> float:
        """smallest kept / largest dropped (inf when either side is empty or exactly 0)."""
        if self.smallest_kept is None or not self.largest_dropped:
            return float("inf")
        return self.smallest_kept / self.largest_dropped

    @property
    def clear(self) -> bool:
        return self.ratio >= CLEAR_GAP and self.looser_extra == 0

    def warning(self) -> str | None:
        """One line when the rank decision is not clear, else None."""
        if self.looser_extra:
            return (
                f"a looser tolerance (--tol {self.tol * LOOSER:g}) gives {self.looser_extra} "
                f"more intertwiner(s): the generators may be rounded more coarsely than "
                f"--tol {self.tol:g} assumes"
            )
        if self.ratio < CLEAR_GAP:
            return (
                f"no clear gap in the singular values at --tol {self.tol:g} (smallest kept "
                f"{self.smallest_kept:.2e}, largest dropped {self.largest_dropped:.2e}); "
                f"the dimension depends on the tolerance"
            )
        return None

    def to_json(self) -> dict:
        return {
            "tol": self.tol,
            "smallest_kept": self.smallest_kept,
            "largest_dropped": self.largest_dropped,
            "looser_extra": self.looser_extra,
        }

    def to_text(self) -> str:
        kept = "none" if self.smallest_kept is None else f"{self.smallest_kept:.2e}"
        dropped = "none" if self.largest_dropped is None else f"{self.largest_dropped:.2e}"
        return (
            f"rank gap at tol {self.tol:g}: smallest singular value kept {kept}, "
            f"largest dropped {dropped} (relative to the largest)"
        )


def check_tol(tol: float) -> float:
    """A valid relative tolerance, or SolverError naming the range."""
    from ..errors import SolverError

    if not (isinstance(tol, (int, float)) and 0 < float(tol) < 1):
        raise SolverError(f"tol must be a relative tolerance in (0, 1), not {tol!r}; e.g. 1e-6")
    return float(tol)


def decide(sv: np.ndarray, s: int, tol: float) -> tuple[int, RankGap]:
    """(rank, gap) for the singular values ``sv`` (descending) of a matrix with s columns."""
    top = float(sv[0]) if sv.size else 0.0
    rel = np.zeros(s)
    if top > 0:
        rel[: sv.size] = sv / top
    rank = int(np.sum(rel > tol))
    looser = int(np.sum(rel > tol * LOOSER))
    gap = RankGap(
        tol=tol,
        smallest_kept=float(rel[rank - 1]) if rank else None,
        largest_dropped=float(rel[rank]) if rank < s else None,
        looser_extra=rank - looser,
    )
    return rank, gap


def float_nullspace(
    m: sp.csr_array, s: int, tol: float = DEFAULT_TOL
) -> tuple[np.ndarray, RankGap]:
    """Orthonormal rows spanning the numerical nullspace of M (k × s) and the rank gap."""
    a = sp.csr_array(m).toarray().astype(np.float64)
    if a.shape[0] > 2 * s:
        a = scipy.linalg.qr(a, mode="r", overwrite_a=True, check_finite=False)[0][:s]
    if a.shape[0] == 0:
        return np.eye(s), RankGap(tol, None, None)
    _, sv, vt = np.linalg.svd(a, full_matrices=True)
    rank, gap = decide(sv, s, tol)
    return vt[rank:], gap


def float_residual_tol(tol: float, n: int) -> float:
    """The residual a basis of float generators may have in the relative max-norm check: the
    null vectors of a rank decision at ``tol`` are exact only up to σ ≤ tol · σ_1, and the
    2-norms behind σ exceed the max-norms of the check by up to √n (n = out · in)."""
    return max(1e-10, 10.0 * tol * float(np.sqrt(max(n, 1))))


def pivoted_rows(v: np.ndarray) -> np.ndarray:
    """A readable basis of the row space of float rows v (k × s): the identity on k columns
    chosen by QR with column pivoting (well conditioned), the rest solved for. A reduced echelon
    form would pick its pivots by column order and divide by entries of the size of the rounding
    when the generators are rounded."""
    if v.shape[0] == 0:
        return v
    _, _, perm = scipy.linalg.qr(v, mode="economic", pivoting=True)
    piv = np.sort(perm[: v.shape[0]])
    out = np.linalg.solve(v[:, piv], v)
    out[:, piv] = np.eye(v.shape[0])
    out[np.abs(out) < 1e-13] = 0.0
    return out
