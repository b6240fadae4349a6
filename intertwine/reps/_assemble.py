"""From irreducible pieces to isomorphism classes, their generators, and the change of basis.

Each piece U (a G-invariant subspace, orthogonal to the others) gets a basis C with orthogonal
columns and its matrices M(X) = (CᵀC)⁻¹ Cᵀ ρ(X) C, checked as ρ(X) C = C M(X). Then, on the
small piece alone (n² unknowns), exactly or in float64:

- End_G(U) = {Y : Y M(X) = M(X) Y}: U is irreducible iff End_G(U) is a division algebra, whose
  dimension 1, 2 or 4 is the type (real, complex, quaternionic; Frobenius, Schur);
- two pieces are isomorphic iff Hom_G(U_r, U_j) ≠ 0, and a nonzero Y in it carries the
  representative's basis onto the copy: C'_j = C_j Y satisfies ρ C'_j = C'_j M_r, and
  C'_jᵀ C'_j = c CᵀC with c > 0 (an intertwiner between orthogonal irreps is a multiple of an
  isometry: YᵀY lies in the symmetric part of the division algebra, the real scalars).

So the change of basis is Q = [C'_j] diag(s) with s_i = 1/sqrt(c_j (CᵀC)_ii): exact entries are
rationals times square roots of rationals.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np
import sympy

from ..core import Matrix
from . import _exact as ex


@dataclass(frozen=True)
class Found:
    """One isomorphism class: its generator matrices in an orthonormal basis and its copies."""

    dim: int
    endo_dim: int
    block: tuple[np.ndarray, ...]  # float generator matrices, n x n
    copies: tuple[np.ndarray, ...]  # float columns of Q, d x n each
    exact_block: tuple[Matrix, ...] | None = None
    exact_copies: tuple[tuple[flint.fmpq_mat, tuple[flint.fmpq, ...]], ...] | None = None


# ----------------------------------------------------------------- small Hom solves
def _hom_system_exact(a: list[flint.fmpq_mat], b: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """Rows of Y ↦ Y A − B Y (row-major vec Y, Y of shape n_b x n_a) for each generator."""
    na, nb = a[0].nrows(), b[0].nrows()
    rows = []
    for am, bm in zip(a, b):
        al, bl = am.tolist(), bm.tolist()
        for i in range(nb):
            for j in range(na):
                row = [flint.fmpq(0)] * (nb * na)
                for k in range(na):  # (Y A)_ij = sum_k Y_ik A_kj
                    if al[k][j] != 0:
                        row[i * na + k] += al[k][j]
                for k in range(nb):  # (B Y)_ij = sum_k B_ik Y_kj
                    if bl[i][k] != 0:
                        row[k * na + j] -= bl[i][k]
                rows.append(row)
    return ex.from_rows(rows)


def hom_exact(a: list[flint.fmpq_mat], b: list[flint.fmpq_mat]) -> list[flint.fmpq_mat]:
    """A basis of {Y : Y A(X) = B(X) Y for every X}, exactly."""
    na, nb = a[0].nrows(), b[0].nrows()
    null = ex.nullspace(_hom_system_exact(a, b))
    cols = null.tolist()
    return [
        flint.fmpq_mat(nb, na, [cols[r][c] for r in range(nb * na)]) for c in range(null.ncols())
    ]


def hom_float(a: list[np.ndarray], b: list[np.ndarray], tol: float = 1e-8) -> list[np.ndarray]:
    na, nb = a[0].shape[0], b[0].shape[0]
    sys = np.vstack([np.kron(np.eye(nb), am.T) - np.kron(bm, np.eye(na)) for am, bm in zip(a, b)])
    _u, s, vt = np.linalg.svd(sys, full_matrices=False)
    scale = max(1.0, float(s[0])) if s.size else 1.0
    rank = int(np.sum(s > tol * scale))
    return [v.reshape(nb, na) for v in vt[rank:]]


def division_algebra(basis: list, exact: bool) -> bool:
    """Whether the span of ``basis`` (End_G of a piece, containing I) is a division algebra:
    dimension 1; or 2 with a non-scalar element of negative discriminant; or 4 with its traceless
    part an anticommuting negative definite space (the quaternions)."""
    k = len(basis)
    if k == 1:
        return True
    if k not in (2, 4):
        return False
    n = basis[0].nrows() if exact else basis[0].shape[0]

    def trace(m):
        return sum(m[i, i] for i in range(n))

    traceless = [m - _ident(n, exact) * (trace(m) / n) for m in basis]
    traceless = [m for m in traceless if not _zero(m, exact)]
    if len(traceless) < k - 1:
        return False
    if exact:
        tl = _independent_exact(traceless, k - 1)
    else:
        tl = traceless[: k - 1]
    gram: list[list] = [[0] * len(tl) for _ in tl]
    for i, x in enumerate(tl):
        for j, y in enumerate(tl):
            s = x * y + y * x if exact else x @ y + y @ x
            if not _scalar(s, exact):
                return False
            gram[i][j] = -s[0, 0] / 2
    g = np.array([[float(v) for v in row] for row in gram])
    return bool(np.all(np.linalg.eigvalsh((g + g.T) / 2) > 0))


def _independent_exact(ms: list, k: int) -> list:
    out: list = []
    for m in ms:
        trial = out + [m]
        rows = [[v for v in t.entries()] for t in trial]
        if ex.from_rows(rows).rank() == len(trial):
            out = trial
        if len(out) == k:
            break
    return out


def _ident(n: int, exact: bool):
    return ex.identity(n) if exact else np.eye(n)


def _zero(m, exact: bool) -> bool:
    return ex.is_zero(m) if exact else bool(np.allclose(m, 0, atol=1e-9))


def _scalar(m, exact: bool) -> bool:
    if exact:
        return ex.is_scalar(m)
    return bool(np.allclose(m, m[0, 0] * np.eye(m.shape[0]), atol=1e-8))


# ----------------------------------------------------------------- assembly
def fingerprint(ms: list[np.ndarray]) -> np.ndarray:
    """Traces of the generators, their squares and their pairwise products: equal for
    isomorphic pieces, so unequal ones need no Hom solve (a screen, never a proof)."""
    out = [np.trace(m) for m in ms] + [np.trace(a @ b) for i, a in enumerate(ms) for b in ms[i:]]
    return np.array(out, dtype=np.float64)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.allclose(a, b, atol=1e-7 * (1 + float(np.abs(a).max(initial=0)))))


@dataclass
class _Class:
    """A class being collected: its representative piece and the copies found so far."""

    c: flint.fmpq_mat
    norms: list
    ms: list[flint.fmpq_mat]
    endo_dim: int
    copies: list[tuple[flint.fmpq_mat, tuple[flint.fmpq, ...]]]
    fp: np.ndarray | None = None


def assemble_exact(pieces: list[flint.fmpq_mat], gens: list[flint.fmpq_mat]) -> list[Found] | None:
    """Classes of exact pieces, or None when some piece is not proved irreducible."""
    classes: list[_Class] = []
    for b in pieces:
        c, norms = ex.gram_schmidt(b)
        dinv = flint.fmpq_mat(len(norms), len(norms))
        for i, v in enumerate(norms):
            dinv[i, i] = 1 / v
        ct = c.transpose()
        ms = [dinv * (ct * (g * c)) for g in gens]
        if any(g * c != c * m for g, m in zip(gens, ms)):
            return None  # not invariant: cannot happen for pieces cut by commutant elements
        fp = fingerprint([ex.to_floats(m) for m in ms])
        for cl in classes:
            if cl.c.ncols() != c.ncols() or (cl.fp is not None and not _same(cl.fp, fp)):
                continue
            homs = hom_exact(cl.ms, ms)
            if homs:
                cj = c * homs[0]
                gram = cj.transpose() * cj
                ratio = gram[0, 0] / cl.norms[0]
                if gram != _diag(cl.norms) * ratio:
                    return None
                cl.copies.append((cj, tuple(1 / (ratio * v) for v in cl.norms)))
                break
        else:
            endo = hom_exact(ms, ms)
            if not division_algebra(endo, exact=True):
                return None
            classes.append(_Class(c, norms, ms, len(endo), [(c, tuple(1 / v for v in norms))], fp))
    return [_found(cl) for cl in classes]


def _diag(values: list) -> flint.fmpq_mat:
    out = flint.fmpq_mat(len(values), len(values))
    for i, v in enumerate(values):
        out[i, i] = v
    return out


def _found(cl: _Class) -> Found:
    """The class's generators in the orthonormal basis C diag(1/sqrt(norms)): entries
    M_ij sqrt(norm_i / norm_j)."""
    n = len(cl.norms)
    root = [sympy.sqrt(sympy.Rational(int(v.p), int(v.q))) for v in cl.norms]

    def entry(m: flint.fmpq_mat, i: int, j: int):
        v = m[i, j]
        return 0 if v == 0 else sympy.Rational(int(v.p), int(v.q)) * root[i] / root[j]

    block = tuple(
        Matrix.from_dense(
            np.array([[entry(m, i, j) for j in range(n)] for i in range(n)], dtype=object)
        )
        for m in cl.ms
    )
    fcopies = tuple(
        ex.to_floats(cj) * np.sqrt(np.array([float(s) for s in sc]))[None, :]
        for cj, sc in cl.copies
    )
    return Found(
        n, cl.endo_dim, tuple(m.to_numpy() for m in block), fcopies, block, tuple(cl.copies)
    )


def assemble_float(pieces: list[np.ndarray], gens: list[np.ndarray]) -> list[Found]:
    """Classes of float pieces (orthonormal bases)."""
    reps: list[tuple[np.ndarray, list[np.ndarray], list[np.ndarray], int, np.ndarray]] = []
    for b in pieces:
        ms = [b.T @ g @ b for g in gens]
        fp = fingerprint(ms)
        for rb, rms, copies, _e, rfp in reps:
            if rb.shape[1] != b.shape[1] or not _same(rfp, fp):
                continue
            homs = hom_float(rms, ms)
            if homs:
                y = homs[0]
                y = y / np.sqrt((y.T @ y)[0, 0])
                copies.append(b @ y)
                break
        else:
            reps.append((b, ms, [b], len(hom_float(ms, ms)), fp))
    return [Found(b.shape[1], e, tuple(ms), tuple(copies)) for b, ms, copies, e, _fp in reps]
