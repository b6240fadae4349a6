"""The plan of an invariant-theory network (``invariant_network``): plain NumPy, read by the JAX
network's exports (every source target, ONNX and pt2).

The network computes, for x = (scalars s, vectors v_1..v_m) ∈ 1^k ⊕ V^m (Weyl's first
fundamental theorem; Villar et al., "Scalars are universal", NeurIPS 2021):

1. the invariants z: s, the forms ⟨v_i, v_j⟩_η / d (pairs ``pairs``), for SO the determinants
   det[v_S] / sqrt(d!) (``det_subsets``), with ``norms`` the lengths |v_i| / sqrt(d) and the
   cosines; for S(n) the mean power sums (``exponents``, the zero exponent first);
2. the coefficients h = MLP(z) + gain · head(z) + bilinear(z), head linear, quadratic or the graded
   polynomial head (``head_index``, ``head_rows``, ``head_cols``);
3. each output block from its slice of h: a scalar, Σ f_i v_i (+ Σ g_S c(S) for SO), or
   Σ f_ij v_i⊗v_j + f_0 η⁻¹ (+ the SO terms c(S)⊗v_j, v_j⊗c(S), T(S')), flattened row-major.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ._value import Value

SCALAR, VECTOR, MATRIX = 0, 1, 2


def signed_minors(d: int, drop: int) -> tuple[np.ndarray, np.ndarray]:
    """For every ordered tuple t of ``drop`` distinct columns: the kept columns and the sign with
    det[e_t1; ...; e_t_drop; M] = sign · det(M without columns t) (Laplace along the first rows)."""
    keeps, signs = [], []
    for t in itertools.permutations(range(d), drop):
        cols, sign = list(range(d)), 1
        for a in t:
            pos = cols.index(a)
            sign *= (-1) ** pos
            cols.pop(pos)
        keeps.append(cols)
        signs.append(sign)
    return np.asarray(keeps, dtype=np.int32).reshape(len(keeps), d - drop), np.asarray(signs)


@dataclass(frozen=True, eq=False)
class InvariantNetworkPlan(Value):
    """Everything an exported invariant-theory network needs besides its weights.

    ``outs`` holds one (kind, start, size) per output block: kind ``SCALAR``, ``VECTOR`` or
    ``MATRIX``, and the slice of the coefficients h it reads. ``sizes`` are the MLP's widths
    (features, hidden..., coefficients); ``rank`` the bilinear head's (0: none); ``head`` is
    "linear", "quadratic" or "polynomial"; ``swish`` whether the MLP's activation is the
    default (only then can the network be exported)."""

    group: str
    rep_in: str
    rep_out: str
    in_dim: int
    out_dim: int
    permutation: bool  # S(n) (power sums) rather than a form η
    d: int
    scalars: np.ndarray  # (k,) input indices
    vectors: np.ndarray  # (m, d) input indices
    eta: np.ndarray  # (d, d) float64; the identity for S(n)
    pairs: np.ndarray  # (2, P) i ≤ j (i < j for Sp)
    det_subsets: np.ndarray  # (S, d)
    cross_subsets: np.ndarray  # (S, d − 1)
    t_subsets: np.ndarray  # (S, d − 2)
    exponents: np.ndarray  # (K, m) for S(n)
    norms: bool
    n_in: int  # polynomial invariants (at least 1: a constant when there are none)
    n_real: int  # polynomial invariants actually computed (0: the constant)
    outs: tuple[tuple[int, int, int], ...]
    sizes: tuple[int, ...]
    rank: int
    head: str
    gain: float
    head_index: np.ndarray  # (monomials, longest) into z[:n_in] with a trailing 1
    head_rows: np.ndarray
    head_cols: np.ndarray
    swish: bool
    description: str

    @property
    def m(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def n_norm(self) -> int:
        return self.m + self.m * (self.m - 1) // 2 if self.norms else 0

    @property
    def n_coef(self) -> int:
        return self.sizes[-1]

    @property
    def n_poly(self) -> int:
        """Rows of the linear/quadratic head's matrix, or the polynomial head's monomials."""
        n = self.sizes[0]
        if self.head == "polynomial":
            return int(self.head_index.shape[0])
        return n + (n * (n + 1) // 2 if self.head == "quadratic" else 0)
