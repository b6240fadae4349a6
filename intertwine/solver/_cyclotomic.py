"""Exact matrices over the real cyclotomic field Q(α), α = 2cos(2π/m), for C(k) and D(k).

The rotation by θ = 2π/k has entries cos θ and sin θ = cos(2π/4 − θ); both lie in Q(α) for
m = lcm(k, 4), since 2cos(2πn/m) = D_n(α) with the Dickson (Chebyshev) recurrence D_0 = 2,
D_1 = α, D_(n+1) = α·D_n − D_(n−1). The minimal polynomial of α is ``cos_minpoly(m)`` (monic,
integer; python-flint), of degree d = φ(m)/2, so every element is Σ_(j<d) c_j α^j / den with
integers c_j: a matrix is d integer matrices and one denominator (:class:`FieldMatrix`).
Products reduce α^e for e ≥ d by α^d = −Σ_(t<d) p_t α^t.

A matrix over Q(α) is zero exactly when each of its d coordinate matrices is zero (the powers
1, α, …, α^(d−1) are a basis of Q(α) over Q), so W X_in = X_out W is checked exactly in integer
arithmetic, one coordinate at a time (:func:`field_check`). The field form of the generators is
computed here, independently of the sympy entries of the action, and compared with them in
float64 before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, reduce
from math import lcm

import numpy as np
import scipy.sparse as sp

from ..core import Copies, Dual, Power, Rep, Standard, Sum, Tensor, Trivial
from ..errors import VerificationError

LIMIT = 2**50  # integer coordinates kept below this; beyond it the field form is not used


def field_modulus(k: int) -> int:
    """m with cos(2π/k) and sin(2π/k) in Q(2cos(2π/m)): lcm(k, 4)."""
    return lcm(k, 4)


@lru_cache(maxsize=64)
def minpoly(m: int) -> tuple[int, ...]:
    """Coefficients (low to high, monic) of the minimal polynomial of 2cos(2π/m)."""
    import flint

    return tuple(int(c) for c in flint.fmpz_poly.cos_minpoly(m).coeffs())


@lru_cache(maxsize=256)
def two_cos(m: int, n: int) -> tuple[int, ...]:
    """Integer coordinates of 2cos(2πn/m) on the power basis of Q(2cos(2π/m))."""
    import flint

    p = flint.fmpz_poly(list(minpoly(m)))
    x = flint.fmpz_poly([0, 1])
    prev, cur = flint.fmpz_poly([2]), x
    n = abs(n)
    if n == 0:
        cur = prev
    for _ in range(n - 1):
        prev, cur = cur, (x * cur - prev) % p
    coeffs = [int(c) for c in (cur % p).coeffs()]
    d = len(minpoly(m)) - 1
    return tuple(coeffs + [0] * (d - len(coeffs)))


@dataclass(frozen=True)
class FieldMatrix:
    """(1/den) Σ_j parts[j] α^j: ``parts`` a dense int64 array of shape (d, rows, cols) with
    entries below ``LIMIT`` (the reps of C(k) and D(k) solved here are a few hundred wide)."""

    m: int
    parts: np.ndarray
    den: int

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.parts.shape[1]), int(self.parts.shape[2]))

    @classmethod
    def rational(cls, m: int, ints, den: int = 1) -> FieldMatrix:
        ints = np.asarray(ints, dtype=np.int64)
        parts = np.zeros((len(minpoly(m)) - 1, *ints.shape), dtype=np.int64)
        parts[0] = ints
        return cls(m, parts, den)

    @property
    def T(self) -> FieldMatrix:
        return FieldMatrix(self.m, self.parts.transpose(0, 2, 1), self.den)

    def to_float(self) -> np.ndarray:
        powers = (2 * np.cos(2 * np.pi / self.m)) ** np.arange(self.parts.shape[0])
        return np.tensordot(powers, self.parts.astype(np.float64), axes=1) / self.den


def _reduce(m: int, raw: np.ndarray) -> np.ndarray:
    """Coordinates of Σ_e raw[e] α^e on 1, α, …, α^(d−1)."""
    poly = np.array(minpoly(m), dtype=np.int64)
    d = poly.size - 1
    for e in range(raw.shape[0] - 1, d - 1, -1):
        raw[e - d : e] -= poly[:d, None, None] * raw[e]
    out = raw[:d]
    if out.size and int(np.max(np.abs(out))) >= LIMIT:
        raise OverflowError("field coordinates beyond the int64 bound")
    return np.ascontiguousarray(out)


def kron(a: FieldMatrix, b: FieldMatrix) -> FieldMatrix:
    """Row-major Kronecker product over Q(α): a polynomial product in α, then reduced."""
    d = a.parts.shape[0]
    (n1, m1), (n2, m2) = a.shape, b.shape
    raw = np.zeros((2 * d - 1, n1 * n2, m1 * m2), dtype=np.int64)
    for i in range(d):
        if a.parts[i].any():
            prod = np.einsum("ab,jcd->jacbd", a.parts[i], b.parts).reshape(d, n1 * n2, m1 * m2)
            raw[i : i + d] += prod
    return FieldMatrix(a.m, _reduce(a.m, raw), a.den * b.den)


def block_diag(blocks: list[FieldMatrix]) -> FieldMatrix:
    den = reduce(lcm, (b.den for b in blocks), 1)
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    parts = np.zeros((blocks[0].parts.shape[0], rows, cols), dtype=np.int64)
    r = c = 0
    for b in blocks:
        parts[:, r : r + b.shape[0], c : c + b.shape[1]] = b.parts * (den // b.den)
        r, c = r + b.shape[0], c + b.shape[1]
    return FieldMatrix(blocks[0].m, parts, den)


def planar_generator(m: int, k: int, name: str) -> FieldMatrix:
    """The rotation by 2π/k ("rotate") or the reflection diag(1, −1) ("reflect") over Q(α)."""
    if name == "reflect":
        return FieldMatrix.rational(m, np.diag([1, -1]))
    c = np.array(two_cos(m, m // k), dtype=np.int64)
    s = np.array(two_cos(m, m // 4 - m // k), dtype=np.int64)
    return FieldMatrix(m, np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], 1), 2)


def evaluate(rep: Rep, base: FieldMatrix) -> FieldMatrix:
    """ρ(g) over Q(α) for the rep expression, from ρ_V(g) = ``base`` (an orthogonal matrix, so
    the dual ρ(g⁻¹)ᵀ of every rep built from it is the rep itself)."""
    node = rep.node
    if isinstance(node, Standard):
        return base
    if isinstance(node, Trivial):
        return FieldMatrix.rational(base.m, np.ones((1, 1)))
    if isinstance(node, Sum):
        return block_diag([evaluate(r, base) for r in node.parts])
    if isinstance(node, Copies):
        return block_diag([evaluate(node.base, base)] * node.count)
    if isinstance(node, Dual):
        return evaluate(node.base, base)
    if isinstance(node, Tensor):
        return reduce(kron, [evaluate(r, base) for r in node.parts])
    if isinstance(node, Power):
        return reduce(kron, [evaluate(node.base, base)] * node.exponent)
    raise TypeError(f"no field form for the rep node {type(node).__name__}")


def constraint_parts(x_in: FieldMatrix, x_out: FieldMatrix) -> list[sp.csr_array]:
    """The d integer coordinate matrices of den·(I_out ⊗ X_inᵀ − X_out ⊗ I_in)."""
    d_in, d_out = x_in.shape[0], x_out.shape[0]
    eye_in = sp.identity(d_in, dtype=np.int64, format="csr")
    eye_out = sp.identity(d_out, dtype=np.int64, format="csr")
    out = []
    for a, b in zip(x_in.parts, x_out.parts):
        left = sp.kron(eye_out, sp.csr_array(a.T), format="csr") * x_out.den
        right = sp.kron(sp.csr_array(b), eye_in, format="csr") * x_in.den
        out.append(sp.csr_array(left - right))
    return out


def field_check(coeffs: sp.csr_array, pairs: list[tuple[FieldMatrix, FieldMatrix]]) -> None:
    """Exact check of integer basis rows against W X_in = X_out W for every (X_in, X_out), one
    coordinate of Q(α) at a time: dense products in float64, exact because every partial sum
    is an integer below 2^53 (checked from the entry bounds), else in Python integers."""
    from ._intmatrix import IntMatrix, as_intmatrix

    k = coeffs.shape[0]
    if k == 0:
        return
    wmax = int(np.max(np.abs(coeffs.data))) if coeffs.nnz else 0
    for x_in, x_out in pairs:
        (d_in, _), (d_out, _) = x_in.shape, x_out.shape
        xmax = int(max(np.max(np.abs(x_in.parts)), np.max(np.abs(x_out.parts)), 1))
        scale = max(x_in.den, x_out.den)
        if wmax * xmax * scale * (d_in + d_out) < 2**53:
            w = coeffs.toarray().astype(np.float64).reshape(k, d_out, d_in)
            for a, b in zip(x_in.parts, x_out.parts):
                left = (w.reshape(k * d_out, d_in) @ a.astype(np.float64)).reshape(k, d_out, d_in)
                right = b.astype(np.float64) @ w.transpose(1, 0, 2).reshape(d_out, k * d_in)
                right = right.reshape(d_out, k, d_in).transpose(1, 0, 2)
                if np.any(left * x_out.den != right * x_in.den):
                    raise VerificationError("a planar basis element fails its constraint exactly")
            continue
        basis_t = as_intmatrix(sp.csr_array(coeffs.T, dtype=np.int64))
        for part in constraint_parts(x_in, x_out):
            if (IntMatrix.from_scipy(part) @ basis_t).count_nonzero():
                raise VerificationError("a planar basis element fails its constraint exactly")
