"""``solve``: a verified basis of Hom(IN, OUT) = {W : W X_in = X_out W for every generator X}.

Two stages.

1. *Combinatorial.* Every monomial constraint (permutations, injective partial maps, signed
   permutations, and the action's helper elements such as the quarter turns inside SO(n)) is
   solved by the orbit method: a signed tying with s parameters, i.e. an N × s matrix B with
   disjoint ±1 columns. When all generators are monomial this is the answer (method "orbit").
2. *Linear algebra on the rest.* Every other generator gives C_k B; the answer is B·null([C_k B]).
   "exact" finds the nullspace over Q with python-flint; "numeric" by a float64 SVD; "iterative"
   by shift-invert Lanczos on the sparse Gram matrix. A float result for exact inputs is rounded
   to small rationals and kept as exact if it passes the exact check.

Stage 1 turns, e.g., SO(3) on V⁴ → V⁴ (6561 unknowns) into 274 unknowns before stage 2.
Every basis is checked against all generator constraints and for independence before return.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from ..core import Action, Rep
from ..errors import SolverError, VerificationError
from ..spec import resolve, resolve_action
from . import _cache
from ._basis import Basis
from ._check import check_basis, check_tying
from ._constraints import Constraint, constraints, operator
from ._diagram_basis import applies as diagram_applies
from ._diagram_basis import solve_diagrams
from ._nullspace import (
    dense_nullspace,
    exact_nullspace,
    iterative_nullspace,
    rationalize,
    rref_rows,
)
from ._orbit import Tying, orbit_tying

METHODS = ("auto", "diagram", "orbit", "exact", "numeric", "iterative")
EXACT_MAX_UNKNOWNS = 3000
DENSE_MAX_BYTES = 2 * 2**30
ORBIT_BYTES_PER_ENTRY = 120


def available_memory() -> int:  # noqa: D401
    """Bytes of memory available now (MemAvailable), or 8 GiB where it cannot be read."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


class _Progress:
    """Reports stages to a callback once a solve has run for more than a second."""

    def __init__(self, callback: Callable[[str], None] | None):
        self.callback, self.start = callback, time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.start
        if self.callback is not None and elapsed > 1.0:
            self.callback(f"[{elapsed:6.1f} s] {message}")


