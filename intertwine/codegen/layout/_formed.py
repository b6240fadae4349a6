"""The plans that form W from θ, then multiply: a gather, a scatter-add, or a dense contraction.

For θ of shape (c_out, c_in, dim) and W of shape (c_out, c_in, out, in):

- :class:`GatherPlan` (mode "tying"): W.flat = sign · θ̃[index] with θ̃ = (θ, 0), index = dim
  for a forced zero: a (signed) tying pattern, one gather;
- :class:`ScatterPlan` (mode "sparse"): W.flat[cols] += θ[rows] · vals, a scatter-add of the
  basis's nonzero coefficients (any sparse basis);
- :class:`DensePlan` (mode "dense"): W = einsum("ock,kn->ocn", θ, B) with the (dim, out, in)
  basis B, one BLAS contraction when dim is small; emitted targets write its compact form
  (the layout's tying, else ``sparse``) instead of B.

Each is a frozen value (see ``_value``): equal plans hash alike, so equal layers share compiled
code. ``weight_numpy`` is the NumPy reference of each; the JAX layers and every emitted target
apply the same formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._value import Value, frozen


@dataclass(frozen=True, eq=False)
class GatherPlan(Value):
    """A (signed) tying: ``index`` (out·in,) int32 into θ̃ (dim marks a forced zero), ``sign``
    (out·in,) float64.

    >>> import numpy as np
    >>> plan = GatherPlan.of(np.array([0, 1, 2, 0]), np.array([1.0, -1.0, 0.0, 1.0]))
    >>> plan.weight_numpy(np.array([[[3.0, 5.0]]]), 2, 2).tolist()
    [[[[3.0, -5.0], [0.0, 3.0]]]]
    """

    mode: ClassVar[str] = "tying"
    index: np.ndarray
    sign: np.ndarray

    @classmethod
    def of(cls, index, sign) -> GatherPlan:
        return cls(frozen(index, np.int32), frozen(sign, np.float64))

    def weight_numpy(self, theta: np.ndarray, out_dim: int, in_dim: int) -> np.ndarray:
        padded = np.concatenate([theta, np.zeros(theta.shape[:-1] + (1,), theta.dtype)], -1)
        flat = padded[..., self.index] * self.sign
        return flat.reshape(theta.shape[:-1] + (out_dim, in_dim))

    def __repr__(self) -> str:
        return f"GatherPlan(entries={self.index.size})"


@dataclass(frozen=True, eq=False)
class ScatterPlan(Value):
    """The basis's nonzero coefficients: basis element ``rows[j]`` has ``vals[j]`` at entry
    ``cols[j]`` of W.flat (int32, int32, float64)."""

    mode: ClassVar[str] = "sparse"
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    @classmethod
    def of(cls, rows, cols, vals) -> ScatterPlan:
        return cls(frozen(rows, np.int32), frozen(cols, np.int32), frozen(vals, np.float64))

    def weight_numpy(self, theta: np.ndarray, out_dim: int, in_dim: int) -> np.ndarray:
        flat = np.zeros(theta.shape[:-1] + (out_dim * in_dim,), theta.dtype)
        np.add.at(flat, (..., self.cols), theta[..., self.rows] * self.vals)  # type: ignore[arg-type]
        return flat.reshape(theta.shape[:-1] + (out_dim, in_dim))

    def __repr__(self) -> str:
        return f"ScatterPlan(nonzeros={self.rows.size})"


@dataclass(frozen=True, eq=False)
class DensePlan(Value):
    """The dense basis ``basis`` (dim, out, in) float64, and the same basis as a scatter
    (``sparse``), the compact form emitted targets embed when the basis is no tying."""

    mode: ClassVar[str] = "dense"
    basis: np.ndarray
    sparse: ScatterPlan

    @classmethod
    def of(cls, basis, sparse: ScatterPlan) -> DensePlan:
        return cls(frozen(basis, np.float64), sparse)

    def weight_numpy(self, theta: np.ndarray, out_dim: int, in_dim: int) -> np.ndarray:
        flat = np.einsum("ock,kn->ocn", theta, self.basis.reshape(self.basis.shape[0], -1))
        return flat.reshape(theta.shape[:-1] + (out_dim, in_dim))

    def __repr__(self) -> str:
        return f"DensePlan(dim={self.basis.shape[0]})"
