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


def _index_dtype(size: int) -> type:
    """int32 indices while they fit (half the memory and bandwidth of int64), else int64."""
    return np.int32 if size < 2**31 - 1 else np.int64


def _edges(pair: tuple[Monomial, Monomial], d_in: int, d_out: int, dtype: type | None = None):
    """Edges (a, b, s) meaning x_a = s·x_b, and the entries forced to zero, for one pair.

    Computed on the (d_out, d_in) grid by broadcasting: no length-N index arrays beyond the
    results themselves. Indices in ``dtype`` (default: int32 while they fit)."""
    dtype = dtype or _index_dtype(2 * d_in * d_out + 1)
    (t_in, s_in), (t_out, s_out) = pair
    inv_out = np.full(d_out, -1, dtype=np.int64)
    hit = t_out >= 0
    inv_out[t_out[hit]] = np.nonzero(hit)[0]
    rows = np.arange(d_out, dtype=np.int64)[:, None]
    lhs_ok = (t_in >= 0)[None, :]  # (1, d_in): W[i, t_in(j)] exists
    rhs_ok = (inv_out >= 0)[:, None]  # (d_out, 1): a k with t_out(k) = i exists
    both = (lhs_ok & rhs_ok).ravel()
    a: np.ndarray = (rows * d_in + np.where(t_in >= 0, t_in, 0)[None, :]).astype(dtype).ravel()
    b: np.ndarray = (
        np.where(inv_out >= 0, inv_out, 0)[:, None] * d_in + np.arange(d_in)[None, :]
    ).astype(dtype)
    b = b.ravel()
    out_sign = np.where(inv_out >= 0, s_out[np.where(inv_out >= 0, inv_out, 0)], 1)
    s = (s_in[None, :] * out_sign[:, None]).astype(np.int8).ravel()
    zeros: np.ndarray = np.concatenate(
        [a[(lhs_ok & ~rhs_ok).ravel()], b[(rhs_ok & ~lhs_ok).ravel()]]
    ).astype(dtype)
    if both.all():  # every entry has both sides (permutations): no copies
        return a, b, s, zeros
    return a[both], b[both], s[both], zeros


def orbit_tying(pairs: list[tuple[Monomial, Monomial]], d_in: int, d_out: int) -> Tying:
    """Tie the entries of a d_out × d_in matrix under monomial constraint pairs."""
    n = d_in * d_out
    dtype = _index_dtype(2 * n + 1)
    parts = [_edges(p, d_in, d_out, dtype) for p in pairs]
    a = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype)
    b = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype)
    s = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int8)
    z = np.unique(np.concatenate([p[3] for p in parts])) if parts else np.zeros(0, dtype)
    del parts
    signed = bool(np.any(s < 0))
    if not signed:
        zero = n
        src = np.concatenate([a, z])
        del a
        dst = np.concatenate([b, np.full(z.size, zero, dtype)])
        del b
        labels, count = _components(src, dst, n + 1)
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
        dst = np.concatenate([b_same, b_flip, np.full(2 * z.size, zero, dtype)])
        del a, b, b_same, b_flip, neg
        labels, count = _components(src, dst, 2 * n + 1)
        plus, minus = labels[:n], labels[n : 2 * n]
        is_zero = (plus == minus) | (plus == labels[zero])
        key = np.minimum(plus, minus)
        raw_sign = np.where(plus == key, 1, -1).astype(np.int8)
    return _canonical(key, raw_sign, is_zero, count)


def _components(src: np.ndarray, dst: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Connected components of the undirected graph with these edges (scipy's csgraph), as
    (labels, number of components). The edge weights are float64 already, the dtype csgraph
    works in, so that it makes no converted copy."""
    graph = sp.csr_array((np.ones(src.size, dtype=np.float64), (src, dst)), shape=(size, size))
    del src, dst
    count, labels = connected_components(graph, directed=False)
    return labels, int(count)


def _canonical(key: np.ndarray, raw_sign: np.ndarray, is_zero: np.ndarray, count: int) -> Tying:
    """Number parameters by first appearance in row-major order; the first entry has sign +1.

    ``key`` holds component labels in [0, count): each label's first entry comes from one
    ``minimum.at`` pass and the order from a sort of at most ``count`` labels, not of N."""
    n = key.size
    param = np.full(n, -1, dtype=np.int64)
    sign = np.zeros(n, dtype=np.int8)
    live = np.nonzero(~is_zero)[0]
    if live.size == 0:
        return Tying(param, sign, 0)
    live_key = key[live]
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, live_key, live)
    present = np.nonzero(first < n)[0]
    order = present[np.argsort(first[present], kind="stable")]
    rank = np.full(count, -1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    param[live] = rank[live_key]
    first_sign = raw_sign[first[live_key]]
    sign[live] = raw_sign[live] * first_sign
    return Tying(param, sign, int(order.size))
