"""The invariant forms of the Brauer-type families as monomial matrices (δ, η, J).

O(n), SO(n): δ on every pair. O(p,q), SO(p,q): η = diag(+1 ×p, −1 ×q) on pairs of two inputs
and of two outputs. Sp(r) on R^(2r): J = [[0, I], [−I, 0]] on input pairs and J⁻¹ = −J on output
pairs, the pair read from its smaller point. Monomial forms keep every diagram tensor's entries
in {0, ±1} and let it be applied by permuting and signing axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Forms:
    """The invariant forms of a Brauer-type family as monomial matrices:
    F[v, in_perm[v]] = in_sign[v] on a pair of two inputs, K[v, out_perm[v]] = out_sign[v] on a
    pair of two outputs (v the index at the pair's smaller point)."""

    in_perm: np.ndarray
    in_sign: np.ndarray
    out_perm: np.ndarray
    out_sign: np.ndarray

    @property
    def permutes(self) -> bool:
        return bool(np.any(self.in_perm != np.arange(self.in_perm.size)))

    @property
    def trivial(self) -> bool:
        return not self.permutes and bool(np.all(self.in_sign == 1) and np.all(self.out_sign == 1))


def euclidean(n: int) -> Forms:
    """δ on every pair (O(n), SO(n))."""
    ident = np.arange(n)
    return Forms(ident, np.ones(n), ident, np.ones(n))


def lorentzian(p: int, q: int) -> Forms:
    """η = diag(+1 ×p, −1 ×q) on input pairs and on output pairs (O(p,q), SO(p,q))."""
    ident = np.arange(p + q)
    eta = np.array([1.0] * p + [-1.0] * q)
    return Forms(ident, eta, ident, eta)


def symplectic(r: int) -> Forms:
    """J on input pairs, −J on output pairs (Sp(r) on R^(2r))."""
    ident = np.arange(2 * r)
    perm = np.concatenate([ident[r:], ident[:r]])
    sign = np.array([1.0] * r + [-1.0] * r)  # J[v, v + r] = 1, J[v + r, v] = −1
    return Forms(perm, sign, perm, -sign)
