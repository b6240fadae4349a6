"""Verify a weight matrix: residual per generator, and the nearest equivariant matrix.

For W (out × in), the residual of generator X is ‖W X_in − X_out W‖_F / (‖W‖_F · s) with
s = max(‖X_in‖_F, ‖X_out‖_F, 1). The nearest intertwiner is the orthogonal projection of W onto
the span of the solved basis (Frobenius inner product).
"""

from __future__ import annotations

import numpy as np

from ..core import Rep
from ..errors import IntertwineError
from ..solver import solve
from ._report import Check


def matrix_checks(w: np.ndarray, rep_in: Rep, rep_out: Rep, tol: float) -> list[Check]:
    norm = max(float(np.linalg.norm(w)), 1e-300)
    out = []
    for g, a, b in zip(rep_in.action.generators, rep_in.generators, rep_out.generators):
        xa, xb = a.to_numpy(), b.to_numpy()
        scale = max(float(np.linalg.norm(xa)), float(np.linalg.norm(xb)), 1.0)
        err = float(np.linalg.norm(w @ xa - xb @ w) / (norm * scale))
        out.append(Check(g.name, g.kind, err, err <= tol))
    return out


def nearest_intertwiner(w: np.ndarray, rep_in: Rep, rep_out: Rep) -> tuple[np.ndarray, float]:
    """(P(W), ‖W − P(W)‖ / ‖W‖) with P the projection onto Hom(IN, OUT)."""
    basis = solve(rep_in.action, rep_in, rep_out)
    flat = w.reshape(-1)
    if basis.dim == 0:
        proj = np.zeros_like(flat)
    else:
        b = basis.sparse.toarray().astype(np.float64)
        q, _ = np.linalg.qr(b.T)
        proj = q @ (q.T @ flat)
    dist = float(np.linalg.norm(flat - proj)) / max(float(np.linalg.norm(flat)), 1e-300)
    return proj.reshape(w.shape), dist


def as_weight(obj, rep_in: Rep, rep_out: Rep) -> np.ndarray:
    raw = np.asarray(obj)
    if np.iscomplexobj(raw):
        raise IntertwineError(
            "the weight matrix is complex; intertwine checks real maps: pass its real and "
            "imaginary parts separately"
        )
    if raw.dtype == object or not (np.issubdtype(raw.dtype, np.number) or raw.dtype == bool):
        raise IntertwineError(f"the weight matrix must hold numbers, not {raw.dtype}")
    w = raw.astype(np.float64)
    if w.shape != (rep_out.dim, rep_in.dim):
        raise IntertwineError(
            f"the weight matrix has shape {w.shape}, but {rep_in} -> {rep_out} "
            f"needs ({rep_out.dim}, {rep_in.dim}) (out x in, acting on columns)"
        )
    if not np.all(np.isfinite(w)):
        raise IntertwineError("the weight matrix has NaN or infinite entries")
    return w
