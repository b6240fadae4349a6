"""The nonzero entries of a diagram tensor, listed (``.sparse``) or at given index tuples (the
entry-wise check), from its diagram alone.

A Brauer-type tensor has one free index per pair (its partner's index fixed by δ, F or K) and a
permutation of 0..n−1 on an ε block; an orbit tensor O_π is 1 where the values on π's blocks are
pairwise distinct (n!/(n−t)! entries for t blocks).
"""

from __future__ import annotations

from itertools import permutations
from math import factorial

import numpy as np
import scipy.sparse as sp

from ._enumerate import Diagram, _parity, blocks
from ._forms import Forms


def brauer_entries(
    sigma: Diagram, k: int, l: int, n: int, forms: Forms, epsilon: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """(flat row-major out × in positions, values ±1) of the nonzero entries of a Brauer-type
    tensor: one free index per pair (its partner's index fixed by δ, F or K), a permutation of
    0..n−1 on the ε block."""
    pairs = [blk for blk in blocks(sigma) if sigma[blk[0]] != epsilon]
    eps_points = [p for p in range(l + k) if sigma[p] == epsilon]
    free = np.zeros((0, 1), np.int64)
    if pairs:
        free = np.indices((n,) * len(pairs)).reshape(len(pairs), -1)
    if eps_points:
        perms = np.array(list(permutations(range(n))), dtype=np.int64).T  # (n, n!)
        parity = np.array([_parity(p) for p in perms.T], dtype=np.float64)
    else:
        perms, parity = np.zeros((0, 1), np.int64), np.ones(1)
    count_free, count_eps = free.shape[1], perms.shape[1]
    index = np.zeros((l + k, count_free, count_eps), dtype=np.int64)
    values = np.ones((count_free, count_eps)) * parity[None, :]
    for blk, v in zip(pairs, free):
        for p in blk:
            index[p] = v[:, None]
        if len(blk) != 2:  # not a pair (no family lists one): δ on the block
            continue
        a, b = blk
        if a >= l:  # two inputs: F[v, π(v)]
            index[b] = forms.in_perm[v][:, None]
            values = values * forms.in_sign[v][:, None]
        elif b < l:  # two outputs: K[v, π(v)]
            index[b] = forms.out_perm[v][:, None]
            values = values * forms.out_sign[v][:, None]
    for t, p in enumerate(eps_points):
        index[p] = perms[t][None, :]
        if p < l:  # ε raised by K = diag(out_sign) on its output points
            values = values * forms.out_sign[perms[t]][None, :]
    flat = np.zeros((count_free, count_eps), dtype=np.int64)
    for p in range(l + k):
        flat = flat * n + index[p]
    return flat.ravel(), values.ravel()


def brauer_values(
    sigma: Diagram, points: np.ndarray, l: int, forms: Forms, epsilon: int = -1
) -> np.ndarray:
    """The entries D_σ[J, I] at index tuples ``points`` of shape (P, l + k), vectorised."""
    out = np.ones(points.shape[0])
    for blk in blocks(sigma):
        if sigma[blk[0]] == epsilon:
            vals = points[:, blk]
            distinct = np.ones(points.shape[0], dtype=bool)
            inversions = np.zeros(points.shape[0], dtype=np.int64)
            for s in range(len(blk)):
                for t in range(s + 1, len(blk)):
                    distinct &= vals[:, s] != vals[:, t]
                    inversions += vals[:, s] > vals[:, t]
            out *= np.where(distinct, 1.0 - 2.0 * (inversions % 2), 0.0)
            for s, p in enumerate(blk):
                if p < l:  # ε raised by K = diag(out_sign) on its output points
                    out *= forms.out_sign[vals[:, s]]
            continue
        if len(blk) != 2:  # not a pair (no family lists one): δ on the block
            for q in blk[1:]:
                out *= points[:, blk[0]] == points[:, q]
            continue
        a, b = blk
        u, w = points[:, a], points[:, b]
        if a >= l:
            out *= np.where(forms.in_perm[u] == w, forms.in_sign[u], 0.0)
        elif b < l:
            out *= np.where(forms.out_perm[u] == w, forms.out_sign[u], 0.0)
        else:
            out *= u == w
    return out


def orbit_entries(pi: Diagram, k: int, l: int, n: int) -> np.ndarray:
    """The flat positions where O_π is 1: block values pairwise distinct (n!/(n−t)! of them)."""
    nb = max(pi) + 1 if pi else 0
    values = np.indices((n,) * nb).reshape(nb, -1) if nb else np.zeros((0, 1), np.int64)
    flat = np.zeros(values.shape[1], dtype=np.int64)
    for p in range(l + k):
        flat = flat * n + values[pi[p]]
    distinct = np.ones(values.shape[1], dtype=bool)
    for a in range(nb):
        for b in range(a + 1, nb):
            distinct &= values[a] != values[b]
    return flat[distinct]


def coefficient_matrix(basis) -> sp.csr_array:
    """The coefficient matrix of every term, from its diagram's nonzero entries."""
    size = basis.out_dim * basis.in_dim
    outs, ins = basis.offsets()
    rows, cols, vals = [], [], []
    forms = basis.forms
    for t, term in enumerate(basis.terms):
        k, l = basis.in_degrees[term.in_block], basis.out_degrees[term.out_block]
        if basis.tensor == "orbit":
            entries = orbit_entries(term.diagram, k, l, basis.n)
            signs = np.ones(entries.size)
        else:
            entries, signs = brauer_entries(term.diagram, k, l, basis.n, forms, term.epsilon)
        j, i = np.divmod(entries, basis.n**k)
        cols.append((outs[term.out_block] + j) * basis.in_dim + ins[term.in_block] + i)
        rows.append(np.full(entries.size, t, dtype=np.int64))
        vals.append(signs.astype(np.int64))
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    v = np.concatenate(vals) if vals else np.zeros(0, np.int64)
    m = sp.csr_array((v, (r, c)), shape=(basis.dim, size))
    for arr in (m.data, m.indices, m.indptr):
        arr.flags.writeable = False
    return m


def squared_norms(basis) -> np.ndarray:
    """‖B_t‖²_F for every basis element, by counting (no entries listed)."""
    out = []
    for t in basis.terms:
        nb = max(t.diagram) + 1 if t.diagram else 0
        if basis.tensor == "orbit":  # distinct values on the blocks: n!/(n - nb)!
            count = 1
            for i in range(nb):
                count *= basis.n - i
        elif t.epsilon >= 0:  # a permutation on the ε block, a free index per pair
            count = factorial(basis.n) * basis.n ** (nb - 1)
        else:
            count = basis.n**nb
        out.append(float(count))
    return np.array(out)
