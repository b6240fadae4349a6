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

Sums of named irreps (``16x0e + 8x1o``) skip both: Schur's lemma gives the blocks (``_schur``).
Stage 1 turns, e.g., SO(3) on V⁴ → V⁴ (6561 unknowns) into 274 unknowns before stage 2.
Every basis is checked against all generator constraints and for independence before return.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from ..core import Action, Rep
from ..errors import SolverError, VerificationError
from . import _bigint as bigint
from . import _cache
from ._basis import Basis
from ._check import check_basis, check_tying
from ._constraints import Constraint, constraints, operator
from ._float_rank import DEFAULT_TOL, check_tol, float_residual_tol
from ._memory import count_text, require_memory
from ._options import SolveOptions, StageFacts
from ._orbit import orbit_tying
from ._planar import planar_basis, planar_dimension
from ._progress import Progress as _Progress
from ._progress import print_progress
from ._schur import solve_schur
from ._stages import StageResult, _proved
from ._stages import run as _run
from .diagrams import DiagramBasis, solve_diagrams
from .diagrams import applies as diagram_applies

METHODS = ("auto", "diagram", "orbit", "exact", "numeric", "iterative")
ORBIT_BYTES_PER_ENTRY = 48  # measured: ~28 bytes per entry and constraint (6-cube, V**2)


def solve(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    method: str = "auto",
    *,
    cache: bool = True,
    progress: Callable[[str], None] | None = None,
    quiet: bool = False,
    tol: float = DEFAULT_TOL,
    accept_lower_bound: bool = False,
) -> Basis | DiagramBasis:
    """A verified basis of the equivariant linear maps IN → OUT.

    Solves W ρ_in(X) = ρ_out(X) W for every generator X of the action (discrete generators
    and Lie-algebra generators alike): the method ``"auto"`` takes partition or Brauer
    diagrams where they apply (Maron et al., ICLR 2019; Brauer 1937), else the orbits of a
    monomial action, else an exact rational nullspace, else floats (see the docs' "The
    solver's methods"). Every basis is checked against every generator before it is returned.

    Args:
      action: an :class:`Action` or a spec string such as ``"S(5)"`` or ``"O(1,3)"``.
      rep_in: a :class:`Rep` or an expression such as ``"V**2"`` (dimension ``in``).
      rep_out: a :class:`Rep` or an expression (dimension ``out``).
      method: ``"auto"``, ``"diagram"``, ``"orbit"``, ``"exact"``, ``"numeric"`` or
        ``"iterative"``.
      cache: read and write the disk cache (keyed by the generator matrices and the method).
      progress: where status lines go once a solve has run for a second (the stages so far,
        then each new stage; called from a timer thread, too). By default they are printed on
        stderr, the same lines as ``intertwine solve``; a fast solve prints nothing.
      quiet: no status lines at all (``intertwine solve --quiet``).
      tol: for float generators, the relative tolerance of the rank decision (singular values
        below ``tol`` times the largest count as zero); the result's ``rank_gap`` reports the
        gap around it, and a warning is issued when the gap is not clear.
      accept_lower_bound: when the iterative method cannot certify that no intertwiner is
        missing, return what it found (``basis.lower_bound`` true) instead of raising.

    Returns:
      A :class:`Basis` (a :class:`DiagramBasis` for the diagram method) of ``dim`` =
      dim Hom(IN, OUT) matrices, each of shape (out, in) (``basis.to_numpy()``: float64, shape
      (dim, out, in)); ``basis.exact`` is True only with a proof of the dimension.

    Raises:
      SpecError: a malformed group spec or rep expression.
      RepError: a rep the action cannot have (the dual of a monoid rep, a bad custom action).
      SolverError: an unknown method, a problem too large for memory (said before the work),
        or an iterative solve that cannot certify its count.

    >>> basis = solve("S(5)", "V**2", "V**2")  # Bell(4) = 15 for n >= 4
    >>> basis.dim, basis.shape, basis.exact
    (15, (25, 25), True)
    >>> solve("Shift(4)", "V", "V").tying  # lower-triangular Toeplitz: a causal convolution
    array([[ 0, -1, -1, -1],
           [ 1,  0, -1, -1],
           [ 2,  1,  0, -1],
           [ 3,  2,  1,  0]])
    """
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    from ..spec import resolve  # the public entry point reads spec strings; below, values

    action, rep_in, rep_out = resolve(action, rep_in, rep_out)
    options = SolveOptions(check_tol(tol), bool(accept_lower_bound))
    report = _Progress(None if quiet else (progress or print_progress))
    try:
        basis = _solve(action, rep_in, rep_out, method, cache, report, options)
    finally:
        report.close()
    gap = basis.rank_gap
    if gap is not None and gap.warning() is not None:
        warnings.warn(f"{action.name}: {rep_in} -> {rep_out}: {gap.warning()}", stacklevel=2)
    return basis


