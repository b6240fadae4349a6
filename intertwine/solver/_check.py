"""Every basis is checked before it leaves the solver: constraints, then independence.

Exact bases: C b = 0 in integer arithmetic that cannot overflow (sympy for algebraic generators),
and independence from distinct leading columns, else a full rank of the Gram matrix modulo a
prime (rank mod p ≤ rank over Q). Float bases: max|W X_in − X_out W| ≤ 1e-10 · max|W| ·
max(max|X_in|, max|X_out|, 1) for each basis element (max-norms, finite wherever the entries
are), and a well-conditioned Gram matrix.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..core import Matrix, is_zero_exact
from ..errors import VerificationError
from ._certificate import PRIMES, rank_mod_p
from ._constraints import Constraint, operator
from ._intmatrix import as_intmatrix

FLOAT_TOL = 1e-10
GRAM_MOD_P_MAX = 6000


def check_basis(
    coeffs: sp.csr_array,
    exact: bool,
    cons: list[Constraint],
    shape: tuple[int, int],
    float_tol: float | None = None,
) -> float:
    """Raise VerificationError unless every row of ``coeffs`` is an intertwiner and the rows are
    independent. Returns the largest relative float residual (0.0 for exact bases).
    ``float_tol``: the residual allowed for a float basis (default ``FLOAT_TOL``; larger for
    float generators solved at a rank tolerance)."""
    worst = 0.0
    k = coeffs.shape[0]
    if k == 0:
        return 0.0
    for c in cons:
        if c.helper:
            continue
        if exact and c.domain in ("ZZ", "QQ"):
            if (operator(c, exact=True) @ as_intmatrix(coeffs.T)).count_nonzero():
                raise VerificationError(f"basis fails generator {c.name} exactly")
        elif exact:
            _check_symbolic(coeffs, c, shape)
        else:
            worst = max(worst, _float_residual(coeffs, c))
    limit = FLOAT_TOL if float_tol is None else float_tol
    if worst > limit:
        raise VerificationError(f"basis residual {worst:.2e} exceeds {limit:g}")
    _check_independent(coeffs, exact)
    return worst


def _float_residual(coeffs: sp.csr_array, c: Constraint) -> float:
    """max |C b| / (max |b| · max |X|) over the basis vectors b: max-norms, which cannot
    overflow where entries are near the float64 limit (a squared 2-norm of 1e200 would)."""
    op = operator(c, exact=False)
    res = sp.csc_array(op @ coeffs.T.astype(np.float64))
    scale = max(_max_abs(c.x_in.to_scipy()), _max_abs(c.x_out.to_scipy()), 1.0)
    norms = abs(sp.csr_array(coeffs, dtype=np.float64)).max(axis=1).toarray().ravel()
    col = abs(res).max(axis=0).toarray().ravel() if res.nnz else np.zeros(coeffs.shape[0])
    if not np.all(np.isfinite(col)):
        return float("inf")
    return float(np.max(col / (norms * scale)))


def _max_abs(m) -> float:
    return float(np.max(np.abs(m.data))) if m.nnz else 0.0


def _monomial_parts(m: Matrix) -> dict:
    """m = Σ_b e_b · M_b with e_b distinct radical monomials (1 for the rational part) and M_b
    rational sparse matrices, from the expanded entries (e.g. sqrt(2)/4 + 1/2)."""
    import sympy

    parts: dict = {}
    for r, c, v in zip(m.rows, m.cols, m.vals):
        for mono, coeff in sympy.expand(v).as_coefficients_dict().items():
            parts.setdefault(mono, []).append((int(r), int(c), coeff))
    return {
        b: Matrix(
            m.shape,
            [e[0] for e in es],
            [e[1] for e in es],
            np.array([e[2] for e in es], dtype=object),
            "QQ",
        )
        for b, es in parts.items()
    }


def _check_symbolic(coeffs: sp.csr_array, c: Constraint, shape: tuple[int, int]) -> None:
    """Exact check with algebraic generators. Splitting X = Σ_b e_b X_b over the radical
    monomials e_b, the rational checks W X_in,b = X_out,b W for every b are sufficient (and
    fast); only if one fails is the full symbolic product simplified entry by entry."""
    import sympy

    from ._constraints import operator

    parts_in, parts_out = _monomial_parts(c.x_in), _monomial_parts(c.x_out)
    ok = True
    for b in set(parts_in) | set(parts_out):
        xi = parts_in.get(b, Matrix.zeros(*c.x_in.shape))
        xo = parts_out.get(b, Matrix.zeros(*c.x_out.shape))
        part = Constraint(c.name, c.kind, xi, xo)
        if (operator(part, exact=True) @ as_intmatrix(coeffs.T)).count_nonzero():
            ok = False
            break
    if ok:
        return
    d_out, d_in = shape
    xi, xo = c.x_in.to_sympy(), c.x_out.to_sympy()
    for r in range(coeffs.shape[0]):
        row = coeffs[[r]].tocoo()
        entries = {
            (int(a) // d_in, int(a) % d_in): sympy.Integer(int(v))
            for a, v in zip(row.col, row.data)
        }
        w = sympy.SparseMatrix(d_out, d_in, entries)
        diff = w * xi - xo * w
        if not all(is_zero_exact(sympy.expand(v)) for v in diff.values()):
            raise VerificationError(f"basis element {r} fails generator {c.name} exactly")


def _check_independent(coeffs: sp.csr_array, exact: bool) -> None:
    k = coeffs.shape[0]
    lead = _leading_columns(coeffs)
    if lead is not None and np.unique(lead).size == k:
        return  # distinct leading columns: triangular, so independent (tyings, echelon forms)
    if exact:
        if k > GRAM_MOD_P_MAX:
            raise VerificationError(
                f"the independence of {k} exact basis vectors without distinct leading columns "
                f"is not proved (the limit is {GRAM_MOD_P_MAX})"
            )
        # rank mod p <= rank over Q, so a full rank mod p proves independence
        exact_gram = _exact_gram(coeffs)
        rank = rank_mod_p(exact_gram, PRIMES[0])
        if rank < k:  # an unlucky prime can only lower the rank: try a second
            rank = max(rank, rank_mod_p(exact_gram, PRIMES[1]))
        if rank < k:
            raise VerificationError(f"basis has {k} elements but rank {rank}")
        return
    gram = coeffs @ coeffs.T
    gram = gram.toarray() if sp.issparse(gram) else np.asarray(gram)
    w = np.linalg.eigvalsh(gram.astype(np.float64))
    if w[0] <= 1e-10 * max(w[-1], 1e-300):
        raise VerificationError("basis elements are not linearly independent")


def _exact_gram(coeffs: sp.csr_array):
    """B Bᵀ exactly: a dense float64 product when the basis is dense and every partial sum is an
    integer below 2^53 (exact in float64), else sparse integer arithmetic that cannot overflow."""
    k, n = coeffs.shape
    big = int(np.max(np.abs(coeffs.data))) if coeffs.nnz else 0
    if coeffs.nnz > 0.2 * k * n and k * n <= 50_000_000 and big * big * n < 2**53:
        dense = coeffs.toarray().astype(np.float64)
        gram = np.rint(dense @ dense.T).astype(np.int64)
        return as_intmatrix(sp.csr_array(gram))
    return as_intmatrix(coeffs) @ as_intmatrix(coeffs.T)


def _leading_columns(coeffs: sp.csr_array) -> np.ndarray | None:
    """The column of each row's first nonzero (None if a row is zero)."""
    csr = sp.csr_array(coeffs)
    if not csr.has_sorted_indices:
        csr = csr.copy()
        csr.sort_indices()
    if np.any(np.diff(csr.indptr) == 0):
        return None
    nonzero = csr.data != 0
    if not np.all(nonzero):
        return None
    return csr.indices[csr.indptr[:-1]]


def check_tying(param: np.ndarray, sign: np.ndarray, pairs, d_in: int, d_out: int) -> None:
    """Check a signed tying against monomial constraint pairs, entry by entry, in O(N).

    Each pair gives equations x_a = s·x_b and x_z = 0 (see the orbit method); with
    x_a = sign[a]·θ[param[a]] they hold for every θ exactly when both sides name the same
    parameter with the same sign, or both are zero.
    """
    from ._orbit import _edges

    for pair in pairs:
        a, b, s, z = _edges(pair, d_in, d_out)
        same = (param[a] == param[b]) & (sign[a] == s * sign[b])
        both_zero = (param[a] < 0) & (param[b] < 0)
        if not np.all(same | both_zero) or np.any(param[z] >= 0):
            raise VerificationError("tying pattern fails a permutation constraint")
