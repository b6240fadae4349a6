"""Indecomposable summands of a monoid rep, by primitive idempotents of E = End_M(V).

A monoid rep need not be completely reducible (the truncating shift on R^n has the invariant line
R e_n with no invariant complement), so the summands are *indecomposable*, not irreducible
(Krull–Schmidt). For x in E and the distinct irreducible factors f_i of its characteristic
polynomial over Q, V = ⊕ ker f_i(x)^n is a decomposition into M-invariant subspaces (primary
decomposition; x commutes with the action, so each generalised eigenspace is invariant), and the
projections onto the pieces are polynomials in x, so E compresses to each piece. Repeating with
further elements (a random one, then the basis elements) ends in pieces U where no element tried
splits; U is *proved* indecomposable when E_U / rad E_U is one-dimensional (then E_U is local;
rad E_U = {a : tr(ab) = 0 for all b}, Dickson's criterion in characteristic 0).

Two indecomposables U, W with local End rings are isomorphic iff tr(g f) ≠ 0 for some f in
Hom_M(U, W) and g in Hom_M(W, U), both compressions of basis elements of E (Fitting's lemma; see
``_isomorphism``). The element that split the pieces cannot serve as a test: it maps each of its
own primary components into itself, so its compressions between pieces are zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np
import scipy.sparse as sp

from ..core import Matrix
from . import _exact as ex


@dataclass(frozen=True)
class MonoidSummand:
    """One isomorphism class of indecomposables: its matrices and the columns of its copies."""

    dim: int
    block: tuple[Matrix, ...]
    copies: tuple[flint.fmpq_mat, ...]
    proved: bool


def _compress(t_inv_rows: flint.fmpq_mat, x: flint.fmpq_mat, b: flint.fmpq_mat) -> flint.fmpq_mat:
    return t_inv_rows * (x * b)


def _rows(m: flint.fmpq_mat, lo: int, hi: int) -> flint.fmpq_mat:
    rows = m.tolist()[lo:hi]
    return flint.fmpq_mat(hi - lo, m.ncols(), [v for r in rows for v in r])


def monoid_summands(
    e: list[sp.csr_array], gens: list[flint.fmpq_mat], d: int, seed: int = 0
) -> list[MonoidSummand]:
    rng = np.random.default_rng(seed)
    emats = [ex.from_sparse(m) for m in e]
    rand = flint.fmpq_mat(d, d)
    for m in emats:
        rand = rand + m * int(rng.integers(-3, 4))
    cands = [rand] + emats
    pieces = [ex.identity(d)]
    changed = True
    while changed:
        changed = False
        t = ex.hstack(pieces)
        tinv = t.inv()
        offs = np.cumsum([0] + [p.ncols() for p in pieces])
        for pi, b in enumerate(pieces):
            if b.ncols() == 1:
                continue
            proj = _rows(tinv, int(offs[pi]), int(offs[pi + 1]))
            for x in cands:
                xu = _compress(proj, x, b)
                fs = ex.factors(xu)
                if len(fs) < 2:
                    continue
                n = xu.nrows()
                new = []
                for f in fs:
                    fx = ex.poly_at(f, xu)
                    p = fx
                    for _ in range(n - 1):
                        p = p * fx
                    new.append(b * ex.nullspace(p))
                pieces[pi : pi + 1] = new
                changed = True
                break
            if changed:
                break
    t = ex.hstack(pieces)
    tinv = t.inv()
    offs = np.cumsum([0] + [p.ncols() for p in pieces])
    projs = [_rows(tinv, int(offs[i]), int(offs[i + 1])) for i in range(len(pieces))]
    local = [_local([_compress(projs[i], x, b) for x in emats]) for i, b in enumerate(pieces)]
    classes: list[tuple[int, list[flint.fmpq_mat]]] = []
    out_blocks: dict[int, tuple[Matrix, ...]] = {}
    for i, b in enumerate(pieces):
        for r, copies in classes:
            if pieces[r].ncols() != b.ncols():
                continue
            phi = _isomorphism(projs, pieces, emats, r, i, exact=local[r] and local[i], rng=rng)
            if phi is not None:
                copies.append(b * phi)
                break
        else:
            classes.append((i, [b]))
            block = tuple(_compress(projs[i], g, b) for g in gens)
            out_blocks[i] = tuple(_to_matrix(m) for m in block)
    return [
        MonoidSummand(pieces[r].ncols(), out_blocks[r], tuple(_scaled(c) for c in copies), local[r])
        for r, copies in classes
    ]


def _scaled(c: flint.fmpq_mat) -> flint.fmpq_mat:
    """The copy times a power of two putting its largest entry in [1, 2): ρ(X)(sC) = (sC)B
    for any scalar s, and the isomorphisms found by random combinations can otherwise grow
    entries past float64's range."""
    big = max((abs(v) for v in c.entries()), default=flint.fmpq(0))
    if big == 0:
        return c
    k = int(big.p).bit_length() - int(big.q).bit_length()
    s = flint.fmpq(1, 2**k) if k >= 0 else flint.fmpq(2 ** (-k))
    return c * s


