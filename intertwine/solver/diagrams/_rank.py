"""Certified dimensions and independent subsets of Brauer-type diagrams, without their tensors.

**Dimension.** Hom_G(V^⊗k, V^⊗l) ≅ (V^⊗m)^G for m = k + l (V ≅ V* through the invariant form),
and its dimension is the number of walks of length m from ∅ in the branching graph of
V ⊗ − (Pieri rule: V ⊗ V_λ = ⊕ V_μ over μ = λ ± one box that label irreducibles):

- O(n): partitions with λ'_1 + λ'_2 ≤ n (the first two columns hold at most n boxes), walks back
  to ∅ (Brauer 1937; Okada, "Pieri rules for classical groups and equinumeration between
  generalized oscillating tableaux and semistandard tableaux", 2016).
- SO(n), n ≥ 2: the walks to ∅ and to (1^n) = det, the two O(n)-irreducibles whose restriction
  contains the trivial one of SO(n).
- Sp(2r): partitions with at most r rows, walks back to ∅ (Sundaram's up-down tableaux).

**Independent subset.** Lowering the output indices with the invariant form maps each diagram
tensor D to ± a multilinear form on V^m: Π ⟨v_a, v_b⟩ over its pairs (ω(v_a, v_b) for Sp) times
det(v_P) for an ε block P. The evaluation matrix E[r, D] at random integer vectors v^r is
E = P A for A the matrix of the vectorised tensors and P the rows (v^r_1 ⊗ … ⊗ v^r_m), so
columns independent in E mod p are independent in E over Q and so in A. Greedy Gauss–Jordan
mod p over the diagrams in order keeps such columns; when their number reaches the certified
dimension they span, and the rest need not be looked at. Reductions run on float64 BLAS
products of residues below 2^20, exact while an inner product stays below 2^53.
"""

from __future__ import annotations

import numpy as np

from ...errors import InternalError, SolverError

PRIMES = (1048573, 1048571, 1048559)  # below 2^20: products below 2^40
INNER = 2**53 // (PRIMES[0] - 1) ** 2  # terms summed exactly in one float64 product
CHUNK = 1024  # diagrams evaluated and reduced at once
BASE = 16  # rows eliminated one by one
EXTRA_ROWS = 8
MAX_WORK = 1e12  # multiply-adds of the selection (SO(3) V**6 -> V**6: 1.8e11, about 20 s)