def _solve(
    action: Action,
    rep_in: Rep,
    rep_out: Rep,
    method: str,
    cache: bool,
    report: _Progress,
    options: SolveOptions,
) -> Basis | DiagramBasis:
    if method in ("auto", "exact"):  # sums of named irreps: Schur's lemma gives the blocks
        schur = solve_schur(action, rep_in, rep_out)
        if schur is not None:
            return schur
    if method in ("auto", "diagram"):
        why_not = diagram_applies(action, rep_in, rep_out)
        if why_not is None:  # closed form for every n: no n^(k+l) enumeration, no cache
            try:
                return solve_diagrams(action, rep_in, rep_out, report)
            except SolverError as exc:
                if method == "diagram":
                    raise
                report(f"the diagram method stops here ({exc}); solving by constraints")
                try:
                    return _solve_by_constraints(
                        action, rep_in, rep_out, method, cache, report, options
                    )
                except SolverError:
                    raise exc from None  # both refuse: the diagram method's reason is the one
        elif method == "diagram":
            raise SolverError(why_not)
    return _solve_by_constraints(action, rep_in, rep_out, method, cache, report, options)


def _solve_by_constraints(
    action: Action,
    rep_in: Rep,
    rep_out: Rep,
    method: str,
    cache: bool,
    report: _Progress,
    options: SolveOptions,
) -> Basis:
    start = time.perf_counter()
    _check_size(action, rep_in, rep_out)
    key = _cache.cache_key(rep_in, rep_out, method) if cache else None
    if key is not None:
        hit, damage = _cache.load(key, rep_in, rep_out)
        if damage is not None:
            report.note(f"a damaged cache entry was removed ({damage}); solving again")
        if hit is not None:
            # a hit is held to the certificate of a fresh solve: its constraints and its dimension
            cons = constraints(rep_in, rep_out)
            try:
                _verify(hit, cons)
                proved = planar_dimension(rep_in, rep_out) == hit.dim or _dimension_proved(
                    cons, rep_in.dim, rep_out.dim, hit.dim
                )
                if not (hit.exact and proved):
                    raise VerificationError("its dimension is not proved")
            except VerificationError as exc:
                report.note(f"a cache entry failed its check ({exc}); solving again")
                _cache.discard(key)
            else:
                # labels come from the request: equal generators may belong to a monoid or a group
                return hit._replace(
                    group=action.name, kind=action.kind, seconds=time.perf_counter() - start
                )
    report("building constraints")
    cons = constraints(rep_in, rep_out)
    facts = StageFacts()
    planar = planar_basis(rep_in, rep_out, cons) if method in ("auto", "exact") else None
    if planar is not None:  # C(k), D(k): exact by weights, checked exactly over Q(cos 2π/m)
        found = StageResult(planar, True, "exact", ())
    else:
        found = _run(cons, rep_in.dim, rep_out.dim, method, report, options, facts)
    basis = Basis(
        found.coefficients,
        exact=found.exact,
        method=found.method,
        group=action.name,
        kind=action.kind,
        rep_in=rep_in,
        rep_out=rep_out,
        in_dim=rep_in.dim,
        out_dim=rep_out.dim,
        lower_bound=facts.lower_bound,
        rank_gap=facts.rank_gap,
        exact_values=facts.exact_values,
    )
    report("checking the basis against every constraint")
    residual = _verify(basis, list(found.unchecked), options.tol)
    basis = basis._replace(residual=residual, seconds=time.perf_counter() - start)
    if key is not None and basis.exact:  # only proved bases are kept: a hit is proved again
        _cache.store(key, basis)
    return basis


