"""SO(3) and O(3) irreps in e3nn's real spherical-harmonic basis, with exact entries.

Convention (e3nn-jax's ``e3nn.so3.generators(l)``, checked against it in the tests): the complex
angular-momentum generators J_x, J_z, −J_y of SU(2) (entries ½√((l∓m)(l±m+1)) and i·m), moved to
the real basis by e3nn's ``change_basis_real_to_complex(l)`` (Wikipedia's real spherical
harmonics times (−i)^l). Their real parts G_x, G_y, G_z are dρ_l of the rotations about x, y, z
(the polar axis is y), so that D^1(R) = R in the order (x, y, z) and Y_l(R x) = D^l(R) Y_l(x)
for e3nn's real spherical harmonics. The action's generators L_ij = E_ji − E_ij map as
L12 ↦ G_x, L02 ↦ −G_y, L01 ↦ G_z (a Lie-algebra map: for l = 1 it is the identity).

Exact entries. G_x, G_y, G_z have entries ±√q (q rational, e.g. √3 for l = 2), but a diagonal
change of basis N = diag(√ν_0, …, √ν_2l) with rational ν_i makes them rational: G = N G_r N⁻¹.
``rational_form(l)`` finds ν by walking the entries from m = 0 (each step makes one entry ±1)
and proves the rest rational; the rational generators are then checked exactly against the
commutation relations [G_x, G_y] = G_z (cyclically). Group elements are computed in the rational
basis, then moved back: the rotations by π/2 about the axes are exp(π/2 · G_r) = f(G_r²) +
G_r g(G_r²), with f, g the polynomials through f(−m²) = cos(mπ/2), g(−m²) = sin(mπ/2)/m at the
weights m = 0..l (exact, because G_r is diagonalisable with eigenvalues i·m); every signed
permutation of determinant 1 (the octahedral group, which holds the helpers and −reflect) is a
word in them. O(3): ρ_{l,p}(g) = p^[det g = −1] · D^l(det g · g), so ``1o`` is the standard V.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import TYPE_CHECKING

import flint
import numpy as np

from ..core import Matrix
from ..errors import ActionError, SpecError
from ._exact_poly import identity_q as _identity
from ._exact_poly import interpolate as _interpolate
from ._exact_poly import poly_at as _poly_at

if TYPE_CHECKING:
    import sympy

MAX_L = 20


# ----------------------------------------------------------------- e3nn's formula, in floats
def _su2_generators(l: int) -> np.ndarray:
    m = np.arange(-l, l)
    raising = np.diag(-np.sqrt(l * (l + 1) - m * (m + 1)), k=-1)
    m = np.arange(-l + 1, l + 1)
    lowering = np.diag(np.sqrt(l * (l + 1) - m * (m - 1)), k=1)
    m = np.arange(-l, l + 1)
    return np.stack(
        [0.5 * (raising + lowering), np.diag(1j * m), -0.5j * (raising - lowering)], axis=0
    )


@functools.cache
def real_to_complex(l: int) -> np.ndarray:
    """e3nn's change of basis from real to complex spherical harmonics (with the (−i)^l)."""
    q = np.zeros((2 * l + 1, 2 * l + 1), dtype=np.complex128)
    for m in range(-l, 0):
        q[l + m, l + abs(m)] = 1 / np.sqrt(2)
        q[l + m, l - abs(m)] = -1j / np.sqrt(2)
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + abs(m)] = (-1) ** m / np.sqrt(2)
        q[l + m, l - abs(m)] = 1j * (-1) ** m / np.sqrt(2)
    q = (-1j) ** l * q
    q.flags.writeable = False
    return q


def float_generators(l: int) -> np.ndarray:
    """G_x, G_y, G_z of irrep l in e3nn's basis, float64, shape (3, 2l+1, 2l+1)."""
    q = real_to_complex(l)
    g = np.conj(q.T)[None] @ _su2_generators(l) @ q[None]
    return np.real(g)


