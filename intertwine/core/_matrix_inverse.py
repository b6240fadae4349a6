"""The exact inverse of a :class:`~intertwine.core.Matrix`: signed permutations directly, float64
matrices by a row-scaled solve, exact ones by sympy (small matrices: group generators)."""

from __future__ import annotations

import numpy as np

from ..errors import ActionError
from ._matrix import Matrix


def inverse(m: Matrix) -> Matrix:
    """Exact inverse (signed permutations directly; otherwise sympy, for small matrices)."""
    import sympy

    if not m.is_square:
        raise ActionError(f"a {m.shape[0]}x{m.shape[1]} matrix has no inverse")
    mono = m.monomial()
    if mono is not None and np.all(mono[0] >= 0):
        return m.T if np.all(mono[1] == 1) else Matrix(m.shape, m.cols, m.rows, m.vals, "ZZ")
    if m.domain == "RR":
        dense = m.to_numpy()
        # rank after scaling every row to unit max-norm: diag(1e200, 1.5) is invertible
        scale = np.max(np.abs(dense), axis=1, keepdims=True)
        if np.any(scale == 0) or np.linalg.matrix_rank(dense / scale) < dense.shape[0]:
            raise ActionError(
                "a generator matrix is singular; a group needs invertible "
                "generators (declare kind 'monoid' instead)"
            )
        inv = np.linalg.inv(dense / scale) / scale.T  # (D A)^-1 D = A^-1 with D = 1/scale
        if not np.all(np.isfinite(inv)):
            raise ActionError(
                "a generator's inverse overflows float64; rescale the generator matrices"
            )
        r, c = np.nonzero(inv)
        return Matrix(m.shape, r, c, inv[r, c], "RR")
    exact = m.to_sympy().as_mutable()
    if exact.det() == 0:
        raise ActionError(
            "a generator matrix is singular; a group needs invertible "
            "generators (declare kind 'monoid' instead)"
        )
    exact_inv = sympy.simplify(exact.inv())
    return Matrix.from_dense(np.array(exact_inv.tolist(), dtype=object))
