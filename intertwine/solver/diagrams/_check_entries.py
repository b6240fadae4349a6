"""The entry-wise check of a diagram basis, for n where whole vectors would not fit.

Both sides of W ρ_in(X) = ρ_out(X) W at index pairs (J, I) that realise every diagram of every
block pair (so every basis element's support is tested) and at random ones. One side's entry is
a sum over the nonzeros of X in the columns (rows) that the indices meet: each point is expanded
into those index tuples at once (``_expand``), the entries of W at all of them are evaluated
from the diagrams in one vectorised call per block pair, and summed back per point
(``np.bincount``). No Python loop runs per point or per generator entry; memory is
O(points · (k + l) · nonzeros per column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...core import Action
from ._check import _checks, _nonzero_theta, _require
from ._entries import brauer_values
from ._value import DiagramBasis, DiagramTerm

ROWS_AT_ONCE = 200_000  # index tuples evaluated per call of the entry function


def check_entries(basis: DiagramBasis, action: Action, samples: int = 64) -> float:
    """The generator constraints entry by entry, for index pairs (J, I) that realise every
    diagram of every block pair and ``samples`` random ones: (W ρ_in(X))[J, I] against
    (ρ_out(X) W)[J, I], with W[J, I] = Σ_t θ_t B_t[J, I] evaluated from the diagrams.
    Vectorised over points and generators (see the module docstring)."""
    rng = np.random.default_rng(0)
    n = basis.n
    theta = _nonzero_theta(rng, basis.dim)
    by_pair: dict[tuple[int, int], list[int]] = {}
    for t, term in enumerate(basis.terms):
        by_pair.setdefault((term.out_block, term.in_block), []).append(t)
    checks = [_Generator.of(name, matrix, kind) for name, matrix, kind in _checks(action, rng)]
    worst = 0.0
    for (b, a), idx in by_pair.items():
        k, l = basis.in_degrees[a], basis.out_degrees[b]
        points = [_realise(basis.terms[t], n, rng) for t in idx]
        points += [tuple(rng.integers(0, n, size=k + l)) for _ in range(samples)]
        grid = np.array(points, dtype=np.int64).reshape(len(points), k + l)
        values = _vectorised_values(basis, idx, theta, l)
        expanded = []  # (check, side, rows, weights, owners) for the non-monomial checks
        for c, gen in enumerate(checks):
            if gen.monomial is not None:  # W[J, t(I)] s(I) against s(J') W[J', I]
                err = _monomial_error(values, grid, gen.monomial, l)
                _require(err, gen.name)
                worst = max(worst, err)
                continue
            for side, axes, matrix in (
                ("in", range(l, l + k), gen.csc),
                ("out", range(l), gen.csr),
            ):
                expanded.append((c, side, *_expand(grid, axes, matrix, gen.kind)))
        if not expanded:
            continue
        entries = _evaluate(values, np.concatenate([e[2] for e in expanded]))
        sides: dict[tuple[int, str], np.ndarray] = {}
        start = 0
        for c, side, rows, weights, owners in expanded:
            part = entries[start : start + rows.shape[0]]
            start += rows.shape[0]
            sides[(c, side)] = np.bincount(owners, weights * part, minlength=grid.shape[0])
        for c, gen in enumerate(checks):
            if gen.monomial is not None:
                continue
            left, right = sides[(c, "in")], sides[(c, "out")]
            scale = np.maximum(np.maximum(np.abs(left), np.abs(right)), 1.0)
            err = float(np.max(np.abs(left - right) / scale, initial=0.0))
            _require(err, gen.name)
            worst = max(worst, err)
    return worst


@dataclass(frozen=True)
class _Generator:
    """A generator to check entry by entry: its (target, sign) when it is a monomial discrete
    generator, else its nonzeros by column (the input side) and by row (the output side)."""

    name: str
    kind: str
    monomial: tuple[np.ndarray, np.ndarray] | None
    csc: Any
    csr: Any

    @classmethod
    def of(cls, name: str, matrix, kind: str) -> _Generator:
        mono = _monomial(matrix) if kind == "discrete" else None
        if mono is not None:
            return cls(name, kind, mono, None, None)
        csc, csr = sp.csc_array(matrix), sp.csr_array(matrix)
        csc.sum_duplicates()
        csr.sum_duplicates()
        return cls(name, kind, None, csc, csr)


def _expand(grid: np.ndarray, axes, matrix, kind: str):
    """The index tuples, weights and owning points of one side of the constraint at every point.

    ``matrix`` is CSC on the input side ((W X)[J, I] = Σ_c W[J, I: I_a ← c] X[c, I_a]) and CSR
    on the output side ((X W)[J, I] = Σ_c X[J_a, c] W[J: J_a ← c, I]): either way the
    nonzeros of slice ``grid[:, a]`` of its compressed axis. A Lie generator acts on one axis
    at a time (the rows of all axes side by side); a discrete one on every axis at once (the
    rows expanded axis after axis)."""
    p = grid.shape[0]
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data.astype(np.float64)

    def substitute(rows, weights, owners, axis):
        slots = rows[:, axis]
        counts = indptr[slots + 1] - indptr[slots]
        which = np.repeat(np.arange(rows.shape[0]), counts)
        first = np.repeat(indptr[slots] - np.cumsum(counts) + counts, counts)
        pos = first + np.arange(which.size)
        out = rows[which]
        out[:, axis] = indices[pos]
        return out, weights[which] * data[pos], owners[which]

    if kind == "lie":
        parts = [substitute(grid, np.ones(p), np.arange(p), axis) for axis in axes]
        if not parts:
            return np.zeros((0, grid.shape[1]), np.int64), np.zeros(0), np.zeros(0, np.int64)
        return tuple(np.concatenate([part[i] for part in parts]) for i in range(3))
    rows, weights, owners = grid, np.ones(p), np.arange(p)
    for axis in axes:
        rows, weights, owners = substitute(rows, weights, owners, axis)
    return rows, weights, owners


def _evaluate(values, rows: np.ndarray) -> np.ndarray:
    """``values`` on the rows, ROWS_AT_ONCE at a time."""
    if rows.shape[0] <= ROWS_AT_ONCE:
        return values(rows)
    return np.concatenate(
        [values(rows[s : s + ROWS_AT_ONCE]) for s in range(0, rows.shape[0], ROWS_AT_ONCE)]
    )


def _monomial(matrix) -> tuple[np.ndarray, np.ndarray] | None:
    """(target, sign) with X[target[j], j] = sign[j] (target −1 for a zero column) when every
    column of X has at most one ±1 and no row is hit twice; else None."""
    csc = sp.csc_array(matrix)
    csc.sum_duplicates()
    counts = np.diff(csc.indptr)
    if np.any(counts > 1) or np.any(np.abs(csc.data) != 1):
        return None
    if np.unique(csc.indices).size != csc.indices.size:
        return None
    target = np.full(csc.shape[1], -1, dtype=np.int64)
    sign = np.zeros(csc.shape[1])
    cols = np.repeat(np.arange(csc.shape[1]), counts)
    target[cols] = csc.indices
    sign[cols] = csc.data
    return target, sign


def _vectorised_values(basis: DiagramBasis, idx: list[int], theta: np.ndarray, l: int):
    """A function: index tuples (P, l + k) -> W[J, I] for one block pair, vectorised."""
    diagrams = [basis.terms[t].diagram for t in idx]
    weights = theta[idx]
    m = len(diagrams[0]) if diagrams else 0
    if basis.tensor == "orbit":
        codes = _pattern_codes(np.array(diagrams, dtype=np.int64).reshape(len(diagrams), m))
        order = np.argsort(codes)
        sorted_codes, sorted_weights = codes[order], weights[order]

        def orbit_values(points: np.ndarray) -> np.ndarray:
            codes_here = _pattern_codes(points)
            pos = np.minimum(np.searchsorted(sorted_codes, codes_here), sorted_codes.size - 1)
            return np.where(sorted_codes[pos] == codes_here, sorted_weights[pos], 0.0)

        return orbit_values
    epsilons = [basis.terms[t].epsilon for t in idx]
    forms = basis.forms

    def diagram_values(points: np.ndarray) -> np.ndarray:
        total = np.zeros(points.shape[0])
        for d, eps, w in zip(diagrams, epsilons, weights):
            total += w * brauer_values(d, points, l, forms, eps)
        return total

    return diagram_values


def _pattern_codes(points: np.ndarray) -> np.ndarray:
    """An integer per row naming its equality pattern (the first position holding each value)."""
    m = points.shape[1]
    if m == 0:
        return np.zeros(points.shape[0], dtype=np.int64)
    first = np.argmax(points[:, :, None] == points[:, None, :], axis=2)  # (P, m)
    return first @ (m ** np.arange(m - 1, -1, -1, dtype=np.int64))


def _monomial_error(values, grid: np.ndarray, mono, l: int) -> float:
    target, sign = mono
    inverse = np.full(target.size, -1, dtype=np.int64)
    hit = target >= 0
    inverse[target[hit]] = np.nonzero(hit)[0]
    outs, ins = grid[:, :l], grid[:, l:]
    moved_in = target[ins]
    ok_in = np.all(moved_in >= 0, axis=1)
    left = values(np.concatenate([outs, np.where(moved_in >= 0, moved_in, 0)], axis=1))
    left = np.where(ok_in, left * np.prod(sign[ins], axis=1), 0.0)
    back = inverse[outs]
    ok_out = np.all(back >= 0, axis=1)
    safe = np.where(back >= 0, back, 0)
    right = values(np.concatenate([safe, ins], axis=1))
    right = np.where(ok_out, right * np.prod(sign[safe], axis=1), 0.0)
    scale = max(
        float(np.max(np.abs(left), initial=0)), float(np.max(np.abs(right), initial=0)), 1.0
    )
    return float(np.max(np.abs(left - right), initial=0)) / scale


def _realise(term: DiagramTerm, n: int, rng) -> tuple:
    """An index tuple on which the term's tensor is nonzero where one exists: distinct values
    per block (for a partition), a permutation on the ε block, the forms' partners on pairs."""
    diagram = term.diagram
    nb = max(diagram) + 1 if diagram else 0
    values = rng.choice(n, size=nb, replace=False) if nb <= n else rng.integers(0, n, size=nb)
    point = [int(values[b]) for b in diagram]
    if term.epsilon >= 0:
        perm = rng.permutation(n)
        for i, p in enumerate(p for p in range(len(diagram)) if diagram[p] == term.epsilon):
            point[p] = int(perm[i])
    return tuple(point)
