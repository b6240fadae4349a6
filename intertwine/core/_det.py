"""``det``: the one-dimensional rep g ↦ det ρ_A(g) (Lie algebra: X ↦ tr dρ_A(X)).

det is multiplicative, det(ρ(g)ρ(h)) = det ρ(g)·det ρ(h), so it is a rep of any group *or monoid*
(a singular generator, such as a truncating shift, acts as 0). Its derivative at the identity is
the trace: d/dt det(exp(tX))|₀ = tr X (Jacobi's formula), so a Lie-algebra generator acts as
[[tr dρ_A(X)]]. For a permutation group, det of a permutation matrix is the sign of the
permutation; for O(n), det is the pseudoscalar rep (+1 on rotations, −1 on reflections).

The determinant is exact as the entries are: python-flint for integer and rational matrices,
sympy for algebraic entries, float64 (inexact, as the generators are) for float matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import RepError
from ._matrix import Matrix
from ._rep import Derived, Rep, Standard

MAX_DET_DIM = 512  # det(A) of a larger A is refused (an exact determinant of a big matrix)


@dataclass(frozen=True, eq=False)
class Determinant(Derived):
    """``det`` (of V) or ``det(A)``: [[det ρ_A(g)]] and [[tr dρ_A(X)]]."""

    base: Rep

    def dim(self) -> int:
        return 1

    def children(self) -> tuple[Rep, ...]:
        return (self.base,)

    def text(self) -> str:
        node, action = self.base.node, self.base.action
        if isinstance(node, Standard) and len(action.degrees) == 1:
            return "det"
        return f"det({self.base._text()})"

    def evaluate(self, kind, base, inv) -> Matrix:
        m = self.base._eval(kind, base, inv)
        value = matrix_det(m) if kind == "discrete" else _trace(m)
        return Matrix((1, 1), [0], [0], [value], m.domain)


def det(rep: Rep) -> Rep:
    """The rep g ↦ det ρ_A(g) of a rep A (``det`` in a spec is det of V).

    Raises :class:`RepError` when dim A exceeds ``MAX_DET_DIM``.

    >>> from intertwine.spec import parse_action
    >>> o3 = parse_action("O(3)")
    >>> [m.tolist() for m in det(o3.V()).generators if m.tolist() != [[0]]]
    [[[-1]]]
    """
    if not isinstance(rep, Rep):
        raise RepError(f"det takes a Rep, not {type(rep).__name__}")
    if rep.dim > MAX_DET_DIM:
        raise RepError(
            f"det({rep}) needs the determinant of {rep.dim}x{rep.dim} matrices; the limit is "
            f"{MAX_DET_DIM}: take det of a smaller rep (det(V**k) = det(V)**(k·n^(k-1)))"
        )
    return Rep(rep.action, Determinant(rep))


def matrix_det(m: Matrix):
    """The exact determinant of a square Matrix (float for RR)."""
    import sympy

    n = m.shape[0]
    if m.domain == "RR":
        return float(np.linalg.det(m.to_numpy()))
    if m.domain in ("ZZ", "QQ"):
        import flint

        if m.domain == "ZZ":
            ints = [[0] * n for _ in range(n)]
            for r, c, v in zip(m.rows, m.cols, m.vals):
                ints[int(r)][int(c)] = int(v)
            return int(flint.fmpz_mat(ints).det())
        rats = [[flint.fmpq(0)] * n for _ in range(n)]
        for r, c, v in zip(m.rows, m.cols, m.vals):
            rats[int(r)][int(c)] = flint.fmpq(int(v.p), int(v.q))
        value = flint.fmpq_mat(rats).det()
        return sympy.Rational(int(value.p), int(value.q))
    return sympy.simplify(m.to_sympy().as_mutable().det(method="berkowitz"))


def _trace(m: Matrix):
    import sympy

    diag = m.rows == m.cols
    vals = m.vals[diag]
    if m.domain in ("ZZ", "RR"):
        return vals.sum() if vals.size else 0
    return sympy.simplify(sum(vals, sympy.Integer(0)))
