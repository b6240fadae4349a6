"""SO(2) and O(2) irreps by frequency k, exact.

SO(2): frequency 0 is the trivial rep; frequency k ≥ 1 is R² with the rotation by θ acting as
the rotation by kθ: dρ_k(J) = k·J for J = [[0, −1], [1, 0]] (the action's generator L01), and
ρ_k(g) = g^k for a rotation matrix g (exact for exact entries). It is a *complex* irrep: End is
spanned by I and J. O(2) adds the reflection s = diag(−1, 1) (the action's ``reflect``):
ρ_k(s) = s for k ≥ 1 (so ``1`` is the standard V), a real irrep; at frequency 0 there are two
irreps, ``0e`` (trivial) and ``0o`` (the determinant: −1 on reflections). A reflection g = r·s
with r = g·s a rotation gives ρ_k(g) = r^k · s.

Names: the frequency (``1x2`` is one copy of frequency 2, since a bare integer is a
multiplicity or the trivial rep ``1``), with e/o where they tell irreps apart (O(2) at
frequency 0); for O(2) at k ≥ 1 a letter is accepted and ignored (ρ_k ⊗ det ≅ ρ_k); SO(2)
refuses one (it has no reflections).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..core import Matrix
from ..errors import ActionError, SpecError

MAX_FREQUENCY = 1000
_J = Matrix.from_dense([[0, -1], [1, 0]])
_S = Matrix.from_dense([[-1, 0], [0, 1]])


@dataclass(frozen=True)
class PlanarIrrep:
    """Frequency ``k`` of SO(2) (``reflections`` False) or O(2); ``det`` marks O(2)'s ``0o``."""

    k: int
    reflections: bool
    det: bool
    written: str

    @property
    def name(self) -> str:
        return self.written

    @property
    def key(self) -> tuple:
        return ("O2" if self.reflections else "SO2", self.k, self.det)

    @property
    def dim(self) -> int:
        return 1 if self.k == 0 else 2

    def matrix(self, kind: str, base: tuple[Matrix, ...]) -> Matrix:
        return _matrix(self, kind, base[0])

    def endomorphisms(self) -> tuple[Matrix, ...]:
        if self.k == 0 or self.reflections:
            return (Matrix.identity(self.dim),)
        return (Matrix.identity(2), _J)


def _power(m: Matrix, k: int) -> Matrix:
    out, sq = Matrix.identity(2), m
    while k:
        if k & 1:
            out = _simplify(out @ sq)
        sq = _simplify(sq @ sq)
        k >>= 1
    return out


def _simplify(m: Matrix) -> Matrix:
    import sympy

    if m.domain != "EX":
        return m
    return Matrix(m.shape, m.rows, m.cols, [sympy.nsimplify(sympy.expand(v)) for v in m.vals])


@functools.lru_cache(maxsize=4096)
def _matrix(irrep: PlanarIrrep, kind: str, g: Matrix) -> Matrix:
    import sympy

    if g.shape != (2, 2):
        raise ActionError("the SO(2)/O(2) irreps are evaluated at 2x2 matrices")
    d = g.to_sympy()
    if kind == "lie":
        if d[0, 0] != 0 or d[1, 1] != 0 or d[0, 1] != -d[1, 0]:
            raise ActionError("an SO(2) Lie-algebra generator must be a multiple of J")
        if irrep.k == 0:
            return Matrix.zeros(1)
        return Matrix.from_dense([[0, -irrep.k * d[1, 0]], [irrep.k * d[1, 0], 0]])
    det = sympy.simplify(d.det())
    if det == -1 and not irrep.reflections:
        raise ActionError("an SO(2) irrep has no value at a reflection; use O(2)")
    if irrep.k == 0:
        return Matrix.from_dense([[det if irrep.det else 1]])
    if det == -1:
        return _power(_simplify(g @ _S), irrep.k) @ _S
    return _power(g, irrep.k)


def parse_planar(name: str, reflections: bool) -> PlanarIrrep:
    """``"2"``, ``"0e"``, ``"0o"``: a frequency, with e/o for O(2)'s two frequency-0 irreps."""
    digits = name.rstrip("eo")
    letter = name[len(digits) :]
    group = "O(2)" if reflections else "SO(2)"
    if not digits.isdigit() or len(letter) > 1:
        raise SpecError(f"{name!r} is not an irrep of {group}; write a frequency, e.g. 1x2")
    k = int(digits[:5])
    if len(digits) > 4 or k > MAX_FREQUENCY:
        raise SpecError(f"irrep {name!r}: the frequency is limited to {MAX_FREQUENCY}")
    if letter and not reflections:
        raise SpecError(
            f"irrep {name!r}: SO(2) has no reflections, so no parity letter; write {digits}"
        )
    if reflections and k == 0 and not letter:
        raise SpecError(
            "O(2) has two irreps of frequency 0: write 0e (trivial) or 0o (the determinant)"
        )
    return PlanarIrrep(k, reflections, reflections and k == 0 and letter == "o", name)
