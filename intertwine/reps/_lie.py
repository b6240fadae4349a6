"""Irreducible copies of a Lie group rep without its commutant: Casimir, a weight space, spinning.

For a compact Lie group acting orthogonally with integer Lie-algebra generators A_a:

1. the Casimir C = Σ η^{ab} ρ(A_a) ρ(A_b) (η the inverse trace form on the standard space) is
   central and rational; its eigenvalues separate the irreps of the identity component;
2. K = ker ρ(H) for one generator H (the zero-weight space for a Cartan element H) is preserved by
   C, and by any discrete generator g with g K ⊆ K; the joint rational eigenspaces of C and those
   g on K are K_j = w_j ⊗ R^{m_j} when the zero weight has multiplicity one in each irrep (true for
   SO(3) and O(3): the vector Y_l0): every vector of K_j is then a pure tensor;
3. spinning one vector u_1 of K_j under the generators (breadth-first words in the generators,
   kept when independent) gives one irreducible copy with basis {w(u_1)}; the same words on an
   orthogonal basis u_2, ..., u_m of K_j give the other copies, with the same matrices M(X).

Nothing above is assumed in the result: it is checked exactly (ρ(X) B_i = B_i M(X) for every copy
and generator, the copies' columns pairwise orthogonal across copies and filling V, each class's
End_G a division algebra, classes with equal Casimir and signs proved non-isomorphic), and any
failure returns None, so that the commutant method runs instead. Kernels are taken block by block
over the connected components of ρ(H)'s sparsity pattern (tensor powers make these small).
"""

from __future__ import annotations

import flint
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..core import Action, Rep
from . import _exact as ex
from ._assemble import Found, _Class, _found, division_algebra, hom_exact
from ._residues import orthogonal_copies

MAX_LIE_DIM = 2200


def _int_sparse(m) -> sp.csr_array:
    return sp.csr_array(m.to_scipy(np.int64))


def casimir_scaled(action: Action, rep: Rep) -> tuple[sp.csr_array, int] | None:
    """(den · C, den) with integer entries, or None without Lie generators or a nondegenerate
    trace form."""
    from scipy.linalg import block_diag

    idx = [i for i, g in enumerate(action.generators) if g.kind == "lie"]
    if not idx:
        return None
    std = [block_diag(*[m.to_numpy() for m in action.generators[i].matrices]) for i in idx]
    form = ex.from_rows([[int(round(np.trace(a @ b))) for b in std] for a in std])
    if form.det() == 0:
        return None
    eta = form.inv()
    den = 1
    for v in eta.entries():
        den = den * int(v.q) // np.gcd(den, int(v.q))
    gens = [_int_sparse(rep.generators[i]) for i in idx]
    c = sp.csr_array(gens[0].shape, dtype=np.int64)
    for a in range(len(idx)):
        for b in range(len(idx)):
            w = eta[a, b] * den
            if w != 0:
                c = c + int(w) * (gens[a] @ gens[b])
    return c, den


def _kernel_blocks(h: sp.csr_array) -> list[np.ndarray]:
    """Integer kernel vectors of h (d x d sparse int), block by block over its components."""
    d = h.shape[0]
    pattern = (abs(h) + abs(h).T).astype(bool)
    ncomp, labels = connected_components(pattern, directed=False)
    out = []
    for comp in range(ncomp):
        idx = np.nonzero(labels == comp)[0]
        sub = h[idx][:, idx].toarray()
        if not sub.any():
            null = np.eye(len(idx), dtype=object)
        else:
            k = ex.nullspace(ex.from_sparse(sub))
            null = np.array(k.tolist(), dtype=object).reshape(len(idx), k.ncols())
        for j in range(null.shape[1]):
            v = np.zeros(d, dtype=object)
            v[idx] = [int(x) for x in null[:, j]]
            out.append(v)
    return out


def _ints(m: np.ndarray) -> flint.fmpq_mat:
    return flint.fmpq_mat(m.shape[0], m.shape[1], np.asarray(m).ravel().tolist())


def _int_product(a, b: np.ndarray) -> np.ndarray | None:
    """a @ b for integer a (sparse or dense) and b, exact: None when int64 could overflow."""
    bound = float(np.abs(b).max(initial=0)) * float(abs(a).sum(axis=1).max(initial=0))
    if bound >= 2**62:
        return None
    return np.asarray(a @ b, dtype=np.int64)


def _primitive(v: np.ndarray) -> np.ndarray:
    """An integer vector as its primitive multiple (entries divided by their gcd)."""
    g = int(np.gcd.reduce(np.abs(v[v != 0]))) if np.any(v) else 1
    return v // max(g, 1)


