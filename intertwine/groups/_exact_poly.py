"""Exact polynomial helpers for the SO(3) irreps: interpolation through the weights and matrix
polynomials over Q (python-flint)."""

from __future__ import annotations

from fractions import Fraction

import flint


def interpolate(values: list[Fraction]) -> list[flint.fmpq]:
    """Coefficients (lowest first) of the polynomial p with p(−m²) = values[m], m = 0..l."""
    xs = [-(m * m) for m in range(len(values))]
    total = flint.fmpq_poly([0])
    for m, y in enumerate(values):
        if y == 0:
            continue
        basis = flint.fmpq_poly([flint.fmpq(y.numerator, y.denominator)])
        for k, xk in enumerate(xs):
            if k != m:
                basis *= flint.fmpq_poly([-xk, 1]) / (xs[m] - xk)
        total += basis
    return [total[i] for i in range(total.degree() + 1)] if total.degree() >= 0 else []


def identity_q(d: int) -> flint.fmpq_mat:
    return flint.fmpq_mat(d, d, [1 if i == j else 0 for i in range(d) for j in range(d)])


def poly_at(coeffs: list[flint.fmpq], x: flint.fmpq_mat, d: int) -> flint.fmpq_mat:
    out = flint.fmpq_mat(d, d)
    eye = identity_q(d)
    for c in reversed(coeffs):
        out = out * x + eye * c
    return out
