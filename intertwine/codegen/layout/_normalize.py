"""Mean aggregation: each basis element divided by its number of summed terms.

A basis element B_k of an equivariant map sums, on each output coordinate it reaches, t_k
input coordinates: for S(n) on V^⊗2 → V^⊗2 the element "sum of the row" adds n − 2 entries
and "sum of everything else" about n², so on inputs with a nonzero mean (0/1 adjacency
matrices, counts) the outputs grow like n² while the initialisation, tuned for zero-mean
inputs, cannot see it: an S(50) edge layer gives outputs ~58 on all-ones input against ~1.2 on
Gaussian input, and plain gradient descent on 0/1 graphs diverges. Invariant graph networks
divide each aggregation by its number of terms instead (Maron, Ben-Hamu, Shamir, Lipman,
"Invariant and Equivariant Graph Networks", ICLR 2019, and their code's normalisation: a row
sum becomes a row mean, the total sum the mean over n² entries), so that every aggregation of
an input of size O(1) is O(1) at any n.

With :attr:`Normalization.MEAN` the layer is W = Σ_k θ_k s_k B_k with s_k = 1 / t_k, where

    t_k = Σ_ij |B_k[i, j]| / #{i : B_k[i, :] ≠ 0}

is the mass of B_k per output coordinate it reaches: the number of summed terms for the 0/±1
elements of orbit, partition and Brauer bases (each nonzero row of such an element sums the
same number of entries), and a mean L1 row norm for other bases. Elements that sum one term
(a diagonal, a convolution tap, a permutation) keep s_k = 1, so tyings of permutation and
shift actions of V → V are unchanged. It is a fixed reparametrisation θ ↦ θ ⊙ s: the same
space of maps, every plan and every exported target applies it by scaling θ first.

For a diagram basis the counts come from the diagrams, at any n, without listing entries: on
an orbit tensor O_π of S(n) a nonzero row fixes distinct values on the b_o blocks that meet the
outputs, and the b_i blocks met only by inputs take distinct values among the n − b_o others,
t = (n − b_o)(n − b_o − 1)…(n − b_o − b_i + 1); on a Brauer diagram each pair of two inputs is
a free index, t = n^(pairs of two inputs); an ε block with i input points adds the i! orders
of the values its outputs leave free.
"""

from __future__ import annotations

from enum import Enum
from math import factorial

import numpy as np

from ...errors import IntertwineError
from ...solver import DiagramBasis


class Normalization(str, Enum):
    """How each basis element aggregates its inputs: ``SUM`` (W = Σ θ_k B_k, the basis as
    solved) or ``MEAN`` (each B_k divided by its number of summed terms; the default of every
    layer, stable on inputs with a nonzero mean such as adjacency matrices).

    >>> Normalization("mean") is Normalization.MEAN
    True
    """

    SUM = "sum"
    MEAN = "mean"


def normalization(value) -> Normalization:
    """A :class:`Normalization` from itself or its name ("sum", "mean"); else a clear error."""
    if isinstance(value, Normalization):
        return value
    if isinstance(value, str):
        try:
            return Normalization(value.lower())
        except ValueError:
            pass
    raise IntertwineError(
        f"normalize must be Normalization.MEAN or Normalization.SUM (or 'mean', 'sum'), "
        f"not {value!r}"
    )


def _diagram_counts(basis: DiagramBasis) -> tuple[np.ndarray, np.ndarray]:
    """(t_k, nonzero rows of B_k) for every element of a diagram basis, by counting."""
    n = basis.n
    terms, rows = [], []
    for term in basis.terms:
        ell = basis.out_degrees[term.out_block]
        sigma = term.diagram
        outs = {sigma[p] for p in range(ell)}
        ins_only = {b for b in sigma[ell:] if b not in outs}
        if basis.tensor == "orbit":
            b_out, b_in = len(outs), len(ins_only)
            t = float(np.prod([n - b_out - i for i in range(b_in)]))
            r = float(np.prod([n - i for i in range(b_out)]))
        else:
            eps = term.epsilon
            pairs_in = len(ins_only - {eps})
            pairs_out = len(outs - {eps})
            t, r = float(n) ** pairs_in, float(n) ** pairs_out
            if eps >= 0:
                eps_out = sum(1 for p in range(ell) if sigma[p] == eps)
                t *= factorial(n - eps_out)
                r *= factorial(n) / factorial(n - eps_out)
        terms.append(t)
        rows.append(r)
    return np.array(terms), np.array(rows)


def _sparse_counts(coeffs, in_dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(t_k, nonzero rows of B_k) from the dim × (out·in) coefficients (COO)."""
    dim = coeffs.shape[0]
    mass = np.zeros(dim)
    np.add.at(mass, coeffs.row, np.abs(coeffs.data))
    pairs = np.unique(np.stack([coeffs.row, coeffs.col // in_dim]), axis=1)
    rows = np.bincount(pairs[0], minlength=dim).astype(np.float64)
    return mass / np.maximum(rows, 1.0), rows


def aggregation_counts(basis, coeffs=None) -> tuple[np.ndarray, np.ndarray]:
    """(t, r): the terms each element sums per output coordinate and the number of output
    coordinates it reaches, both of shape (dim,) (see the module docstring).

    >>> from intertwine.solver import solve
    >>> t, r = aggregation_counts(solve("S(6)", "V", "V"))
    >>> t.tolist(), r.tolist()  # the identity, and the sum over the 5 other points
    ([1.0, 5.0], [6.0, 6.0])
    """
    if isinstance(basis, DiagramBasis):
        return _diagram_counts(basis)
    if coeffs is None:
        coeffs = basis.sparse.astype(np.float64).tocoo()
    return _sparse_counts(coeffs, basis.in_dim)


def mean_scale(terms: np.ndarray) -> np.ndarray | None:
    """s = 1 / t, or None where every element sums a single term (nothing to scale)."""
    if terms.size == 0 or np.allclose(terms, 1.0):
        return None
    return 1.0 / np.maximum(terms, 1e-300)
