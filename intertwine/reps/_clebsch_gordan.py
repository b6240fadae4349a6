"""``clebsch_gordan(action, A, B, C)``: a basis of Hom_G(A ⊗ B, C) as an array of paths.

Each path p is a bilinear map A × B → C, z_c = Σ_ab array[p, a, b, c] x_a y_b (e3nn's layout),
i.e. the matrix W_p[c, a·dim B + b] = array[p, a, b, c] of an intertwiner A ⊗ B → C; every path
has Frobenius norm 1 (e3nn's normalisation).

- A, B, C sums of SO(3)/O(3) irreps (``1x1o``, ``2x0e + 1x2e``): one path per triple of summands
  (i of A, j of B, k of C, in this nested order) with |l_i − l_j| ≤ l_k ≤ l_i + l_j and, for O(3),
  p_i p_j = p_k; its block is e3nn's real Clebsch–Gordan tensor, exact (``_so3_cg``: Racah's
  formula, proved an intertwiner in integer arithmetic). Method ``"racah"``.
- Any other reps: the solver's basis of Hom(A ⊗ B, C) (``solve(action, A * B, C)``), each path
  normalised; exact when the solver's basis is.

Exact values: entry = sign(T) · √(T² · ν_C[c] / (ν_A[a] ν_B[b]) / S_p) with T integer, ν the
rational normalisations of e3nn's basis (1 for other reps) and S_p = Σ T² ν_C/(ν_A ν_B) over the
path; :meth:`ClebschGordan.signed_squares` gives sign · entry² as exact fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..core import Action, Rep
from ..errors import SolverError
from ..groups import So3Irrep, rational_form
from ..solver import irrep_summands, solve
from ..spec import resolve
from ._so3_cg import exact_cg, float_cg, triangle

MAX_ENTRIES = 50_000_000


@dataclass(frozen=True, eq=False)
class ClebschGordan:
    """A basis of Hom_G(A ⊗ B, C): ``array`` of shape (paths, dim A, dim B, dim C)."""

    rep_a: Rep
    rep_b: Rep
    rep_c: Rep
    array: np.ndarray
    exact: bool
    method: str
    integers: np.ndarray | None  # (paths, dim A, dim B, dim C), exact signed integers T
    norms: tuple[tuple[Fraction, ...], ...] | None  # ν_A, ν_B, ν_C

    def __repr__(self) -> str:
        return (
            f"ClebschGordan({self.rep_a} x {self.rep_b} -> {self.rep_c}, paths={self.paths}, "
            f"shape={self.array.shape}, exact={self.exact}, method={self.method!r})"
        )

    @property
    def paths(self) -> int:
        return int(self.array.shape[0])

    def signed_squares(self) -> np.ndarray:
        """sign(x) · x² for every entry x, as exact Fractions (object array, same shape)."""
        if self.integers is None or self.norms is None:
            raise SolverError("these coefficients are float64 (exact: false); use .array")
        na, nb, nc = self.norms
        out = np.full(self.integers.shape, Fraction(0), dtype=object)
        for p in range(self.paths):
            t = self.integers[p]
            idx = list(zip(*np.nonzero(t)))
            sq = {i: int(t[i]) ** 2 * nc[i[2]] / (na[i[0]] * nb[i[1]]) for i in idx}
            total = sum(sq.values(), Fraction(0))
            for i in idx:
                out[(p, *i)] = (1 if t[i] > 0 else -1) * sq[i] / total
        return out

    def sympy(self) -> list:
        """The paths as exact sympy arrays (dim A, dim B, dim C)."""
        import sympy

        q = self.signed_squares()
        root = np.vectorize(
            lambda v: (1 if v >= 0 else -1) * sympy.sqrt(sympy.Rational(abs(v))), otypes=[object]
        )
        return [sympy.ImmutableDenseNDimArray(root(q[p]).tolist()) for p in range(self.paths)]


def clebsch_gordan(
    action: Action | str, rep_a: Rep | str, rep_b: Rep | str, rep_c: Rep | str
) -> ClebschGordan:
    """A basis of Hom_G(A ⊗ B, C) as paths of norm 1, exact where provable.

    Args:
      action: an :class:`Action` or a spec string (``"SO(3)"``, ``"O(3)"``, ``"S(4)"``...).
      rep_a: the first factor A, a rep or rep expression (irreps in e3nn notation for
        SO(3)/O(3), e.g. ``"1x1o"``).
      rep_b: the second factor B.
      rep_c: the target C.

    Returns:
      A :class:`ClebschGordan`; ``array[p, a, b, c]`` (float64, shape (paths, dim A, dim B,
      dim C)) maps x ∈ A, y ∈ B to z_c = Σ_ab array[p, a, b, c] x_a y_b. For SO(3)/O(3)
      irreps these are e3nn-jax's ``clebsch_gordan(l1, l2, l3)``, exactly.

    Raises:
      SpecError: a malformed group spec or rep expression.
      RepError: a rep the action cannot have.
      SolverError: the array would be too large (said before the work).

    Source: Racah's formula (Racah 1942; Condon–Shortley phases) with e3nn's real basis.

    >>> cg = clebsch_gordan("O(3)", "1x1o", "1x1o", "1x1e")   # the cross product
    >>> cg.array.shape, cg.exact
    ((1, 3, 3, 3), True)
    >>> cg.signed_squares()[0, 0, 1, 2]
    Fraction(1, 6)
    """
    act, a, b, c = resolve(action, rep_a, rep_b, rep_c)
    size = a.dim * b.dim * c.dim
    if size > MAX_ENTRIES:
        raise SolverError(
            f"one Clebsch–Gordan path of {a} x {b} -> {c} has {size:,} entries (the limit is "
            f"{MAX_ENTRIES:,}); use smaller reps"
        )
    irreps = [irrep_summands(r) for r in (a, b, c)]
    if all(ir is not None and all(isinstance(x, So3Irrep) for x in ir) for ir in irreps):
        return _racah(a, b, c, irreps)  # type: ignore[arg-type]
    return _solved(act, a, b, c)


def _racah(a: Rep, b: Rep, c: Rep, irreps: list[list[So3Irrep]]) -> ClebschGordan:
    ia, ib, ic = irreps
    offsets = [np.cumsum([0] + [x.dim for x in ir]) for ir in irreps]
    found = []
    for i, x in enumerate(ia):
        for j, y in enumerate(ib):
            for k, z in enumerate(ic):
                if triangle(x.l, y.l, z.l) and x.parity * y.parity == z.parity:
                    found.append((i, j, k))
    if len(found) * a.dim * b.dim * c.dim > MAX_ENTRIES:
        raise SolverError(
            f"{len(found)} Clebsch–Gordan paths of {a.dim * b.dim * c.dim:,} entries each are "
            f"too many (the limit is {MAX_ENTRIES:,} entries); use smaller reps"
        )
    shape = (len(found), a.dim, b.dim, c.dim)
    array = np.zeros(shape)
    integers = np.zeros(shape, dtype=np.int64)
    exact = True
    for p, (i, j, k) in enumerate(found):
        ls = (ia[i].l, ib[j].l, ic[k].l)
        e = exact_cg(*ls)
        block = (
            p,
            slice(offsets[0][i], offsets[0][i + 1]),
            slice(offsets[1][j], offsets[1][j + 1]),
            slice(offsets[2][k], offsets[2][k + 1]),
        )
        if e is None:  # large l: Racah's formula in float64, no proof
            exact = False
            array[block] = float_cg(*ls)
            continue
        array[block] = e.array
        integers[block] = e.sign * e.integers
    if not exact:
        return ClebschGordan(a, b, c, array, False, "racah (float64)", None, None)
    norms = tuple(tuple(v for x in ir for v in rational_form(x.l).norms) for ir in irreps)
    return ClebschGordan(a, b, c, array, True, "racah", integers, norms)


def _solved(action: Action, a: Rep, b: Rep, c: Rep) -> ClebschGordan:
    basis = solve(action, a * b, c)
    k = basis.dim
    coeffs = basis.coefficients.toarray().reshape(k, c.dim, a.dim, b.dim).transpose(0, 2, 3, 1)
    floats = coeffs.astype(np.float64)
    norms = np.sqrt(np.sum(floats**2, axis=(1, 2, 3)))
    array = floats / norms[:, None, None, None] if k else floats
    if not basis.exact:
        return ClebschGordan(a, b, c, array, False, basis.method, None, None)
    ones = tuple(tuple(Fraction(1) for _ in range(r.dim)) for r in (a, b, c))
    return ClebschGordan(a, b, c, array, True, basis.method, coeffs.astype(np.int64), ones)
