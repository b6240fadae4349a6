"""SO(3) Clebsch–Gordan coefficients in e3nn's real basis, exact, from Racah's formula.

For irreps l1, l2, l3 with |l1 − l2| ≤ l3 ≤ l1 + l2, Hom_SO(3)(l1 ⊗ l2, l3) is one-dimensional
(the Clebsch–Gordan series is multiplicity-free). e3nn's real coefficients are the complex ones
⟨l1 m1 l2 m2 | l3 m3⟩ (Racah's formula, Condon–Shortley phases) moved into the real basis with
``real_to_complex`` and divided by √(2 l3 + 1), which gives Frobenius norm 1.

Exact, fast. Racah's sum is evaluated in float64 (vectorised), the tensor is moved into the
rational coordinates of ``rational_form`` (z = diag(√ν)⁻¹ y), where it is a rational multiple of
an integer tensor T; T is recovered by rounding and then *proved* an intertwiner in exact integer
arithmetic (T (G_1 ⊗ I + I ⊗ G_2) = G_3 T for the three rational generators). With dim Hom = 1,
T spans it, and e3nn's tensor is exactly C[a, b, c] = κ T[a, b, c] √(ν_c / (ν_a ν_b)) with the
rational κ² fixing norm 1 and the sign of κ e3nn's. Should rounding ever fail, the exact
nullspace is computed instead (python-flint).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ..groups import rational_form, real_to_complex

_FACT = np.array([float(math.factorial(n)) for n in range(170)])


def triangle(l1: int, l2: int, l3: int) -> bool:
    """|l1 − l2| ≤ l3 ≤ l1 + l2."""
    return abs(l1 - l2) <= l3 <= l1 + l2


def _fact(n: np.ndarray) -> np.ndarray:
    return _FACT[np.maximum(n, 0)]


@functools.cache
def _sqrt_norms(l: int) -> np.ndarray:
    return np.sqrt(np.array([float(v) for v in rational_form(l).norms]))


def complex_cg(l1: int, l2: int, l3: int) -> np.ndarray:
    """⟨l1 m1 l2 m2 | l3 m3⟩ (Racah; as e3nn's ``su2_clebsch_gordan`` times √(2l3+1)), float64
    of shape (2l1+1, 2l2+1, 2l3+1)."""
    m1 = np.arange(-l1, l1 + 1)[:, None, None]
    m2 = np.arange(-l2, l2 + 1)[None, :, None]
    m3 = m1 + m2
    v = np.arange(0, l1 + l2 + l3 + 2)[None, None, :]
    args = np.broadcast_arrays(
        l2 + l3 + m1 - v, l1 - m1 + v, v, l3 - l1 + l2 - v, l3 + m3 - v, v + l1 - l2 - m3
    )
    ok = np.all([a >= 0 for a in args], axis=0)
    terms = (-1.0) ** (v + l2 + m2) * _fact(args[0]) * _fact(args[1])
    terms = terms / (_fact(args[2]) * _fact(args[3]) * _fact(args[4]) * _fact(args[5]))
    s = np.sum(np.where(ok, terms, 0.0), axis=2)
    m3 = m3[:, :, 0]
    pre = (
        (2 * l3 + 1)
        * _fact(np.array(l3 + l1 - l2))
        * _fact(np.array(l3 - l1 + l2))
        * _fact(np.array(l1 + l2 - l3))
        * _fact(l3 + m3)
        * _fact(l3 - m3)
        / (
            _fact(np.array(l1 + l2 + l3 + 1))
            * _fact(l1 - m1[:, :, 0])
            * _fact(l1 + m1[:, :, 0])
            * _fact(l2 - m2[:, :, 0])
            * _fact(l2 + m2[:, :, 0])
        )
    )
    out = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
    i, j = np.nonzero(np.abs(m3) <= l3)
    out[i, j, m3[i, j] + l3] = np.sqrt(pre[i, j]) * s[i, j]
    return out


def float_cg(l1: int, l2: int, l3: int) -> np.ndarray:
    """e3nn's real Clebsch–Gordan tensor, float64, shape (2l1+1, 2l2+1, 2l3+1), norm 1."""
    q1, q2, q3 = real_to_complex(l1), real_to_complex(l2), real_to_complex(l3)
    c = np.einsum("ikn,ij->jkn", complex_cg(l1, l2, l3), q1)
    c = np.einsum("jkn,kl->jln", c, q2)
    c = np.einsum("jln,mn->jlm", c, np.conj(q3.T))
    return np.real(c) / math.sqrt(2 * l3 + 1)


@dataclass(frozen=True)
class ExactCG:
    """C = κ · T · √(ν_c / (ν_a ν_b)) with T integer, κ > 0 times ``sign``, Σ C² = 1."""

    integers: np.ndarray  # (2l1+1, 2l2+1, 2l3+1), int64
    sign: int
    nu: tuple[tuple[Fraction, ...], tuple[Fraction, ...], tuple[Fraction, ...]]
    array: np.ndarray  # the same tensor in float64

    @functools.cached_property
    def kappa2(self) -> Fraction:
        """κ² = 1 / Σ T² ν_c / (ν_a ν_b), exact."""
        na, nb, nc = self.nu
        total = Fraction(0)
        for (a, b, c), t in zip(zip(*np.nonzero(self.integers)), self.integers[self.integers != 0]):
            total += int(t) ** 2 * nc[c] / (na[a] * nb[b])
        return 1 / total


@functools.cache
def _integer_lie(l: int) -> tuple[np.ndarray, int]:
    """The rational generators of l as (numerators (3, d, d) int64, common denominator)."""
    gens = rational_form(l).lie
    den = 1
    for g in gens:
        for v in g.entries():
            den = math.lcm(den, int(v.q))
    nums = np.array([[[int(v * den) for v in row] for row in g.tolist()] for g in gens])
    return nums.astype(np.int64), den


def _is_intertwiner(t: np.ndarray, ls: tuple[int, int, int]) -> bool:
    """T (G_1 ⊗ I + I ⊗ G_2) = G_3 T exactly, in int64 under a bound that rules out overflow
    (Python integers otherwise)."""
    lies = [_integer_lie(l) for l in ls]
    den = math.lcm(*(d for _, d in lies))
    gens = [nums * (den // d) for nums, d in lies]
    bound = int(np.max(np.abs(t))) * max(int(np.max(np.abs(g))) for g in gens) * 3 * max(t.shape)
    if bound >= 2**62:
        t, gens = t.astype(object), [g.astype(object) for g in gens]
    for a, b, c in zip(*gens):
        lhs = np.einsum("xbc,xa->abc", t, a) + np.einsum("axc,xb->abc", t, b)
        if np.any(lhs != np.einsum("cy,aby->abc", c, t)):
            return False
    return True


def _round_to_integers(x: np.ndarray) -> np.ndarray | None:
    """An integer tensor proportional to x (float64), or None if rounding is not clean."""
    scale = np.max(np.abs(x))
    x = x / scale
    den = 1
    for _ in range(8):
        y = x * den
        bad = np.abs(y - np.round(y)) > 1e-7 * max(1.0, den)
        if not np.any(bad):
            break
        worst = float(y[bad].flat[0])
        den *= Fraction(worst).limit_denominator(10**7).denominator
        if den > 2**40:
            return None
    else:
        return None
    ints = np.round(x * den).astype(np.int64)
    g = int(np.gcd.reduce(ints[ints != 0]))
    return ints // g


def _nullspace_tensor(ls: tuple[int, int, int]) -> np.ndarray:
    """The exact integer spanning vector of Hom(l1 ⊗ l2, l3) in rational coordinates (flint)."""
    d1, d2, d3 = (2 * l + 1 for l in ls)
    lies = [_integer_lie(l) for l in ls]
    den = math.lcm(*(d for _, d in lies))
    ga, gb, gc = [nums * (den // d) for nums, d in lies]
    n = d1 * d2 * d3
    eye = [np.eye(d, dtype=np.int64) for d in (d1, d2, d3)]
    blocks = []
    for a, b, c in zip(ga, gb, gc):  # the operator on vec(t), t[a, b, c] at (a·d2 + b)·d3 + c
        op = np.kron(np.kron(a.T, eye[1]), eye[2]) + np.kron(np.kron(eye[0], b.T), eye[2])
        blocks.append(op - np.kron(np.kron(eye[0], eye[1]), c))
    m = np.vstack(blocks)
    null, nullity = flint.fmpz_mat(m.shape[0], n, [int(v) for v in m.ravel()]).nullspace()
    if nullity != 1:
        raise AssertionError("bug: dim Hom(l1 ⊗ l2, l3) must be 1")
    vec = np.array([int(null[i, 0]) for i in range(n)], dtype=object).reshape(d1, d2, d3)
    return vec


# the largest (2l1+1)(2l2+1)(2l3+1) for which the exact nullspace fallback runs (its dense
# integer system has 3·n rows and n columns)
MAX_NULLSPACE = 3375


@functools.cache
def exact_cg(l1: int, l2: int, l3: int) -> ExactCG | None:
    """e3nn's real Clebsch–Gordan tensor of a triangle (l1, l2, l3), exact (module docstring), or
    None when the float tensor does not round to an integer intertwiner and the exact nullspace
    would be above ``MAX_NULLSPACE`` unknowns (the caller then returns floats, exact False)."""
    ls = (l1, l2, l3)
    c = float_cg(*ls)
    nu = tuple(rational_form(l).norms for l in ls)
    n = [_sqrt_norms(l) for l in ls]
    t_float = c * n[0][:, None, None] * n[1][None, :, None] / n[2][None, None, :]
    t = _round_to_integers(t_float)
    if t is None or not _is_intertwiner(t, ls):
        if math.prod(2 * l + 1 for l in ls) > MAX_NULLSPACE:
            return None
        t = _nullspace_tensor(ls)
    # the sign of κ: e3nn's tensor against T at its largest entry
    i = np.unravel_index(np.argmax(np.abs(c)), c.shape)
    sign = 1 if (c[i] > 0) == (t[i] > 0) else -1
    x = t.astype(np.float64) * n[2][None, None, :] / (n[0][:, None, None] * n[1][None, :, None])
    array = sign * x / np.sqrt(np.sum(x * x))
    array.flags.writeable = False
    return ExactCG(t, sign, nu, array)  # type: ignore[arg-type]
