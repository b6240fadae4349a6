"""``decompose``: a rep as a direct sum of irreducibles (groups) or indecomposables (monoids).

Method (Schur, Wedderburn; Fulton–Harris §1–2 for the finite case): the commutant
E = End_G(V) comes from the solver (orbits, diagrams, exact nullspace). For a group acting
orthogonally its symmetric elements split V into orthogonal G-invariant pieces (``_pieces``):
exactly, by the primary decomposition over Q of elements of E, when that reaches irreducible
pieces; otherwise by the eigenspaces of a generic symmetric element in float64. Each piece is
then proved irreducible, grouped by isomorphism and given its basis (``_assemble``). For a monoid
the pieces are indecomposable (``_monoid``).

``exact`` means proved: ρ(X) R = R B(X) over Q for every generator (discrete and Lie, and the
helper elements), R's columns orthogonal (groups) or R invertible (monoids), every summand
irreducible (End_G a division algebra) or indecomposable (E/rad E one-dimensional), classes
pairwise non-isomorphic. A float result is checked by its residual and its multiplicities against
an independent count: the character inner product over the enumerated group (finite groups) or
the eigenvalues of the Casimir element (Lie groups); a failed check is an error, never a result.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import lru_cache

import flint
import numpy as np

from ..core import Action, Rep
from ..errors import SolverError
from ..spec import resolve
from . import _exact as ex
from ._assemble import Found, assemble_exact, assemble_float, fingerprint
from ._balanced import orthogonal_form
from ._certificate import certificate, mats_sparse
from ._decomposition import Decomposition, Irrep
from ._given import GivenRep
from ._lie import MAX_LIE_DIM, lie_pieces
from ._monoid_decomposition import monoid_decomposition
from ._names import IrrepInfo, name_irreps
from ._pieces import MAX_COMMUTANT_DIM, MAX_EXACT_DIM, commutant, exact_pieces, float_pieces
from ._reductive import MAX_ENVELOPE_DIM, reductive_decomposition

TYPES = {1: "real", 2: "complex", 4: "quaternionic"}
EXACT_TRIES = 400


def decompose(action: Action | str, rep: Rep | str) -> Decomposition:
    """The decomposition of ``rep`` into irreducible summands (groups) or indecomposable
    summands (monoids), with multiplicities, types and a change of basis.

    Args:
      action: an :class:`Action` or a spec such as ``"S(4)"``, ``"SO(3)"``, ``"Shift(4)"``.
      rep: a :class:`Rep` or an expression such as ``"V**2"``.

    Returns:
      A :class:`Decomposition`; ``Q = d.change_of_basis`` (dim x dim) satisfies
      ρ(X) Q = Q (⊕ blocks) for every generator X.

    Raises:
      SolverError: the rep is larger than the method takes (``MAX_COMMUTANT_DIM``), said before
        any work; a group rep that is not orthogonal; a float result that fails its check.

    >>> import intertwine as it
    >>> it.decompose("S(3)", "V**2").summary()
    '2x1a + 1x1b + 3x2a'
    """
    action, rep = resolve(action, rep)
    d = rep.dim
    lie_ok = any(g.kind == "lie" for g in action.generators) and d <= MAX_LIE_DIM
    if d > MAX_COMMUTANT_DIM and not lie_ok:
        raise SolverError(
            f"{rep} of {action.name} has dimension {d}; decomposition solves its commutant on "
            f"{d}^2 = {d * d:,} unknowns and takes dim <= {MAX_COMMUTANT_DIM}: use a smaller rep"
        )
    if not action.is_group:
        return monoid_decomposition(action, rep, commutant(action, rep)[0])
    if not _is_orthogonal(action, rep):
        form = orthogonal_form(action, rep)
        if form is not None and _is_orthogonal(action, form[0]):
            return _unbalance(decompose(action, form[0]), rep, form[1])
        if all(m.domain in ("ZZ", "QQ") for m in rep.generators):
            e = commutant(action, rep)[0]
            found = reductive_decomposition(action, rep, e)
            if found is not None:
                return found
            dec = monoid_decomposition(action, rep, e)
            note = (
                "a group rep without an invariant inner product: its summands are not proved "
                f"irreducible (not completely reducible, or a summand above {MAX_ENVELOPE_DIM} "
                "dimensions, where the envelope is not built), so they are given as indecomposable"
            )
            return replace(dec, certificate=(*dec.certificate, note))
    if any(g.kind == "lie" for g in action.generators) and d <= MAX_LIE_DIM:
        floats = [m.to_numpy() for m in list(rep.generators) + list(rep.helpers)]
        kinds = [g.kind for g in action.generators] + ["discrete"] * len(rep.helpers)
        _require_orthogonal(action, rep, floats, kinds)
        lie = lie_pieces(action, rep)
        if lie is not None:
            return _finish(action, rep, lie, True, floats, kinds, [])
    found, exact, floats, kinds, notes = _analyse(action, rep)
    return _finish(action, rep, found, exact, floats, kinds, notes)


def analyse(action: Action, rep: Rep) -> list[Found]:
    """The isomorphism classes of irreducible summands of a group rep (unnamed)."""
    return _analyse(action, rep)[0]


@lru_cache(maxsize=8)
def _analyse(action: Action, rep: Rep):
    d = rep.dim
    e, e_exact = commutant(action, rep)
    mats = list(rep.generators) + list(rep.helpers)
    floats = [m.to_numpy() for m in mats]
    kinds = [g.kind for g in action.generators] + ["discrete"] * len(rep.helpers)
    _require_orthogonal(action, rep, floats, kinds)
    rational = all(m.domain in ("ZZ", "QQ") for m in mats)
    notes: list[str] = []
    found = assemble_float(float_pieces(e, d), floats)
    exact = False
    if e_exact and rational and d <= MAX_EXACT_DIM:
        # a rational isotypic projector needs a rational character: tr(P_W ρ(g)) = m_W χ_W(g);
        # the screen reads χ_W on the generators, their squares and pairwise products
        if all(_integral(fingerprint(list(f.block))) for f in found):
            pieces = exact_pieces(e, floats, d, EXACT_TRIES)
            proved = assemble_exact(pieces, [_fmpq(m) for m in mats]) if pieces else None
            if proved is not None:
                found, exact = proved, True
        if not exact:
            notes.append("the isotypic projectors are not all rational: float64")
    return found, exact, floats, kinds, notes


def _integral(values: np.ndarray) -> bool:
    return bool(np.allclose(values, np.round(values), atol=1e-7))


def _fmpq(m) -> flint.fmpq_mat:
    if m.domain == "ZZ":
        return ex.from_sparse(m.to_scipy(np.int64))
    rows = [[Fraction(0)] * m.shape[1] for _ in range(m.shape[0])]
    for r, c, v in zip(m.rows, m.cols, m.vals):
        rows[int(r)][int(c)] = Fraction(int(v.p), int(v.q))
    return ex.from_rows(rows)


def _is_orthogonal(action: Action, rep: Rep) -> bool:
    kinds = [g.kind for g in action.generators] + ["discrete"] * len(rep.helpers)
    mats = [m.to_numpy() for m in list(rep.generators) + list(rep.helpers)]
    try:
        _require_orthogonal(action, rep, mats, kinds)
    except SolverError:
        return False
    return True


def _unbalance(dec: Decomposition, rep: Rep, s: np.ndarray) -> Decomposition:
    """The decomposition of ρ'' = S ρ' S⁻¹ read back for ρ': Q' = S⁻¹ Q'' (``_balanced``)."""
    note = (
        "Q = S^-1 Q'' with S = (E^T E)^(1/2) for the embedding E into tensor powers (float64: "
        "square roots)"
    )
    return replace(
        dec,
        rep=rep,
        exact=False,
        change_of_basis=dec.change_of_basis / s[:, None],
        certificate=(note, *(c for c in dec.certificate if not c.startswith("exact:"))),
        rational_parts=None,
        scale_squares=None,
    )


