"""The stages of the constraint method after the orbit stage: the choice of a linear-algebra
method and its run, returning a :class:`StageResult`.

"auto" and "orbit" solve every monomial constraint combinatorially (``_orbit``); an explicit
linear-algebra method uses only the helpers there, so that it checks the orbit method
independently. The remaining constraints C_k act on the s orbit unknowns as C_k B, and the
answer is B·null([C_k B]): over Q with python-flint ("exact"), by a float64 SVD ("numeric") or by
shift-invert Lanczos ("iterative"). A float result for exact inputs is rounded to small rationals
and kept as exact only with a certificate of its dimension (``_certificate``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..errors import SolverError, VerificationError
from . import _bigint as bigint
from ._certificate import certify_nullity, certify_rank_float
from ._check import check_basis
from ._constraints import Constraint, operator
from ._float_rank import float_nullspace, pivoted_rows
from ._intmatrix import IntMatrix, as_intmatrix
from ._intmatrix import vstack as int_vstack
from ._iterative import iterative_stage
from ._memory import require_memory
from ._nullspace import dense_nullspace, exact_nullspace, rationalize, rref_rows
from ._options import SolveOptions, StageFacts
from ._orbit import orbit_tying

EXACT_MAX_UNKNOWNS = 3000
DENSE_MAX_BYTES = 2 * 2**30
_UNPROVED = (
    "the exact method found rational intertwiners but could not prove that none are missing "
    "(the certificate is too large or inconclusive); use --method numeric for an unproved basis"
)


@dataclass(frozen=True)
class StageResult:
    """What the stages found: the k × N coefficients, whether they are exact, the method that
    ran, and the constraints that still need the final check (those not checked exactly here)."""

    coefficients: sp.csr_array
    exact: bool
    method: str
    unchecked: tuple[Constraint, ...]


@dataclass(frozen=True)
class _Problem:
    """The linear-algebra stage's input: the constraints left after the orbit stage (``rest``),
    the orbit matrix ``b`` (N × s) and the shape of W."""

    rest: list[Constraint]
    b: sp.csr_array
    s: int
    d_in: int
    d_out: int

    @property
    def domains(self) -> set[str]:
        return {c.domain for c in self.rest}

    @property
    def rational(self) -> bool:
        return self.domains <= {"ZZ", "QQ"}


def run(
    cons: list[Constraint],
    d_in: int,
    d_out: int,
    method: str,
    report,
    options: SolveOptions,
    facts: StageFacts,
) -> StageResult:
    """Solve ``cons`` on d_out × d_in matrices W: the orbit stage, then the chosen method."""
    combinatorial = [
        c for c in cons if c.monomial() is not None and (c.helper or method in ("auto", "orbit"))
    ]
    rest = [c for c in cons if not c.helper and all(c is not m for m in combinatorial)]
    if method == "orbit" and rest:
        raise SolverError(
            f"the orbit method needs permutation or injective partial-map generators, but "
            f"generator {rest[0].name} is not one (a {rest[0].kind} generator with "
            f"{rest[0].x_in.domain} entries); use --method exact or auto"
        )
    pairs = [c.monomial() for c in combinatorial]
    report(f"orbit stage on {d_in * d_out} entries with {len(pairs)} monomial constraints")
    tying = orbit_tying(pairs, d_in, d_out)
    b = tying.matrix()
    every = tuple(cons)
    if not rest:
        used = "orbit" if method in ("auto", "orbit") else method
        return StageResult(sp.csr_array(b.T), True, used, every)
    if tying.count == 0:
        empty = sp.csr_array((0, d_in * d_out), dtype=np.int64)
        return StageResult(empty, True, "orbit" if method == "auto" else method, every)
    problem = _Problem(rest, b, tying.count, d_in, d_out)
    method = _choose(problem, method)
    report(f"{method} stage: {len(rest)} constraints on {problem.s} unknowns")
    _require_stage_memory(problem, method)
    if method == "exact" and problem.rational:
        return _exact(problem, cons, facts)
    return _floats(problem, cons, method, report, options, facts)


def _choose(problem: _Problem, method: str) -> str:
    """The method "auto" takes for this problem; SolverError for exact on float entries."""
    s = problem.s
    if method == "auto":
        if problem.rational and s <= EXACT_MAX_UNKNOWNS:
            method = "exact"
        elif s * s * 8 * 4 <= DENSE_MAX_BYTES:
            method = "numeric"
        else:
            method = "iterative"
    if method == "exact" and "RR" in problem.domains:
        raise SolverError(
            "the exact method needs exact generators (integers, rationals or "
            "sympy numbers); these have float entries: use --method numeric"
        )
    return method


def _require_stage_memory(problem: _Problem, method: str) -> None:
    s = problem.s
    rows = sum(c.x_in.shape[0] * c.x_out.shape[0] for c in problem.rest)
    if method == "exact":  # a dense (s + 8) x s integer matrix, a few words an entry
        require_memory(f"the exact stage on {s} unknowns", (s + 8) * s * 48 + 2**29)
    elif method == "numeric":  # the dense float matrix (after QR at most s x s) and the SVD
        require_memory(f"the numeric stage on {s} unknowns", min(rows, 2 * s) * s * 8 * 3)


def _others(cons: list[Constraint], rest: list[Constraint]) -> tuple[Constraint, ...]:
    """The constraints of ``cons`` that are not in ``rest`` (by identity)."""
    return tuple(c for c in cons if all(c is not r for r in rest))


def _exact(problem: _Problem, cons: list[Constraint], facts: StageFacts) -> StageResult:
    """The exact nullspace over Q, retried with new random compressions: a dimension proved,
    k independent vectors in null(M) ⊆ null(R M), of dimension k."""
    rest, b, s = problem.rest, problem.b, problem.s
    m = int_vstack([operator(c, exact=True) @ as_intmatrix(b) for c in rest])
    for attempt in range(3):
        v = exact_nullspace(m, s, seed=attempt, compress=attempt < 2)
        found = _integer_coefficients(b, v)
        try:
            if found.is_big:  # entries beyond 62 bits: kept exactly as Python integers
                bigint.check(found, rest)
                coeffs, facts.exact_values = bigint.split(found)
                return StageResult(coeffs, True, "exact", ())
            coeffs = sp.csr_array(found.to_scipy())
            check_basis(coeffs, True, rest, (problem.d_out, problem.d_in))
            return StageResult(coeffs, True, "exact", _others(cons, rest))
        except VerificationError:
            continue
    raise VerificationError("exact nullspace failed verification three times")


def _floats(problem: _Problem, cons, method: str, report, options, facts) -> StageResult:
    """A float nullspace (dense or iterative), rounded to rationals and kept as exact where it
    verifies and its dimension is proved."""
    rest, b, s = problem.rest, problem.b, problem.s
    rational, n = problem.rational, problem.d_in * problem.d_out
    floats = [operator(c, exact=False) for c in rest]
    m = sp.vstack([op @ b.astype(np.float64) for op in floats], format="csr")
    if method in ("numeric", "exact"):
        if m.shape[0] * s * 8 > DENSE_MAX_BYTES and s * s * 8 > DENSE_MAX_BYTES:
            raise SolverError(
                f"the dense method needs {m.shape[0] * s * 8 / 2**30:.1f} GiB for "
                f"{s} unknowns; use --method iterative"
            )
        if "RR" in problem.domains:
            v, facts.rank_gap = float_nullspace(m, s, options.tol)
        else:
            v = dense_nullspace(m, s)
    else:
        # rational constraints: the nullity mod p bounds the true nullity (a second certificate)
        bound = (lambda k: _proved(rest, b, s, k, None, [], True)) if rational else None
        v = iterative_stage(m, s, "RR" in problem.domains, options, facts, report, bound)
    exact_inputs = all(c.x_in.is_exact and c.x_out.is_exact for c in rest)
    if v.shape[0] == 0:
        proved = exact_inputs and _proved(rest, b, s, 0, m, floats, rational)
        if method == "exact" and not proved:
            raise SolverError(_UNPROVED)
        return StageResult(sp.csr_array((0, n), dtype=np.int64), proved, method, tuple(cons))
    v = rref_rows(v) if exact_inputs else pivoted_rows(v)
    ints = rationalize(v) if exact_inputs else None
    if ints is not None and ints.dtype == np.int64:
        coeffs = sp.csr_array(sp.csr_array(b @ ints.T).T)
        try:
            check_basis(coeffs, True, rest, (problem.d_out, problem.d_in))
        except VerificationError:
            pass
        else:
            # the rounded vectors are exact intertwiners; exact also needs a proof of dimension
            proved = _proved(rest, b, s, ints.shape[0], m, floats, rational)
            if method == "exact" and not proved:
                raise SolverError(_UNPROVED)
            unchecked = _others(cons, rest) if proved else tuple(cons)
            return StageResult(coeffs, proved, method, unchecked)
    if method == "exact":
        raise SolverError("no exact basis found for these algebraic entries; use --method numeric")
    coeffs = sp.csr_array(sp.csr_array(b.astype(np.float64) @ v.T).T)
    coeffs.data[np.abs(coeffs.data) < 1e-13] = 0.0
    coeffs.eliminate_zeros()
    return StageResult(coeffs, False, method, tuple(cons))


def _integer_coefficients(b: sp.csr_array, v: np.ndarray) -> IntMatrix:
    """The k × N integer coefficients (B vᵀ)ᵀ, exact at any size of entry."""
    k, s = v.shape
    if v.dtype != object:  # int64 entries: the scipy path
        vt = IntMatrix.from_scipy(sp.csr_array(v.T.astype(np.int64)))
    else:
        r, c = np.nonzero(v != 0)
        vt = IntMatrix((s, k), c, r, [int(x) for x in v[r, c]])
    return (as_intmatrix(b) @ vt).T


def _proved(rest, b, s: int, k: int, m_float, floats, rational: bool) -> bool:
    """Whether dim null(M) ≤ k is proved: M mod p for rational generators, ball arithmetic on
    the float M for algebraic ones (see ``_certificate``)."""
    if rational:
        m = int_vstack([operator(c, exact=True) @ as_intmatrix(b) for c in rest])
        return certify_nullity(m, s, k)
    # float error of M = C B: each entry a sum of at most r products of C entries (each within
    # 2 eps of exact, two terms per entry of C) with ±1; a margin of 2 on top
    radius = 0.0
    bmax = int(np.max(np.diff(sp.csc_array(b).indptr))) if b.nnz else 1
    for op in floats:
        if op.nnz:
            r = int(np.max(np.diff(sp.csr_array(op).indptr))) * bmax
            radius = max(radius, float(np.max(np.abs(op.data))) * r * (r + 8) * 2.3e-16)
    return certify_rank_float(m_float, s - k, radius + 1e-300)