# ----------------------------------------------------------------- certified dimensions
def invariant_dimension(m: int, n: int, family: str) -> int:
    """dim (V^⊗m)^G for G = O(n), SO(n) (n ≥ 2) or Sp(n/2) (``family`` "O", "SO" or "Sp"; n is
    the dimension of V), by counting walks in the Pieri branching graph."""
    if family == "Sp":
        allowed = _at_most_rows(n // 2)
    elif family in ("O", "SO"):
        allowed = _orthogonal(n)
    else:
        raise ValueError(f"no walk count for family {family!r}")
    counts: dict[tuple[int, ...], int] = {(): 1}
    for _ in range(m):
        step: dict[tuple[int, ...], int] = {}
        for shape, c in counts.items():
            for nxt in _neighbours(shape):
                if allowed(nxt):
                    step[nxt] = step.get(nxt, 0) + c
        counts = step
    total = counts.get((), 0)
    if family == "SO":
        total += counts.get((1,) * n, 0)
    return total


def _neighbours(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The partitions one box larger or smaller than ``shape``."""
    out = []
    rows = list(shape)
    for i in range(len(rows) + 1):
        if i == len(rows) or (i == 0 or rows[i - 1] > rows[i]):
            grown = rows[:i] + [rows[i] + 1 if i < len(rows) else 1] + rows[i + 1 :]
            out.append(tuple(grown))
    for i in range(len(rows)):
        if i == len(rows) - 1 or rows[i] > rows[i + 1]:
            shrunk = rows[:i] + [rows[i] - 1] + rows[i + 1 :]
            out.append(tuple(r for r in shrunk if r))
    return out


def _orthogonal(n: int):
    def allowed(shape: tuple[int, ...]) -> bool:
        return len(shape) + sum(1 for r in shape if r >= 2) <= n

    return allowed


def _at_most_rows(r: int):
    def allowed(shape: tuple[int, ...]) -> bool:
        return len(shape) <= r

    return allowed


# ----------------------------------------------------------------- evaluation at random vectors
def _form(family: str, n: int) -> np.ndarray:
    """The invariant bilinear form on V: identity (O, SO) or J = [[0, I], [−I, 0]] (Sp(n/2))."""
    if family != "Sp":
        return np.eye(n, dtype=np.int64)
    r = n // 2
    form = np.zeros((n, n), dtype=np.int64)
    form[np.arange(r), np.arange(r, n)] = 1
    form[np.arange(r, n), np.arange(r)] = -1
    return form


def _det_mod(mats: np.ndarray, p: int) -> np.ndarray:
    """Determinants mod p of a batch (…, s, s) of residue matrices (Gaussian elimination with
    per-matrix pivot search; inverses by Fermat)."""
    a = mats.reshape((-1,) + mats.shape[-2:]).copy() % p
    count, s = a.shape[0], a.shape[-1]
    det = np.ones(count, dtype=np.int64)
    rows = np.arange(count)
    for col in range(s):
        nonzero = a[:, col:, col] != 0
        has = nonzero.any(axis=1)
        pivot = col + np.argmax(nonzero, axis=1)
        det = np.where(has, det, 0)
        swap = has & (pivot != col)
        det = np.where(swap, (p - det) % p, det)
        top = a[rows, col].copy()
        a[rows, col] = a[rows, pivot]
        a[rows, pivot] = top
        piv = a[:, col, col]
        det = det * np.where(has, piv, 1) % p
        inv = _pow_mod(np.where(has, piv, 1), p - 2, p)
        factors = a[:, col + 1 :, col] * inv[:, None] % p  # (count, s - col - 1)
        a[:, col + 1 :, :] = (a[:, col + 1 :, :] - factors[:, :, None] * a[:, None, col, :]) % p
    return det.reshape(mats.shape[:-2])


def _pow_mod(base: np.ndarray, e: int, p: int) -> np.ndarray:
    out = np.ones_like(base)
    b = base % p
    while e:
        if e & 1:
            out = out * b % p
        b = b * b % p
        e >>= 1
    return out


class Evaluator:
    """E[r, D] mod p for a list of diagrams (pairs and an optional ε block each) at ``rows``
    random vectors v^r_1..v^r_m in (Z/p)^n."""

    def __init__(self, family: str, n: int, m: int, rows: int, p: int, seed: int):
        rng = np.random.default_rng(seed)
        self.p = p
        vectors = rng.integers(0, p, size=(rows, m, n), dtype=np.int64)
        form = _form(family, n)
        # gram[r, a, b] = v_a^T F v_b mod p: n terms below 2^40 each
        fv = np.einsum("ij,rbj->rib", form, vectors) % p  # (rows, n, m) = F v_b
        self.gram = np.einsum("rai,rib->rab", vectors, fv) % p
        self.vectors = vectors
        self._dets: dict[tuple[int, ...], np.ndarray] = {}

    def det(self, points: tuple[int, ...]) -> np.ndarray:
        if points not in self._dets:
            self._dets[points] = _det_mod(self.vectors[:, list(points), :], self.p)
        return self._dets[points]

    def columns(self, diagrams: list[tuple[list[tuple[int, int]], tuple[int, ...]]]) -> np.ndarray:
        """(len(diagrams), rows) residues: each diagram as (pairs, ε points or ())."""
        out = np.empty((len(diagrams), self.gram.shape[0]), dtype=np.int64)
        for i, (pairs, eps) in enumerate(diagrams):
            col = self.det(eps) if eps else np.ones(self.gram.shape[0], dtype=np.int64)
            for a, b in pairs:
                col = col * self.gram[:, a, b] % self.p
            out[i] = col
        return out


# ----------------------------------------------------------------- greedy selection mod p
def independent_diagrams(diagrams, family: str, n: int, target: int, report=None) -> list[int]:
    """Indices of ``target`` diagrams independent over Q (proved by their evaluations mod p),
    which therefore span when ``target`` is the certified dimension. ``diagrams``: a list of
    (pairs, ε points) over m points."""
    if target == 0:
        return []
    work = len(diagrams) * target * (target + EXTRA_ROWS)
    if work > MAX_WORK:
        raise SolverError(
            f"choosing {target} independent diagrams among {len(diagrams)} takes about "
            f"{work:.1e} multiply-adds, more than the {MAX_WORK:.0e} this method spends; use "
            f"smaller tensor powers"
        )
    m = 2 * len(diagrams[0][0]) + len(diagrams[0][1])
    for attempt, p in enumerate(PRIMES):
        evaluator = Evaluator(family, n, m, target + EXTRA_ROWS, p, attempt)
        keep = _greedy(diagrams, evaluator, target, report)
        if len(keep) > target:  # the walk count is a theorem: more is a bug
            raise InternalError(
                f"{len(keep)} independent diagrams exceed the certified dimension {target}: a bug"
            )
        if len(keep) == target:
            return keep
        if report is not None:
            report(f"rank {len(keep)} < {target} mod {p}; new random vectors")
    raise SolverError(
        f"could not certify {target} independent diagrams among {len(diagrams)} (ranks mod "
        f"{len(PRIMES)} primes fell short); use --method exact"
    )


def _greedy(diagrams, evaluator: Evaluator, target: int, report=None) -> list[int]:
    """Chunks of the evaluation columns, each reduced against the echelon rows found so far
    (one product), eliminated within itself recursively (:func:`_eliminate`), then used to
    reduce the earlier rows (one product): all the arithmetic is in large matrix products."""
    p = float(evaluator.p)
    rows = evaluator.gram.shape[0]
    basis = np.zeros((0, rows))  # reduced echelon rows: 1 at its pivot, 0 at the others'
    pivots: list[int] = []
    keep: list[int] = []
    for start in range(0, len(diagrams), CHUNK):
        if len(pivots) >= target:
            break
        chunk = evaluator.columns(diagrams[start : start + CHUNK]).astype(np.float64)
        if pivots:
            chunk = _reduce(chunk, chunk[:, pivots], basis, p)
        chunk, fresh, new_pivots = _eliminate(chunk, p)
        if fresh:
            new_rows = chunk[fresh]
            if pivots:
                basis = _reduce(basis, basis[:, new_pivots], new_rows, p)
            basis = np.concatenate([basis, new_rows])
            pivots.extend(new_pivots)
            keep.extend(start + i for i in fresh)
        if report is not None and len(diagrams) > CHUNK:
            seen = min(start + CHUNK, len(diagrams))
            report(f"{len(pivots)} of {target} independent among the first {seen} diagrams")
    return keep


def _eliminate(x: np.ndarray, p: float) -> tuple[np.ndarray, list[int], list[int]]:
    """Gauss–Jordan mod p over the rows of x in order: (x with its independent rows in reduced
    echelon form and the others zero, the independent rows, their pivot columns). Halves are
    eliminated recursively and reduced against each other by matrix products."""
    if x.shape[0] > BASE:
        h = x.shape[0] // 2
        top, f1, p1 = _eliminate(x[:h], p)
        bottom = x[h:]
        if f1:
            bottom = _reduce(bottom, bottom[:, p1], top[f1], p)
        bottom, f2, p2 = _eliminate(bottom, p)
        if f2:
            top[f1] = _reduce(top[f1], top[f1][:, p2], bottom[f2], p)
        return np.concatenate([top, bottom]), f1 + [h + i for i in f2], p1 + p2
    x = x.copy()
    fresh: list[int] = []
    pivots: list[int] = []
    for i in range(x.shape[0]):
        nonzero = np.flatnonzero(x[i])
        if nonzero.size == 0:
            continue
        j = int(nonzero[0])
        x[i] = np.remainder(x[i] * float(pow(int(x[i, j]), int(p) - 2, int(p))), p)
        others = x[:, j].copy()
        others[i] = 0.0
        x = np.remainder(x - np.outer(others, x[i]), p)
        fresh.append(i)
        pivots.append(j)
    return x, fresh, pivots


def _reduce(rows: np.ndarray, coeffs: np.ndarray, basis: np.ndarray, p: float) -> np.ndarray:
    """rows − coeffs @ basis mod p, the product split so that every partial sum is exact."""
    out = rows.copy()
    for lo in range(0, coeffs.shape[1], INNER):
        hi = lo + INNER
        out = np.remainder(out - coeffs[:, lo:hi] @ basis[lo:hi], p)
    return out