def _require_orthogonal(action: Action, rep: Rep, floats, kinds) -> None:
    for m, k in zip(floats, kinds):
        bad = m.T @ m - np.eye(len(m)) if k == "discrete" else m + m.T
        if np.abs(bad).max(initial=0.0) > 1e-9 * max(1.0, np.abs(m).max(initial=0.0)):
            raise SolverError(
                f"{rep} of {action.name} is not orthogonal (a generator is not "
                f"{'orthogonal' if k == 'discrete' else 'antisymmetric'}); decomposition here "
                f"needs an orthogonal group rep, as for permutation groups, O(n) and SO(n)"
            )


def _finish(action, rep, found: list[Found], exact, floats, kinds, notes) -> Decomposition:
    d = rep.dim
    ngen = len(action.generators)
    infos = [
        IrrepInfo(action, f.dim, TYPES.get(f.endo_dim, "real"), tuple(f.block[:ngen]))
        for f in found
    ]
    names = name_irreps(infos)
    order = sorted(range(len(found)), key=lambda i: (found[i].dim, names[i]))
    irreps = []
    cols: list[np.ndarray] = []
    blocks: list[list[np.ndarray]] = [[] for _ in floats]
    rational: list[flint.fmpq_mat] = []
    scales: list = []
    for i in order:
        f = found[i]
        if f.endo_dim not in TYPES:
            raise SolverError(f"a summand has dim End = {f.endo_dim}: not irreducible (a bug)")
        gens = f.exact_block if exact else None
        given = GivenRep(
            action,
            names[i],
            tuple(gens[:ngen]) if gens else tuple(_mat(b) for b in f.block[:ngen]),
            tuple(gens[ngen:]) if gens else tuple(_mat(b) for b in f.block[ngen:]),
        )
        irreps.append(Irrep(names[i], f.dim, len(f.copies), TYPES[f.endo_dim], given))
        cols.extend(f.copies)
        for k, b in enumerate(f.block):
            blocks[k].extend([b] * len(f.copies))
        if exact:
            for c, s in f.exact_copies:  # type: ignore[union-attr]
                rational.append(c)
                scales.extend(s)
    q = np.hstack(cols)
    residual = 0.0
    for m, bl in zip(mats_sparse(rep), blocks):
        lhs = m @ q
        o = 0
        worst = 0.0
        for b in bl:
            n = b.shape[0]
            worst = max(worst, float(np.abs(lhs[:, o : o + n] - q[:, o : o + n] @ b).max()))
            o += n
        scale = max(1.0, float(abs(m).max())) if m.nnz else 1.0
        residual = max(residual, worst / scale)
    cert = list(notes) + certificate(action, rep, irreps, floats, kinds)
    if exact:
        cert.insert(0, "exact: rho(X) R = R B(X) over Q; summands proved irreducible")
    elif residual > 1e-8:
        raise SolverError(
            f"the float64 decomposition of {rep} has residual {residual:.1e}; the generators may "
            f"be ill-conditioned: give exact generators"
        )
    return Decomposition(
        group=action.name,
        kind=action.kind,
        rep=rep,
        dim=d,
        exact=exact,
        irreps=tuple(irreps),
        change_of_basis=q,
        indecomposable=False,
        residual=residual,
        certificate=tuple(cert),
        rational_parts=tuple(rational) if exact else None,
        scale_squares=tuple(Fraction(int(s.p), int(s.q)) for s in scales) if exact else None,
    )


def _mat(a: np.ndarray):
    from ..core import Matrix

    r, c = np.nonzero(np.abs(a) > 1e-13)
    return Matrix(a.shape, r, c, a[r, c], "RR")
