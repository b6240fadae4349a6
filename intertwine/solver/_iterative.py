"""The iterative stage with a certified dimension: null(M) from the sparse Gram matrix G = MᵀM.

Lanczos (ARPACK's ``eigsh``) can miss copies of a repeated eigenvalue, and the nullspace is a
repeated eigenvalue 0 of G. So a found set of null vectors is never trusted to be complete by
itself. The stage works on the shift-inverted operator T = (G − σI)⁻¹ with σ < 0 (one sparse
factorisation; T is positive definite and its largest eigenvalue 1/|σ| belongs to null(G)), and
*deflates*: with Q the orthonormal null vectors found so far and P = I − QQᵀ, the largest
eigenvalues of P T P are those of T on the orthogonal complement of Q. A block of them is
computed; those that belong to eigenvalues λ ≤ tol of G join Q, and the next block is sought.
The stage stops when a block's largest eigenvalue belongs to λ > tol: no null vector is left
outside span(Q) (Lanczos from a random start finds the largest eigenvalue of an operator; it is
only the further *copies* that it may miss, and those are what the deflation removes). The
stop is confirmed by a second run from another random start.

This is the "deflation with a block method" of Saad, *Numerical Methods for Large Eigenvalue
Problems* (2nd ed., §4.2 and §8.4). The result carries the next eigenvalue λ as its margin; a run
that cannot establish it (no convergence within the retries) returns ``certified`` false, and
the caller says that the dimension is only a lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

DENSE_MAX = 1500  # below this many unknowns the full spectrum (eigh) is cheaper and complete
BLOCK = 16
MAX_DIM = 4096


@dataclass(frozen=True)
class IterativeNullspace:
    """Orthonormal null vectors (k × s); ``certified`` when the next eigenvalue of MᵀM,
    ``margin``, was shown to lie above the zero tolerance ``tol`` (both in units of G)."""

    vectors: np.ndarray
    certified: bool
    margin: float
    tol: float


def certified_nullspace(
    m: sp.csr_array, s: int, *, rel_tol: float = 1e-9, seed: int = 0, report=lambda _: None
) -> IterativeNullspace:
    """Null vectors of M with a certified count (see the module docstring).

    ``rel_tol``: eigenvalues of G = MᵀM below rel_tol · ‖G‖₁ count as zero.
    """
    m = sp.csr_array(m, dtype=np.float64)
    gram = sp.csc_array(m.T @ m)
    scale = float(spla.norm(gram, 1)) or 1.0
    tol = rel_tol * scale
    if s <= DENSE_MAX:
        w, v = np.linalg.eigh(gram.toarray())
        null = w <= tol
        rest = w[~null]
        return IterativeNullspace(
            v[:, null].T, True, float(rest.min()) if rest.size else np.inf, tol
        )
    sigma = -1e-3 * scale
    shifted = sp.csc_array(gram - sigma * sp.identity(s, format="csc"))
    lu = spla.splu(shifted)
    rng = np.random.default_rng(seed)
    q = np.zeros((s, 0))
    confirmations = 0
    failures = 0
    margin = np.inf
    block = BLOCK
    while True:

        def apply(x, q=q):
            x = x - q @ (q.T @ x)
            y = lu.solve(np.ascontiguousarray(x))
            return y - q @ (q.T @ y)

        op = spla.LinearOperator((s, s), matvec=apply, matmat=apply, dtype=np.float64)
        k = min(block, s - q.shape[1] - 1)
        if k <= 0:
            break
        report(f"iterative stage: {q.shape[1]} null vectors so far; a block of {k} eigenvalues")
        try:
            mu, v = spla.eigsh(op, k=k, which="LA", v0=rng.standard_normal(s), tol=1e-12)
        except spla.ArpackNoConvergence:
            failures += 1
            if failures >= 3:
                return IterativeNullspace(_orthonormal(q), False, 0.0, tol)
            continue
        lam = 1.0 / mu + sigma  # eigenvalues of G for the found eigenvectors (mu > 0 off Q)
        lam[mu <= 0] = np.inf
        zero = lam <= tol
        if zero.any():
            q = _orthonormal(np.hstack([q, v[:, zero]]))
            confirmations = 0
            if zero.all():
                block = min(2 * block, MAX_DIM)
            if q.shape[1] > MAX_DIM:
                return IterativeNullspace(q.T, False, 0.0, tol)
            continue
        margin = min(margin, float(lam.min()))
        confirmations += 1
        if confirmations >= 2:
            break
    return IterativeNullspace(q.T, True, margin, tol)


def _orthonormal(v: np.ndarray) -> np.ndarray:
    """Orthonormal columns spanning v (QR twice for stability); drops dependent columns."""
    if v.shape[1] == 0:
        return v
    q, r = np.linalg.qr(v)
    keep = np.abs(np.diag(r)) > 1e-8
    q = q[:, keep]
    q, _ = np.linalg.qr(q)
    return q


def iterative_stage(
    m: sp.csr_array, s: int, floats: bool, options, facts, report, exact_bound=None
) -> np.ndarray:
    """The null vectors of M by :func:`certified_nullspace`, tried with three random starts.

    ``exact_bound(k)``, for rational constraints: whether dim null(M) ≤ k is proved exactly
    (rank mod p, see ``_certificate``), which certifies a count the eigenvalues could not.

    Float generators use the rank tolerance ``options.tol`` (on σ, so tol² on G) and fill in
    ``facts.rank_gap``. Without a certificate: SolverError, or, where the caller accepted it,
    the vectors found with ``facts.lower_bound`` set.
    """
    from ..errors import SolverError
    from ._float_rank import LOOSER, RankGap

    rel = options.tol**2 if floats else 1e-9
    found = None
    for seed in range(3):
        found = certified_nullspace(m, s, rel_tol=rel, seed=seed, report=report)
        if found.certified:
            break
        if exact_bound is not None and exact_bound(found.vectors.shape[0]):
            found = IterativeNullspace(found.vectors, True, found.margin, found.tol)
            break
        report(f"iterative stage: not certified with start {seed}; trying another")
    assert found is not None
    if floats:
        m64 = sp.csr_array(m, dtype=np.float64)
        top = float(spla.svds(m64, k=1, return_singular_vectors=False)[0]) if s > 1 else 1.0
        top = top or 1.0
        v = found.vectors
        dropped = float(np.max(np.linalg.norm(m64 @ v.T, axis=0))) / top if len(v) else None
        kept = float(np.sqrt(max(found.margin, 0.0))) / top if np.isfinite(found.margin) else None
        looser = int(kept is not None and kept <= options.tol * LOOSER)
        facts.rank_gap = RankGap(options.tol, kept, dropped, looser)
    if not found.certified:
        k = found.vectors.shape[0]
        if not options.accept_lower_bound:
            raise SolverError(
                f"the iterative method found {k} intertwiners but could not certify that none "
                f"are missing (the dimension is at least {k}); use --method numeric or exact "
                f"where they fit, or accept the lower bound with --accept-lower-bound "
                f"(accept_lower_bound=True)"
            )
        report(f"iterative stage: AT LEAST {k} intertwiners; the dimension is not certified")
        facts.lower_bound = True
    return found.vectors