def _check_size(action: Action, rep_in: Rep, rep_out: Rep) -> None:
    """Refuse before the orbit stage (which holds a few arrays of length N = out·in for each
    constraint) when it cannot fit in the memory available now."""
    n = rep_in.dim * rep_out.dim
    need = n * ORBIT_BYTES_PER_ENTRY * (len(action.generators) + len(action.helpers) + 1)
    require_memory(f"{action.name}: {rep_in} -> {rep_out} has {count_text(n)} unknowns and", need)


def _dimension_proved(cons: list[Constraint], d_in: int, d_out: int, k: int) -> bool:
    """Whether dim Hom(IN, OUT) ≤ k is proved: the orbit stage on every monomial constraint gives
    s unknowns, and the remaining constraints' matrix M on them has nullity ≤ k."""
    mono = [c for c in cons if c.monomial() is not None]
    rest = [c for c in cons if c.monomial() is None and not c.helper]
    tying = orbit_tying([c.monomial() for c in mono], d_in, d_out)
    s = tying.count
    if not rest or s == 0:
        return k >= s
    if not all(c.x_in.is_exact and c.x_out.is_exact for c in rest):
        return False
    b = tying.matrix()
    if {c.domain for c in rest} <= {"ZZ", "QQ"}:
        return _proved(rest, b, s, k, None, [], True)
    floats = [operator(c, exact=False) for c in rest]  # only the ball certificate reads them
    m = sp.vstack([op @ b.astype(np.float64) for op in floats], "csr")
    return _proved(rest, b, s, k, m, floats, False)


def _verify(basis: Basis, cons: list[Constraint], tol: float = DEFAULT_TOL) -> float:
    """Check the basis against ``cons``: a signed tying against monomial constraints entry by
    entry, everything else through :func:`check_basis`."""
    if basis.exact_values is not None:
        bigint.check(bigint.join(basis.coefficients, basis.exact_values), cons)
        return 0.0
    rest = cons
    signed = basis.signed_tying
    if signed is not None and basis.exact:
        index, sign = signed
        gens_mono = [c.monomial() for c in cons if not c.helper and c.monomial() is not None]
        check_tying(index.ravel(), sign.ravel(), gens_mono, basis.in_dim, basis.out_dim)
        rest = [c for c in cons if c.monomial() is None]
    n = basis.in_dim * basis.out_dim
    float_tol = float_residual_tol(tol, n) if basis.rank_gap is not None else None
    return check_basis(basis.coefficients, basis.exact, rest, basis.shape, float_tol)


def invariants(
    action: Action | str, rep_out: Rep | str, method: str = "auto", **kw
) -> Basis | DiagramBasis:
    """Hom(1, OUT): the invariant vectors, e.g. for an equivariant bias.

    The same as ``solve(action, "1", rep_out, method, **kw)``: a :class:`Basis` of ``dim``
    matrices of shape (out, 1); its arguments and the errors raised are those of :func:`solve`.

    >>> basis = invariants("SO(3)", "V**3")  # the Levi-Civita symbol ε_ijk
    >>> basis.dim, basis.shape
    (1, (27, 1))
    >>> invariants("S(4)", "V**2").dim  # the identity and the all-ones matrix
    2
    """
    from ..spec import resolve_action

    action = resolve_action(action)
    return solve(action, action.trivial(), rep_out, method, **kw)
