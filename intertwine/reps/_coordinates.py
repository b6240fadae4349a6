"""``to_irreps(action, rep)``: the change of basis from tensor coordinates to irrep coordinates.

From :func:`decompose`: ρ(X) Q = Q (⊕ blocks) with the blocks the irreducible summands, class
by class, each repeated its multiplicity (copy-major, as e3nn's ``2x1o``). Where the action names
its irreps (SO(3), O(3): e3nn's ``1o``, ``2e``), each class's block B_c is moved into the named
irrep N_c's coordinates by an intertwiner T_c: N_c → B_c, B_c(X) T_c = T_c N_c(X), scaled to be
orthogonal (by Schur's lemma T_cᵀ T_c is a multiple of the identity: End is R for a real irrep,
and aI + bJ for SO(2)'s frequencies). With
Q' = Q · diag(T_c per copy), x = Q' z and z = Q'⁻¹ x (Q'ᵀ for an orthogonal rep), and z
transforms by the sum of irreps:

    M ρ(g) = ρ_irreps(g) M,     M = ``to_irreps`` = Q'⁻¹,   ``from_irreps`` = Q'.

So a layer written on V**k (``equivariant_linear(G, "V**2", ...)``) and one on irreps compose
through M: x ↦ M x and back. Monoids have no irreps (indecomposables are not a direct sum of
irreducibles in general): refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import Action, Rep
from ..errors import IntertwineError, SpecError
from ..spec import resolve
from ._decompose import decompose


@dataclass(frozen=True, eq=False)
class IrrepCoordinates:
    """The change of basis of ``rep`` into the sum of irreps ``irreps``.

    ``to_irreps`` (dim × dim, float64): z = to_irreps @ x; ``from_irreps`` its inverse (its
    transpose for an orthogonal rep). ``exact`` when the decomposition is exact and every T_c
    comes from an exact basis (the floats are then roundings of exact values)."""

    rep: Rep
    irreps: Rep
    to_irreps: np.ndarray
    from_irreps: np.ndarray
    exact: bool

    def __repr__(self) -> str:
        return f"IrrepCoordinates({self.rep} -> {self.irreps}, exact={self.exact})"


def _named(action: Action, name: str) -> Rep | None:
    from ..groups import has_irrep_names

    if not has_irrep_names(action):
        return None
    try:
        return resolve(action, f"1x{name}")[1]
    except SpecError:
        return None


def _intertwiner(action: Action, named: Rep, block: Rep) -> tuple[np.ndarray, bool]:
    """T: named → block, orthogonal, with block(X) T = T named(X)."""
    from ..solver import solve

    basis = solve(action, named, block)
    if basis.dim == 0:  # pragma: no cover - the name came from the block's own class
        raise AssertionError(f"bug: Hom({named}, {block}) is zero")
    # any nonzero element of Hom between isomorphic irreps is an isomorphism; End is R (real
    # irreps) or C (SO(2)'s frequencies: aI + bJ), so Tᵀ T is a multiple of I either way
    t = basis.coefficients[[0]].toarray().astype(np.float64).reshape(block.dim, named.dim)
    t = t / np.sqrt((t.T @ t)[0, 0])
    if not np.allclose(t.T @ t, np.eye(named.dim), atol=1e-10):
        raise AssertionError("bug: the intertwiner into a named irrep is not orthogonal")
    return t, basis.exact


def to_irreps(action: Action | str, rep: Rep | str) -> IrrepCoordinates:
    """The change of basis from ``rep``'s coordinates to irrep coordinates, and back.

    Args:
      action: a group or its spec (``"O(3)"``, ``"D(6)"``); monoids are refused.
      rep: any orthogonal rep, e.g. ``"V**2"``.

    Returns:
      An :class:`IrrepCoordinates` ``c``: ``c.irreps`` is the sum of irreps (e3nn's names for
      SO(3)/O(3), the decomposition's irreps otherwise), z = ``c.to_irreps`` @ x,
      x = ``c.from_irreps`` @ z, and ``c.to_irreps`` ρ(g) = ρ_irreps(g) ``c.to_irreps``.

    Raises:
      IntertwineError: a monoid.
      SolverError: as :func:`decompose` (too large; a rep that is not completely reducible).

    Source: Schur's lemma; the decomposition of :func:`decompose`.

    >>> c = to_irreps("O(3)", "V**2")
    >>> str(c.irreps), c.to_irreps.shape
    ('1x0e + 1x1e + 1x2e', (9, 9))
    """
    act, r = resolve(action, rep)
    if not act.is_group:
        raise IntertwineError(
            f"{act.name} is a monoid: its reps split into indecomposables, not irreps; use "
            f"decompose({act.name!r}, ...) for them"
        )
    d = decompose(act, r)
    columns, parts, names, exact, all_named = [], [], [], d.exact, True
    q = d.change_of_basis
    start = 0
    for c in d.irreps:
        named = _named(act, c.name)
        all_named = all_named and named is not None
        target = named if named is not None else c.rep
        t, ok = (np.eye(c.dim), True) if named is None else _intertwiner(act, named, c.rep)
        exact = exact and ok
        for _ in range(c.multiplicity):
            columns.append(q[:, start : start + c.dim] @ t)
            start += c.dim
        parts.append(target if c.multiplicity == 1 else c.multiplicity * target)
        names.append(f"{c.multiplicity}x{c.name}")
    if all_named:  # written as e3nn writes it: "1x0e + 1x1e + 1x2e"
        irreps = resolve(act, " + ".join(names))[1]
    else:
        irreps = parts[0]
        for p in parts[1:]:
            irreps = irreps + p
    back = np.concatenate(columns, axis=1) if columns else np.zeros((r.dim, 0))
    # Qᵀ for an orthogonal rep; the inverse in general (decompose rescales reps such as Sym
    # of a Lie group to orthogonal ones, so Q need not be orthogonal in the rep's coordinates)
    forward = np.linalg.inv(back) if back.size else back.T.copy()
    return IrrepCoordinates(r, irreps, forward, back, exact)