def _isomorphism(
    projs: list[flint.fmpq_mat],
    pieces: list[flint.fmpq_mat],
    emats: list[flint.fmpq_mat],
    r: int,
    i: int,
    exact: bool,
    rng: np.random.Generator,
) -> flint.fmpq_mat | None:
    """An isomorphism U_r -> U_i (in their coordinates) or None when there is none.

    Hom_M(U_r, U_i) is spanned by the compressions F_a = π_i x_a ι_r of a basis x_a of E, and
    Hom_M(U_i, U_r) by G_b = π_r x_b ι_i. When both End rings are local with residue field Q
    (``exact``), every endomorphism is λ·1 + nilpotent, so G_b F_a is invertible iff its trace is
    nonzero, and U_r ≅ U_i iff some tr(G_b F_a) ≠ 0 (Fitting's lemma: a composite through
    non-isomorphic indecomposables lies in the radical); then F_a is the isomorphism. Otherwise
    fresh random elements of Hom are tried (the invertible ones are Zariski-dense when one exists).
    """
    fs = [_compress(projs[i], x, pieces[r]) for x in emats]
    if exact:
        gs = [_compress(projs[r], x, pieces[i]) for x in emats]
        for f in fs:
            if not any(f.entries()):
                continue
            for g in gs:
                gf = g * f
                if sum(gf[k, k] for k in range(gf.nrows())) != 0:
                    return f
        return None
    for _ in range(4):
        phi = flint.fmpq_mat(fs[0].nrows(), fs[0].ncols())
        for f in fs:
            phi = phi + f * int(rng.integers(-(10**6), 10**6 + 1))
        if phi.det() != 0:
            return phi
    return None


def _local(elems: list[flint.fmpq_mat]) -> bool:
    """dim E_U / rad E_U == 1 (E_U spanned by ``elems``; rad by the trace form)."""
    rows = [list(m.entries()) for m in elems]
    span = ex.from_rows(rows)
    basis_rows = span.rref()[0]
    r = span.rank()
    n = elems[0].nrows()
    basis = [flint.fmpq_mat(n, n, basis_rows.tolist()[i]) for i in range(r)]
    form = flint.fmpq_mat(r, r)
    for i, a in enumerate(basis):
        for j, b in enumerate(basis):
            p = a * b
            form[i, j] = sum(p[k, k] for k in range(n))
    return form.rank() == 1


def _to_matrix(m: flint.fmpq_mat) -> Matrix:
    from sympy import Rational

    rows = m.tolist()
    return Matrix.from_dense(
        np.array([[Rational(int(v.p), int(v.q)) for v in r] for r in rows], dtype=object)
    )
