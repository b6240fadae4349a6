"""The orbit method: intertwiners of monomial actions as a (signed) tying pattern.

Let every constraint pair (X_in, X_out) be *monomial*: column j of X has at most one nonzero,
s(j) = ±1 in row t(j), and no row is hit twice (permutations, injective partial maps such as the
truncating shift, signed permutations). Entry (i, j) of W X_in = X_out W reads

    s_in(j) · W[i, t_in(j)] = s_out(k) · W[k, j]      with t_out(k) = i,

where a missing t_in(j) or a missing preimage k makes that side 0. So every constraint says
"x_a = ±x_b" or "x_a = 0". The connected components of the graph on the N = d_out·d_in entries
(plus one node for 0) are the tied parameters; a component that reaches 0, or that forces
x_a = −x_a, is zero. For signs, each entry has two nodes (+x_a and −x_a). This is exact and
never forms an N × N matrix: a few arrays of length N and scipy's connected components.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

Monomial = tuple[np.ndarray, np.ndarray]  # (target, sign): X[target[j], j] = sign[j]


@dataclass(frozen=True)
class Tying:
    """A signed tying: W.flat[a] = sign[a] · θ[param[a]] (param −1 for a forced zero)."""

    param: np.ndarray  # int64, shape (N,)
    sign: np.ndarray  # int8, shape (N,), 0 where param is −1
    count: int

    @property
    def signed(self) -> bool:
        return bool(np.any(self.sign < 0))

    def matrix(self) -> sp.csr_array:
        """The N × count basis matrix B with B[a, param[a]] = sign[a]."""
        keep = self.param >= 0
        rows = np.nonzero(keep)[0]
        return sp.csr_array(
            (self.sign[keep].astype(np.int64), (rows, self.param[keep])),
            shape=(self.param.size, self.count),
        )


def _edges(pair: tuple[Monomial, Monomial], d_in: int, d_out: int):
    """Edges (a, b, s) meaning x_a = s·x_b, and the entries forced to zero, for one pair."""
    (t_in, s_in), (t_out, s_out) = pair
    inv_out = np.full(d_out, -1, dtype=np.int64)
    hit = t_out >= 0
    inv_out[t_out[hit]] = np.nonzero(hit)[0]
    i = np.repeat(np.arange(d_out), d_in)
    j = np.tile(np.arange(d_in), d_out)
    lhs_ok = t_in[j] >= 0
    k = inv_out[i]
    rhs_ok = k >= 0
    a = i * d_in + np.where(lhs_ok, t_in[j], 0)
    b = np.where(rhs_ok, k, 0) * d_in + j
    s = s_in[j] * np.where(rhs_ok, s_out[np.where(rhs_ok, k, 0)], 1)
    both = lhs_ok & rhs_ok
    zeros = np.concatenate([a[lhs_ok & ~rhs_ok], b[rhs_ok & ~lhs_ok]])
    return a[both], b[both], s[both], zeros


def orbit_tying(pairs: list[tuple[Monomial, Monomial]], d_in: int, d_out: int) -> Tying:
    """Tie the entries of a d_out × d_in matrix under monomial constraint pairs."""
    n = d_in * d_out
    parts = [_edges(p, d_in, d_out) for p in pairs]
    a = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    b = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    s = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
    z = np.unique(np.concatenate([p[3] for p in parts])) if parts else np.zeros(0, np.int64)
    signed = bool(np.any(s < 0))
    if not signed:
        zero = n
        src = np.concatenate([a, z])
        dst = np.concatenate([b, np.full(z.size, zero)])
        labels = _components(src, dst, n + 1)
        raw = labels[:n]
        is_zero = raw == labels[zero]
        raw_sign = np.ones(n, dtype=np.int8)
        key = raw
    else:
        zero = 2 * n
        neg = s < 0
        b_same = np.where(neg, b + n, b)  # +a ~ (s·b)
        b_flip = np.where(neg, b, b + n)  # −a ~ (−s·b)
        src = np.concatenate([a, a + n, z, z + n])
        dst = np.concatenate([b_same, b_flip, np.full(2 * z.size, zero)])
        labels = _components(src, dst, 2 * n + 1)
        plus, minus = labels[:n], labels[n : 2 * n]
        is_zero = (plus == minus) | (plus == labels[zero])
        key = np.minimum(plus, minus)
        raw_sign = np.where(plus == key, 1, -1).astype(np.int8)
    return _canonical(key, raw_sign, is_zero)


def _components(src: np.ndarray, dst: np.ndarray, size: int) -> np.ndarray:
    graph = sp.coo_array((np.ones(src.size, dtype=np.int32), (src, dst)), shape=(size, size))
    _, labels = connected_components(graph.tocsr(), directed=False)
    return labels.astype(np.int64)


def _canonical(key: np.ndarray, raw_sign: np.ndarray, is_zero: np.ndarray) -> Tying:
    """Number parameters by first appearance in row-major order; the first entry has sign +1."""
    n = key.size
    param = np.full(n, -1, dtype=np.int64)
    sign = np.zeros(n, dtype=np.int8)
    live = np.nonzero(~is_zero)[0]
    if live.size == 0:
        return Tying(param, sign, 0)
    uniq, first, inverse = np.unique(key[live], return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    param[live] = rank[inverse]
    first_sign = raw_sign[live][first]
    sign[live] = raw_sign[live] * first_sign[inverse]
    return Tying(param, sign, int(uniq.size))