def lie_pieces(action: Action, rep: Rep) -> list[Found] | None:
    """The classes of irreducible copies, proved exactly, or None when this method does not
    reach a proof (then the commutant method runs)."""
    mats = list(rep.generators) + list(rep.helpers)
    if any(m.domain != "ZZ" for m in mats):
        return None
    gens = [_int_sparse(m) for m in mats]
    cas = casimir_scaled(action, rep)
    if cas is None:
        return None
    c, _den = cas
    lie = [i for i, g in enumerate(action.generators) if g.kind == "lie"]
    kvecs = _kernel_blocks(gens[lie[0]])
    if not kvecs:
        return None
    kint = np.array(kvecs, dtype=np.int64).T  # d x k
    kq = _ints(kint)
    gram_inv = _ints(kint.T @ kint).inv()
    restrict = []
    for x in [c] + [gens[i] for i, g in enumerate(action.generators) if g.kind == "discrete"]:
        img = _int_product(x, kint)
        if img is None:
            return None
        coeff = gram_inv * _ints(kint.T @ img)
        if kq * coeff == _ints(img):  # x preserves K
            restrict.append(coeff)
    spaces = [ex.identity(kint.shape[1])]
    for x in restrict:
        nxt = []
        for sp_ in spaces:
            st = sp_.transpose()
            xs = (st * sp_).inv() * (st * (x * sp_))
            for f in ex.factors(xs):
                if f.degree() != 1:
                    return None
                nxt.append(sp_ * ex.nullspace(ex.poly_at(f, xs)))
        spaces = nxt
    found: list[Found] = []
    rational_ms: list[list[flint.fmpq_mat]] = []
    all_copies: list[np.ndarray] = []
    total = 0
    for space in spaces:
        # an orthogonal basis of K_j in integers: columns of (K S) R⁻¹, each scaled to integers
        snum, _sden = space.numer_denom()
        ks = kint @ np.array(snum.tolist(), dtype=np.int64).reshape(space.nrows(), -1)
        orth_coeff = _orthogonalizer(_ints(ks))
        us = []
        for j in range(orth_coeff.ncols()):
            col = [orth_coeff[i, j] for i in range(orth_coeff.nrows())]
            den = 1
            for v in col:
                den = den * int(v.q) // np.gcd(den, int(v.q))
            a = np.array([int(v * den) for v in col], dtype=np.int64)
            us.append(_primitive(ks @ a))
        res = _spin_class(us, gens, len(action.generators))
        if res is None:
            return None
        f, ms, ints = res
        all_copies.extend(ints)
        total += f.dim * len(f.copies)
        found.append(f)
        rational_ms.append(ms)
    if total != rep.dim or not orthogonal_copies(all_copies):
        return None
    for i in range(len(found)):  # classes pairwise non-isomorphic: Hom = 0
        for j in range(i + 1, len(found)):
            if found[i].dim == found[j].dim and hom_exact(rational_ms[i], rational_ms[j]):
                return None
    return found


def _orthogonalizer(b: flint.fmpq_mat) -> flint.fmpq_mat:
    """R⁻¹ with b R⁻¹ orthogonal columns (b = C R, the LDLᵀ of bᵀb; see ``gram_schmidt``)."""
    c, norms = ex.gram_schmidt(b)
    k = len(norms)
    dinv = flint.fmpq_mat(k, k)
    for i, v in enumerate(norms):
        dinv[i, i] = 1 / v
    return (dinv * (c.transpose() * b)).inv()


def _spin_class(us: list[np.ndarray], gens: list[sp.csr_array], ngen: int):
    words, first = _spin(us[0], gens[:ngen])
    if first is None:
        return None
    n = len(words)
    copies = [np.array(first).T]
    for u in us[1:]:
        b = _apply_words(u, words, gens[:ngen])
        if b is None:
            return None
        copies.append(b)
    b1 = _ints(copies[0])
    try:
        c1, norms = ex.gram_schmidt(b1)
    except ValueError:
        return None
    if c1.ncols() != n:
        return None
    dinv = flint.fmpq_mat(n, n)
    for i, v in enumerate(norms):
        dinv[i, i] = 1 / v
    r = dinv * (c1.transpose() * b1)  # b1 = c1 r, r unit upper triangular
    rinv = r.inv()
    mw = []  # the matrices in the word basis: ρ(X) B_1 = B_1 mw(X)
    b1t = b1.transpose()
    g1 = (b1t * b1).inv()
    for g in gens:
        img = _int_product(g, copies[0])
        if img is None:
            return None
        mw.append(g1 * (b1t * _ints(img)))
    # exact check, every copy and generator: den·ρ(X)B_i == B_i·(den·mw(X)) in integers
    for g, m in zip(gens, mw):
        den = 1
        for v in m.entries():
            den = den * int(v.q) // np.gcd(den, int(v.q))
        mi = np.array([[int(m[i, j] * den) for j in range(n)] for i in range(n)], dtype=np.int64)
        for b in copies:
            lhs = _int_product(g, b)
            rhs = _int_product(b, mi) if lhs is not None else None
            if lhs is None or rhs is None or not np.array_equal(lhs * den, rhs):
                return None
    ms = [r * m * rinv for m in mw]  # in the orthogonal basis C_1 = B_1 r⁻¹
    cl = _Class(c1, norms, ms, 0, [])
    for b in copies:
        ci = _ints(b) * rinv
        gram = ci.transpose() * ci
        ratio = gram[0, 0] / norms[0]
        for i in range(n):
            for j in range(n):
                if gram[i, j] != (ratio * norms[i] if i == j else 0):
                    return None
        cl.copies.append((ci, tuple(1 / (ratio * v) for v in norms)))
    endo = hom_exact(ms[:ngen], ms[:ngen])
    if not division_algebra(endo, exact=True):
        return None
    cl.endo_dim = len(endo)
    return _found(cl), ms[:ngen], copies


def _spin(u: np.ndarray, gens: list[sp.csr_array]):
    """Breadth-first words (generator, parent) whose images of u are independent."""
    vecs = [u]
    words: list[tuple[int, int]] = [(-1, -1)]
    head = 0
    while head < len(vecs):
        for gi, g in enumerate(gens):
            w = _int_product(g, vecs[head])
            if w is None:
                return words, None
            # selection in float64 only: independence is proved later (gram_schmidt)
            trial = np.array(vecs + [w], dtype=np.float64).T
            if np.linalg.matrix_rank(trial) > len(vecs):
                vecs.append(w)
                words.append((gi, head))
        head += 1
    return words, vecs


def _apply_words(u, words, gens) -> np.ndarray | None:
    vecs = [u]
    for gi, parent in words[1:]:
        w = _int_product(gens[gi], vecs[parent])
        if w is None:
            return None
        vecs.append(w)
    return np.array(vecs).T
