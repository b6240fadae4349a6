"""Splitting a rep into irreducible pieces with elements of its commutant E = End_G(V).

For a group acting orthogonally, E is closed under transposition and its symmetric elements are
diagonalisable with orthogonal, G-invariant eigenspaces (they commute with every ρ(g)). Write
V ≅ ⊕ W_i ⊗ R^{m_i}: then E ≅ ⊕ M_{m_i}(D_i) with D_i = End_G(W_i) ∈ {R, C, H} (Schur), and

- *float*: a generic symmetric element of E has m_i distinct eigenvalues on each isotypic
  component, each eigenspace one irreducible copy (Wedderburn; the eigenvalues of a generic
  Hermitian matrix are simple);
- *exact*: the kernel of f(x), for x in E and f an irreducible factor over Q of its
  characteristic polynomial, is a rational G-invariant subspace, and the kernels for the distinct
  factors are orthogonal and fill V (primary decomposition). Splitting again inside each piece
  with further elements (a random combination first, then the basis elements and their squares
  e·eᵀ, which the orbit and diagram bases make singular often) ends in pieces that no tried element
  splits. Whether those are irreducible is then proved, not assumed (``_assemble``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..core import Action, Rep
from ..errors import SolverError
from . import _exact as ex

MAX_COMMUTANT_DIM = 800  # dim V: E is solved on dim V² unknowns and held as dim E sparse matrices
MAX_EXACT_DIM = 400  # dim V for the exact splitting (dense rational d x d arithmetic)
PIECE_TRIES = 24  # exact elements tried on one piece before it is left as it is
SMALL_PIECE = 8  # pieces up to this dimension are screened for irreducibility first


def commutant(action: Action, rep: Rep) -> tuple[list[sp.csr_array], bool]:
    """A basis of End_G(V) (from the solver) and whether it is exact."""
    from ..solver import solve

    if rep.dim > MAX_COMMUTANT_DIM:
        raise SolverError(
            f"decomposing {rep} of {action.name} needs its commutant on {rep.dim}^2 = "
            f"{rep.dim**2:,} unknowns; the commutant method takes dim <= {MAX_COMMUTANT_DIM}: "
            f"decompose a smaller rep"
        )
    basis = solve(action, rep, rep)
    d = rep.dim
    coeffs = sp.csr_array(basis.coefficients)
    mats = [sp.csr_array(coeffs[[k]].reshape((d, d))) for k in range(coeffs.shape[0])]
    return mats, basis.exact


def float_pieces(e: list[sp.csr_array], d: int, seed: int = 0) -> list[np.ndarray]:
    """Orthonormal bases (d x n_i) of the eigenspaces of a generic symmetric element of E."""
    rng = np.random.default_rng(seed)
    s = sp.csr_array((d, d), dtype=np.float64)
    for m in e:
        s = s + rng.standard_normal() * m.astype(np.float64)
    dense = s.toarray()
    dense = dense + dense.T
    w, v = np.linalg.eigh(dense)
    scale = max(1.0, float(np.max(np.abs(w))))
    groups: list[list[int]] = [[0]]
    for i in range(1, d):
        if w[i] - w[groups[-1][-1]] <= 1e-8 * scale:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [v[:, g] for g in groups]


def symmetric_candidates(e: list[sp.csr_array], seed: int) -> list[sp.csr_array]:
    """Elements of E to split with: a random symmetric combination, then e + eᵀ and e eᵀ."""
    rng = np.random.default_rng(seed)
    first = sp.csr_array(e[0].shape, dtype=np.int64)
    for m in e:
        first = first + int(rng.integers(-3, 4)) * m.astype(np.int64)
    out = [first + first.T]
    for m in e:
        m = m.astype(np.int64)
        out.append(m + m.T)
        out.append(m @ m.T)
    return out


def exact_pieces(
    e: list[sp.csr_array], gens: list[np.ndarray], d: int, limit: int
) -> list[ex.Q] | None:
    """Rational bases (d x u_i, columns spanning orthogonal G-invariant subspaces) of the pieces
    that the primary decomposition by elements of E reaches, or None past ``limit`` tries.

    ``limit`` bounds the exact products tried (each a u x d x d product), so that a rep whose
    pieces cannot be split over Q costs a bounded time before the float method takes over."""
    cands = symmetric_candidates(e, seed=1)
    stack = sp.vstack([c.astype(np.float64) for c in cands], format="csr")
    dense_cache: dict[int, ex.Q] = {}

    def cand(i: int) -> ex.Q:
        if i not in dense_cache:
            dense_cache[i] = ex.from_sparse(cands[i])
        return dense_cache[i]

    done: list[ex.Q] = []
    todo: list[ex.Q] = [ex.identity(d)]
    tries = 0
    while todo:
        b = todo.pop()
        n = b.ncols()
        if n == 1:
            done.append(b)
            continue
        bt = b.transpose()
        ginv = (bt * b).inv()
        bf = ex.to_floats(b)
        if n <= SMALL_PIECE and _irreducible_float(bf, gens):
            done.append(b)
            continue
        useful = _non_scalar(stack, len(cands), bf)
        split = False
        for count, i in enumerate(useful):
            if count >= PIECE_TRIES:
                break
            tries += 1
            if tries > limit:
                return None
            xu = ginv * (bt * (cand(i) * b))
            fs = ex.factors(xu)
            if len(fs) < 2:
                continue
            for f in fs:
                k = ex.nullspace(ex.poly_at(f, xu))
                todo.append(b * k)
            split = True
            break
        if not split:
            done.append(b)
    return done


def _non_scalar(stack: sp.csr_array, k: int, bf: np.ndarray) -> np.ndarray:
    """Indices of the candidates whose restriction to the piece is not a scalar (float screen,
    in chunks of candidates)."""
    d, n = bf.shape
    pinv = np.linalg.pinv(bf)
    out: list[int] = []
    step = max(1, int(2e7 // (d * n + n * n)))
    for lo in range(0, k, step):
        hi = min(k, lo + step)
        xs = np.einsum("nd,kdm->knm", pinv, (stack[lo * d : hi * d] @ bf).reshape(hi - lo, d, n))
        diag = np.einsum("kii->ki", xs)
        off = np.abs(xs - diag[:, :, None] * np.eye(n)).max(axis=(1, 2))
        out.extend(lo + np.nonzero((off > 1e-9) | (np.ptp(diag, axis=1) > 1e-9))[0])
    return np.asarray(out, dtype=np.int64)


def _irreducible_float(b: np.ndarray, gens: list[np.ndarray]) -> bool:
    """A float screen (the proof comes later, exactly): End_G of the piece is a division
    algebra."""
    from ._assemble import division_algebra, hom_float

    q, _r = np.linalg.qr(b)
    ms = [q.T @ g @ q for g in gens]
    return division_algebra(hom_float(ms, ms), exact=False)
