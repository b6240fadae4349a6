"""Irreducible summands of group reps that are not orthogonal (SL(n), the Lorentz group, Sp(n)).

Without an invariant inner product the symmetric-element method of ``_pieces`` does not apply,
but the primitive-idempotent method of ``_monoid`` does: it splits V into indecomposable
summands U from the commutant E = End_G(V), exactly. For a completely reducible rep (every
finite-dimensional rep of a semisimple Lie algebra, Weyl's theorem; of a finite group; of a
reductive group built from V) those summands are irreducible, and here that is *proved* per
summand rather than assumed:

- the associative envelope A_U of the generators on U (the span of all words, containing I) is
  semisimple: its trace form tr(ab) is nondegenerate (Dickson: in characteristic 0 the radical
  of a matrix algebra is the radical of its trace form), so U is a semisimple A_U-module;
- End_G(U) is a division algebra (of dimension 1, 2 or 4: real, complex, quaternionic type), so
  the semisimple U has a single simple summand: U is irreducible (Schur's lemma, conversely).

Classes are proved pairwise non-isomorphic (Hom = 0). When some summand fails the proof, the rep
is not shown completely reducible and ``decompose`` reports indecomposables instead. Exact
(rational) throughout; the change of basis is not orthogonal (there is no invariant inner
product to make it so).
"""

from __future__ import annotations

import flint
import numpy as np
import scipy.sparse as sp

from . import _exact as ex
from ._assemble import division_algebra, hom_exact
from ._monoid import MonoidSummand, monoid_summands

MAX_ENVELOPE_DIM = 24  # summand dimension up to which A_U (dimension <= d²) is built exactly


def irreducible_summands(
    e: list[sp.csr_array], gens: list[flint.fmpq_mat], d: int
) -> list[tuple[MonoidSummand, int]] | None:
    """The summands with the dimension of their End (1, 2, 4), each proved irreducible and the
    classes pairwise non-isomorphic; None when some summand is not proved irreducible."""
    summands = monoid_summands(e, gens, d)
    out: list[tuple[MonoidSummand, int]] = []
    blocks: list[list[flint.fmpq_mat]] = []
    for s in summands:
        if s.dim > MAX_ENVELOPE_DIM:
            return None
        block = [fmpq_matrix(m) for m in s.block]
        if not semisimple_envelope(block):
            return None
        endo = hom_exact(block, block)
        if not division_algebra(endo, exact=True):
            return None
        out.append((s, len(endo)))
        blocks.append(block)
    for i in range(len(blocks)):
        for j in range(i + 1, len(blocks)):
            if out[i][0].dim == out[j][0].dim and hom_exact(blocks[i], blocks[j]):
                return None
    return out


def semisimple_envelope(gens: list[flint.fmpq_mat]) -> bool:
    """Whether the algebra spanned by all words in ``gens`` (and I) is semisimple: its trace
    form is nondegenerate (Dickson). Words are selected in float64 and the result proved over Q
    (the selected words' exact rank, and closure: every generator times every selected word lies
    in their span)."""
    n = gens[0].nrows() if gens else 1
    floats = [ex.to_floats(g) for g in gens]
    words = [np.eye(n)]
    exact = [ex.identity(n)]
    ortho = [np.eye(n).ravel() / np.sqrt(n)]  # an orthonormal basis of the words' span
    head = 0
    while head < len(words):
        for g, gf in zip(gens, floats):
            w = gf @ words[head]
            v = w.ravel()
            q = np.array(ortho)
            for _ in range(2):  # Gram-Schmidt, twice for stability
                v = v - q.T @ (q @ v)
            if np.linalg.norm(v) > 1e-9 * max(1.0, float(np.linalg.norm(w))):
                ortho.append(v / np.linalg.norm(v))
                words.append(w)
                exact.append(g * exact[head])
        head += 1
    k = len(exact)
    basis = flint.fmpq_mat(k, n * n, [v for m in exact for v in m.entries()])
    if basis.rank() != k:
        return False
    for g in gens:  # closure, exactly: [basis; vec(g b)] has rank k for every b
        images = flint.fmpq_mat(k, n * n, [v for m in exact for v in (g * m).entries()])
        both = flint.fmpq_mat(2 * k, n * n, list(basis.entries()) + list(images.entries()))
        if both.rank() != k:
            return False
    transposed = flint.fmpq_mat(k, n * n, [v for m in exact for v in m.transpose().entries()])
    form = basis * transposed.transpose()  # tr(a_i a_j) = vec(a_i) · vec(a_jᵀ)
    return form.rank() == k


def fmpq_matrix(m) -> flint.fmpq_mat:
    """A ZZ/QQ :class:`Matrix` as an exact ``fmpq_mat``."""
    out = flint.fmpq_mat(m.shape[0], m.shape[1])
    for r, c, v in zip(m.rows, m.cols, m.vals):
        out[int(r), int(c)] = flint.fmpq(int(v.p), int(v.q)) if hasattr(v, "p") else int(v)
    return out


TYPES = {1: "real", 2: "complex", 4: "quaternionic"}


def reductive_decomposition(action, rep, e: list[sp.csr_array]):
    """The :class:`Decomposition` of a non-orthogonal group rep into proved irreducibles, or
    None when the rep is not shown completely reducible (module docstring)."""
    from fractions import Fraction

    from ._decomposition import Decomposition, Irrep
    from ._given import GivenRep
    from ._names import IrrepInfo, name_irreps

    gq = [fmpq_matrix(m) for m in rep.generators]
    found = irreducible_summands(e, gq, rep.dim)
    if found is None:
        return None
    infos = [
        IrrepInfo(action, s.dim, TYPES[k], tuple(m.to_numpy() for m in s.block)) for s, k in found
    ]
    names = name_irreps(infos)
    order = sorted(range(len(found)), key=lambda i: (found[i][0].dim, names[i]))
    irreps = []
    cols: list[flint.fmpq_mat] = []
    blocks: list[list[flint.fmpq_mat]] = [[] for _ in gq]
    for i in order:
        s, k = found[i]
        irreps.append(
            Irrep(names[i], s.dim, len(s.copies), TYPES[k], GivenRep(action, names[i], s.block))
        )
        cols.extend(s.copies)
        for j, b in enumerate(s.block):
            blocks[j].extend([fmpq_matrix(b)] * len(s.copies))
    r = ex.hstack(cols)
    for g, bl in zip(gq, blocks):
        if g * r != r * ex.block_diag(bl):
            from ..errors import SolverError

            raise SolverError("the decomposition failed its exact check rho(X) R = R B(X) (a bug)")
    cert = (
        "exact: rho(X) R = R B(X) over Q, R invertible (the rep is not orthogonal: R is not)",
        "every summand irreducible: its envelope semisimple (nondegenerate trace form, Dickson) "
        "and its End a division algebra (Schur); classes pairwise non-isomorphic (Hom = 0)",
    )
    return Decomposition(
        group=action.name,
        kind=action.kind,
        rep=rep,
        dim=rep.dim,
        exact=True,
        irreps=tuple(irreps),
        change_of_basis=ex.to_floats(r),
        indecomposable=False,
        certificate=cert,
        rational_parts=(r,),
        scale_squares=tuple(Fraction(1) for _ in range(rep.dim)),
    )