# ----------------------------------------------------------------- the rational basis
@dataclass(frozen=True)
class RationalForm:
    """Irrep l in rational coordinates z, with e3nn coordinates y = diag(√ν) z."""

    l: int
    norms: tuple[Fraction, ...]  # ν_i
    lie: tuple[flint.fmpq_mat, flint.fmpq_mat, flint.fmpq_mat]  # G_x, G_y, G_z (rational)

    def to_e3nn(self, m: flint.fmpq_mat) -> Matrix:
        """N m N⁻¹ as an exact Matrix: entry (i, j) times √(ν_i/ν_j)."""
        d = 2 * self.l + 1
        rows, cols, vals = [], [], []
        for i in range(d):
            for j in range(d):
                v = m[i, j]
                if v != 0:
                    rows.append(i)
                    cols.append(j)
                    vals.append(_fraction(v) * _sqrt_ratio(self.l, i, j))
        return Matrix((d, d), rows, cols, np.array(vals, dtype=object), "EX")


def _fraction(v: flint.fmpq) -> sympy.Rational:
    import sympy

    return sympy.Rational(int(v.p), int(v.q))


@functools.cache
def _sqrt_ratio(l: int, i: int, j: int) -> sympy.Expr:
    import sympy

    nu = rational_form(l).norms
    r = nu[i] / nu[j]
    return sympy.sqrt(sympy.Rational(r.numerator, r.denominator))


def _rational_sqrt(q: Fraction) -> Fraction | None:
    a, b = isqrt(q.numerator), isqrt(q.denominator)
    return Fraction(a, b) if a * a == q.numerator and b * b == q.denominator else None


@functools.cache
def rational_form(l: int) -> RationalForm:
    """The rational generators and the normalisation ν of irrep l (see the module docstring)."""
    g = float_generators(l)
    d = 2 * l + 1
    squares = {}
    for a in range(3):
        for i, j in zip(*np.nonzero(np.abs(g[a]) > 1e-9)):
            x = float(g[a, i, j])
            s = Fraction(round(4 * x * x), 4)
            if abs(float(s) ** 0.5 - abs(x)) > 1e-9 * max(1.0, abs(x)):
                raise AssertionError(f"bug: entry {x} of G_{a} for l={l} is not ±√(k/4)")
            squares[(a, int(i), int(j))] = (s, 1 if x > 0 else -1)
    nu: list[Fraction | None] = [None] * d
    nu[l] = Fraction(1)
    frontier = [l]
    while frontier:
        i = frontier.pop()
        for (_, r, c), (s, _sign) in squares.items():
            if r == i and nu[c] is None:
                nu[c] = nu[i] / s  # type: ignore[operator]
                frontier.append(c)
    if any(v is None for v in nu):
        raise AssertionError(f"bug: the generators of l={l} do not connect every index")
    lie = [flint.fmpq_mat(d, d) for _ in range(3)]
    for (a, i, j), (s, sign) in squares.items():
        root = _rational_sqrt(s * nu[j] / nu[i])  # type: ignore[operator]
        if root is None:
            raise AssertionError(f"bug: no rational basis for l={l} (entry {i},{j} of G_{a})")
        lie[a][i, j] = flint.fmpq(sign * root.numerator, root.denominator)
    gx, gy, gz = lie
    for one, two, three in ((gx, gy, gz), (gy, gz, gx), (gz, gx, gy)):
        if one * two - two * one != three:
            raise AssertionError(f"bug: the generators of l={l} fail [X, Y] = Z exactly")
    return RationalForm(l, tuple(nu), (gx, gy, gz))  # type: ignore[arg-type]