def solve(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    method: str = "auto",
    *,
    cache: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Basis:
    """A verified basis of the equivariant linear maps IN → OUT.

    Args:
      action: an :class:`Action` or a spec string such as ``"S(5)"`` or ``"O(1,3)"``.
      rep_in, rep_out: :class:`Rep` values or expressions such as ``"V**2"``.
      method: ``"auto"``, ``"orbit"``, ``"exact"``, ``"numeric"`` or ``"iterative"``.
      cache: read and write the disk cache (keyed by the generator matrices and the method).
      progress: called with a status line during solves that take over a second.

    Returns:
      A :class:`Basis`; ``basis.dim`` is dim Hom(IN, OUT).

    Example: ``solve("S(5)", "V**2", "V**2").dim`` is 15 (Bell(4)).
    """
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    action, rep_in, rep_out = resolve(action, rep_in, rep_out)
    report = _Progress(progress)
    start = time.perf_counter()
    if method in ("auto", "diagram"):
        why_not = diagram_applies(action, rep_in, rep_out)
        if why_not is None:  # closed form for every n: no n^(k+l) enumeration, no cache
            return solve_diagrams(action, rep_in, rep_out, report)
        if method == "diagram":
            raise SolverError(why_not)
    _check_size(action, rep_in, rep_out)
    key = _cache.cache_key(rep_in, rep_out, method) if cache else None
    if key is not None:
        hit = _cache.load(key, rep_in, rep_out)
        if hit is not None:
            cons = constraints(rep_in, rep_out)
            _verify(hit, cons)
            # labels come from the request: equal generators may belong to a monoid or a group
            return hit._replace(
                group=action.name, kind=action.kind, seconds=time.perf_counter() - start
            )
    report("building constraints")
    cons = constraints(rep_in, rep_out)
    coeffs, exact, used, checked = _run(cons, rep_in.dim, rep_out.dim, method, report)
    basis = Basis(
        coeffs,
        exact=exact,
        method=used,
        group=action.name,
        kind=action.kind,
        rep_in=rep_in,
        rep_out=rep_out,
        in_dim=rep_in.dim,
        out_dim=rep_out.dim,
    )
    report("checking the basis against every constraint")
    residual = _verify(basis, [c for c in cons if id(c) not in checked])
    basis = basis._replace(residual=residual, seconds=time.perf_counter() - start)
    if key is not None:
        _cache.store(key, basis)
    return basis


def _check_size(action: Action, rep_in: Rep, rep_out: Rep) -> None:
    n = rep_in.dim * rep_out.dim
    need = n * ORBIT_BYTES_PER_ENTRY * (len(action.generators) + len(action.helpers) + 1)
    have = available_memory()
    if need > 0.7 * have:
        raise SolverError(
            f"{action.name}: {rep_in} -> {rep_out} has {n:.3g} unknowns and needs about "
            f"{need / 2**30:.1f} GiB, but {have / 2**30:.1f} GiB is available; use smaller reps"
        )


def _verify(basis: Basis, cons: list[Constraint]) -> float:
    """Check the basis against ``cons``: a signed tying against monomial constraints entry by
    entry, everything else through :func:`check_basis`."""
    rest = cons
    signed = basis.signed_tying
    if signed is not None and basis.exact:
        index, sign = signed
        gens_mono = [c.monomial() for c in cons if not c.helper and c.monomial() is not None]
        check_tying(index.ravel(), sign.ravel(), gens_mono, basis.in_dim, basis.out_dim)
        rest = [c for c in cons if c.monomial() is None]
    return check_basis(basis.coefficients, basis.exact, rest, basis.shape)


def _run(cons: list[Constraint], d_in: int, d_out: int, method: str, report):
    """(coefficients k × N, exact, method used, ids of the constraints already checked exactly)."""
    # "auto" and "orbit" solve every monomial constraint combinatorially; an explicit linear
    # algebra method uses only the helpers there, so that it checks the orbit method independently.
    combinatorial = [
        c for c in cons if c.monomial() is not None and (c.helper or method in ("auto", "orbit"))
    ]
    chosen = {id(c) for c in combinatorial}
    rest = [c for c in cons if id(c) not in chosen and not c.helper]
    pairs = [c.monomial() for c in combinatorial]
    if method == "orbit" and rest:
        raise SolverError(
            f"the orbit method needs permutation or injective partial-map generators, but "
            f"generator {rest[0].name} is not one (a {rest[0].kind} generator with "
            f"{rest[0].x_in.domain} entries); use --method exact or auto"
        )
    report(f"orbit stage on {d_in * d_out} entries with {len(pairs)} monomial constraints")
    tying: Tying = orbit_tying(pairs, d_in, d_out)
    b = tying.matrix()
    if not rest:
        return sp.csr_array(b.T), True, "orbit" if method in ("auto", "orbit") else method, set()
    domains = {c.domain for c in rest}
    rational = domains <= {"ZZ", "QQ"}
    s = tying.count
    if s == 0:
        return (
            sp.csr_array((0, d_in * d_out), dtype=np.int64),
            True,
            "orbit" if method == "auto" else method,
            set(),
        )
    if method == "auto":
        if rational and s <= EXACT_MAX_UNKNOWNS:
            method = "exact"
        elif s * s * 8 * 4 <= DENSE_MAX_BYTES:
            method = "numeric"
        else:
            method = "iterative"
    if method == "exact" and "RR" in domains:
        raise SolverError(
            "the exact method needs exact generators (integers, rationals or "
            "sympy numbers); these have float entries: use --method numeric"
        )
    report(f"{method} stage: {len(rest)} constraints on {s} unknowns")
    if method == "exact" and rational:
        m = sp.vstack([operator(c, exact=True) @ b for c in rest], format="csr")
        for attempt in range(3):
            v = exact_nullspace(m, s, seed=attempt, compress=attempt < 2)
            coeffs = (
                sp.csr_array(sp.csr_array(b @ v.T.astype(np.int64)).T)
                if v.size
                else sp.csr_array((0, d_in * d_out), dtype=np.int64)
            )
            try:
                check_basis(coeffs, True, rest, (d_out, d_in))
                return coeffs, True, "exact", {id(c) for c in rest}
            except VerificationError:
                continue
        raise VerificationError("exact nullspace failed verification three times")
    m = sp.vstack([operator(c, exact=False) @ b.astype(np.float64) for c in rest], format="csr")
    if method in ("numeric", "exact"):
        if m.shape[0] * s * 8 > DENSE_MAX_BYTES and s * s * 8 > DENSE_MAX_BYTES:
            raise SolverError(
                f"the dense method needs {m.shape[0] * s * 8 / 2**30:.1f} GiB for "
                f"{s} unknowns; use --method iterative"
            )
        v = dense_nullspace(m, s)
    else:
        v = iterative_nullspace(m, s)
    if v.shape[0] == 0:
        return sp.csr_array((0, d_in * d_out), dtype=np.float64), True, method, set()
    v = rref_rows(v)
    ints = rationalize(v) if all(c.x_in.is_exact and c.x_out.is_exact for c in rest) else None
    if ints is not None and ints.dtype == np.int64:
        coeffs = sp.csr_array(sp.csr_array(b @ ints.T).T)
        try:
            check_basis(coeffs, True, rest, (d_out, d_in))
            return coeffs, True, method, {id(c) for c in rest}
        except VerificationError:
            pass
    if method == "exact":
        raise SolverError("no exact basis found for these algebraic entries; use --method numeric")
    coeffs = sp.csr_array(sp.csr_array(b.astype(np.float64) @ v.T).T)
    coeffs.data[np.abs(coeffs.data) < 1e-13] = 0.0
    coeffs.eliminate_zeros()
    return coeffs, False, method, set()


def invariants(action: Action | str, rep_out: Rep | str, method: str = "auto", **kw) -> Basis:
    """Hom(1, OUT): the invariant vectors, e.g. for an equivariant bias."""
    action = resolve_action(action)
    return solve(action, action.trivial(), rep_out, method, **kw)
