"""The check of a diagram basis against every generator, matrix-free, at any n.

W = Σ_t θ_t B_t for random integer θ must satisfy W ρ_in(X) = ρ_out(X) W for every discrete
generator X (ρ = X ⊗ … ⊗ X) and every Lie generator A (dρ = Σ_axes I ⊗ … ⊗ A ⊗ … ⊗ I).
With more than LIE_ONE_BY_ONE Lie generators three random Gaussian combinations of them are
checked: the constraint is linear in A, so a map that fails some generator fails a random
combination with probability 1.

Two ways, both in float64 on integer data (exact while the integers stay below 2^53, to a
relative 1e-9 beyond):

- **whole vectors** (:func:`check_diagram_basis` while dim · n^max(k,l) · (checks + 1) is at
  most FULL_CHECK_WORK and x, W x have at most FULL_CHECK_ENTRIES entries): W(g·x) against
  g·W(x) on a random integer x, W applied by its diagrams
  (:func:`~intertwine.solver.diagrams.apply_basis`), g on every axis of x. Memory
  O(n^max(k,l)).
- **entries** (beyond: ``_check_entries``): both sides of the constraint at index pairs that
  realise every diagram, and at random ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ...core import Action
from ...errors import VerificationError
from ._apply import apply_basis
from ._value import DiagramBasis

LIE_ONE_BY_ONE = 32


CHECK_SAMPLES = 1


FULL_CHECK_WORK = 1e9  # dim · n^max(k,l) · (checks + 1) above which entries are checked


FULL_CHECK_ENTRIES = 2e7  # entries of x and W x above which entries are checked


def check_diagram_basis(basis: DiagramBasis, action: Action) -> float:
    """The worst relative residual of W(g x) = g W(x) over the generators; raises
    VerificationError when one fails (a bug). On whole random vectors while that costs at most
    FULL_CHECK_WORK, else entry by entry (:func:`check_entries`)."""
    n = basis.n
    rng = np.random.default_rng(0)
    checks = _checks(action, rng)
    work = basis.dim * (n ** max(basis.in_degrees + basis.out_degrees)) * (len(checks) + 1)
    if work > FULL_CHECK_WORK or basis.in_dim + basis.out_dim > FULL_CHECK_ENTRIES:
        from ._check_entries import check_entries

        return check_entries(basis, action)
    theta = _nonzero_theta(rng, basis.dim)
    x = rng.integers(-3, 4, size=(CHECK_SAMPLES, basis.in_dim)).astype(np.float64)
    wx = apply_basis(basis, theta, x)
    worst = 0.0
    for name, matrix, kind in checks:
        left = apply_basis(basis, theta, _apply_generator(matrix, kind, basis.in_degrees, x, n))
        right = _apply_generator(matrix, kind, basis.out_degrees, wx, n)
        scale = max(float(np.max(np.abs(left))), float(np.max(np.abs(right))), 1.0)
        err = float(np.max(np.abs(left - right))) / scale if left.size else 0.0
        _require(err, name)
        worst = max(worst, err)
    return worst


def _nonzero_theta(rng, dim: int) -> np.ndarray:
    """Random integer coefficients, none zero, so that every basis element is in W."""
    return (rng.integers(1, 4, size=dim) * rng.choice([-1, 1], size=dim)).astype(np.float64)


def _require(err: float, name: str) -> None:
    if not err <= 1e-9:  # NaN fails too
        raise VerificationError(
            f"the diagram basis fails generator {name} (relative error {err:.1e}): a bug"
        )


def _checks(action: Action, rng) -> list[tuple[str, Any, str]]:
    """(name, sparse matrix on V, kind) for every discrete generator, and every Lie generator
    (3 random combinations of them beyond LIE_ONE_BY_ONE)."""
    out = [
        (g.name, g.matrices[0].to_scipy().tocsr(), g.kind)
        for g in action.generators
        if g.kind == "discrete"
    ]
    lie = [(g.name, g.matrices[0].to_scipy().tocsr()) for g in action.generators if g.kind == "lie"]
    if len(lie) <= LIE_ONE_BY_ONE:
        return out + [(name, m, "lie") for name, m in lie]
    coos = [m.tocoo() for _, m in lie]
    rows = np.concatenate([m.row for m in coos])
    cols = np.concatenate([m.col for m in coos])
    owner = np.concatenate([np.full(m.nnz, g) for g, m in enumerate(coos)])
    data = np.concatenate([m.data for m in coos]).astype(np.float64)
    for r in range(3):
        c = rng.standard_normal(len(lie))
        combo = sp.csr_array((data * c[owner], (rows, cols)), shape=coos[0].shape)
        out.append((f"random Lie combination {r}", combo, "lie"))
    return out


def _apply_generator(matrix, kind: str, degrees, x: np.ndarray, n: int):
    """ρ(X) x on a sum of tensor powers: X on every axis (discrete) or Σ over axes (Lie). The
    blocks of one degree are transformed together."""
    out = np.zeros_like(x)
    starts = np.cumsum([0] + [n**k for k in degrees])
    by_degree: dict[int, list[int]] = {}
    for i, k in enumerate(degrees):
        by_degree.setdefault(k, []).append(i)
    for k, blocks in by_degree.items():
        size = n**k
        gather = np.concatenate([np.arange(starts[i], starts[i] + size) for i in blocks])
        block = x[:, gather].reshape((x.shape[0] * len(blocks),) + (n,) * k)
        res = block if (k == 0 and kind == "discrete") else np.zeros_like(block)
        for axis in range(k):
            src = block if kind == "lie" else res if axis else block
            moved = np.moveaxis(src, axis + 1, 0)
            applied = (matrix @ moved.reshape(n, -1)).reshape(moved.shape)
            applied = np.moveaxis(applied, 0, axis + 1)
            res = res + applied if kind == "lie" else applied
        out[:, gather] = res.reshape(x.shape[0], len(blocks) * size)
    return out