# ----------------------------------------------------------------- group elements
_AXES = (  # the rotation generators X_x, X_y, X_z of R^3 (e3nn's l = 1 generators)
    ((0, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((0, 0, 1), (0, 0, 0), (-1, 0, 0)),
    ((0, -1, 0), (1, 0, 0), (0, 0, 0)),
)


def _quarter_turn_3d(axis: int) -> np.ndarray:
    x = np.array(_AXES[axis], dtype=np.int64)
    return np.eye(3, dtype=np.int64) + x + x @ x  # exp(π/2 X) for X³ = −X


@functools.cache
def _quarter_turn(l: int, axis: int) -> flint.fmpq_mat:
    """D_r(exp(π/2 X_axis)) = f(G²) + G g(G²) exactly (module docstring)."""
    g = rational_form(l).lie[axis]
    d = 2 * l + 1
    cos = [Fraction([1, 0, -1, 0][m % 4]) for m in range(l + 1)]
    sin = [Fraction(0)] + [Fraction([0, 1, 0, -1][m % 4], m) for m in range(1, l + 1)]
    g2 = g * g
    return _poly_at(_interpolate(cos), g2, d) + g * _poly_at(_interpolate(sin), g2, d)


@functools.cache
def _octahedral(l: int) -> dict[tuple[int, ...], flint.fmpq_mat]:
    """D_r(R) for the 24 rotations R that are signed permutations (breadth first)."""
    d = 2 * l + 1
    eye = np.eye(3, dtype=np.int64)
    found = {tuple(int(v) for v in eye.ravel()): _identity(d)}
    frontier = [eye]
    turns = [(_quarter_turn_3d(a), a) for a in range(3)]
    while frontier:
        nxt = []
        for r in frontier:
            for q, a in turns:
                s = q @ r
                key = tuple(int(v) for v in s.ravel())
                if key not in found:
                    found[key] = _quarter_turn(l, a) * found[tuple(int(v) for v in r.ravel())]
                    nxt.append(s)
        frontier = nxt
    assert len(found) == 24
    return found


def _integer_3x3(m: Matrix, what: str) -> np.ndarray:
    if m.shape != (3, 3) or m.domain != "ZZ":
        raise ActionError(
            f"the SO(3)/O(3) irreps are evaluated at integer 3x3 {what} matrices (the built-in "
            f"generators), not a {m.shape[0]}x{m.shape[1]} {m.domain} matrix"
        )
    return m.to_scipy(np.int64).toarray()


@dataclass(frozen=True)
class So3Irrep:
    """Irrep l of SO(3) (``parity`` 0) or (l, p) of O(3) (``parity`` ±1), in e3nn's basis."""

    l: int
    parity: int
    written: str

    @property
    def name(self) -> str:
        return self.written

    @property
    def key(self) -> tuple:
        return ("SO3", self.l, self.parity)

    @property
    def dim(self) -> int:
        return 2 * self.l + 1

    def matrix(self, kind: str, base: tuple[Matrix, ...]) -> Matrix:
        return _matrix(self.l, self.parity, kind, base[0])

    def endomorphisms(self) -> tuple[Matrix, ...]:
        return (Matrix.identity(self.dim),)


@functools.lru_cache(maxsize=4096)
def _matrix(l: int, parity: int, kind: str, m: Matrix) -> Matrix:
    form = rational_form(l)
    x = _integer_3x3(m, "Lie-algebra" if kind == "lie" else "group")
    if kind == "lie":
        if np.any(x != -x.T):
            raise ActionError("an SO(3) Lie-algebra generator must be antisymmetric")
        gx, gy, gz = form.lie
        return form.to_e3nn(gx * int(x[2, 1]) + gy * int(x[0, 2]) + gz * int(x[1, 0]))
    det = int(round(np.linalg.det(x)))
    if det == -1 and parity == 0:
        raise ActionError("an SO(3) irrep has no value at a reflection; use O(3) and 'e'/'o'")
    rotation = _octahedral(l).get(tuple(int(v) for v in (det * x).ravel()))
    if rotation is None:
        raise ActionError(
            "the SO(3)/O(3) irreps are evaluated exactly at signed permutation matrices (the "
            "built-in generators and helpers); this group element is not one"
        )
    sign = parity if det == -1 else 1
    return form.to_e3nn(rotation * sign)


def parse_so3(name: str, with_parity: bool) -> So3Irrep:
    """``"1o"``, ``"2e"``, ``"3"``: l and parity (required for O(3), ignored for SO(3))."""
    digits = name.rstrip("eo")
    letter = name[len(digits) :]
    group = "O(3)" if with_parity else "SO(3)"
    if not digits.isdigit() or len(letter) > 1:
        raise SpecError(f"{name!r} is not an irrep of {group}; write l and e/o, e.g. 1o or 2e")
    l = int(digits[:4])
    if len(digits) > 3 or l > MAX_L:
        raise SpecError(f"irrep {name!r}: l is limited to {MAX_L}")
    if with_parity and not letter:
        raise SpecError(
            f"an O(3) irrep needs its parity: write {l}e (even) or {l}o (odd) (V is 1o)"
        )
    parity = {"e": 1, "o": -1}[letter] if with_parity else 0
    return So3Irrep(l, parity, name)
