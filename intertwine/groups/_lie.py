"""Lie groups through integer Lie-algebra generators, plus discrete generators of other components.

Each group G acts on its standard space; the constraint of a Lie-algebra generator A is the
infinitesimal one, W dρ_in(A) = dρ_out(A) W, and together with the discrete generators (a
reflection for O(n) and GL(n); parity and time reversal for O(1,3)) it gives the whole group.

- SO(n), O(n): so(n) spanned by L_ij = E_ji − E_ij (i < j), preserving the form I.
- SO(p,q), O(p,q): η = diag(+1 ×p, −1 ×q); rotations E_ji − E_ij inside each sign block and boosts
  E_ij + E_ji across blocks; O(1,3) and SO(1,3) are the Lorentz groups.
- SL(n): E_ij (i ≠ j) and E_ii − E_{i+1,i+1}; GL(n): all E_ij and a reflection.
- Sp(n) on R^2n: X = [[A, B], [C, −Aᵀ]] with B, C symmetric, preserving J = [[0, I], [−I, 0]].

Helpers are quarter turns (signed permutations of determinant 1 inside the group): they span a
finite monomial subgroup that the solver uses to cut the problem down before the Lie constraints.
"""

from __future__ import annotations

import numpy as np

from ..core import Action, Generator, Matrix
from ..errors import ActionError
from ._common import MAX_MATRIX_DEGREE, check_degree


def _E(n: int, i: int, j: int, v: int = 1) -> Matrix:
    return Matrix((n, n), [i], [j], [v], "ZZ")


def _diag(values) -> Matrix:
    idx = np.arange(len(values))
    return Matrix((len(values), len(values)), idx, idx, np.asarray(values, dtype=np.int64), "ZZ")


def _quarter_turn(n: int, i: int, j: int) -> Matrix:
    """Rotation by π/2 in the (i, j) plane: e_i ↦ e_j, e_j ↦ −e_i."""
    t = list(range(n))
    t[i], t[j] = j, i
    sign = [1] * n
    sign[j] = -1
    return Matrix((n, n), t, list(range(n)), sign, "ZZ")


def _rotations(n: int, coords) -> list[Generator]:
    return [
        Generator(f"L{i}{j}", "lie", (_E(n, j, i) - _E(n, i, j),))
        for a, i in enumerate(coords)
        for j in coords[a + 1 :]
    ]


def _turns(n: int, coords) -> list[tuple[Matrix, ...]]:
    return [(_quarter_turn(n, i, j),) for i, j in zip(coords, coords[1:])]


def _linear_group(name: str, n: int, gens: list[Generator], description: str) -> Action:
    """A group on R^n with the quarter turns (signed permutations of det 1) as helpers."""
    return Action(
        name, "group", (n,), gens, helpers=_turns(n, list(range(n))), description=description
    )


def special_orthogonal(n: int) -> Action:
    """SO(n): rotations of R^n."""
    check_degree("SO", n, 2, MAX_MATRIX_DEGREE)
    return _linear_group(f"SO({n})", n, _rotations(n, list(range(n))), f"rotations of R^{n}")


def orthogonal(n: int) -> Action:
    """O(n): rotations and reflections of R^n."""
    check_degree("O", n, 1, MAX_MATRIX_DEGREE)
    gens = _rotations(n, list(range(n)))
    gens.append(Generator("reflect", "discrete", (_diag([-1] + [1] * (n - 1)),)))
    return _linear_group(f"O({n})", n, gens, f"rotations and reflections of R^{n}")


def _pseudo(p: int, q: int, special: bool) -> Action:
    name = f"{'SO' if special else 'O'}({p},{q})"
    if not (
        isinstance(p, int)
        and isinstance(q, int)
        and p >= 1
        and q >= 1
        and p + q <= MAX_MATRIX_DEGREE
    ):
        raise ActionError(f"{name}: use integers p, q >= 1 with p + q <= {MAX_MATRIX_DEGREE}")
    n = p + q
    pos, neg = list(range(p)), list(range(p, n))
    gens = _rotations(n, pos) + _rotations(n, neg)
    gens += [Generator(f"K{i}{j}", "lie", (_E(n, i, j) + _E(n, j, i),)) for i in pos for j in neg]
    parity = _diag([1] * p + [-1] * q) if q % 2 else _diag([1] * p + [-1] + [1] * (q - 1))
    time_rev = _diag([-1] * p + [1] * q) if p % 2 else _diag([-1] + [1] * (n - 1))
    if special:
        gens.append(Generator("PT", "discrete", (parity @ time_rev,)))
    else:
        gens += [
            Generator("parity", "discrete", (parity,)),
            Generator("time_reversal", "discrete", (time_rev,)),
        ]
    desc = (
        f"{'proper ' if special else ''}Lorentz group"
        if (p, q) == (1, 3)
        else f"{'special ' if special else ''}pseudo-orthogonal group"
    ) + f" preserving diag(+1 x{p}, -1 x{q})"
    return Action(
        name, "group", (n,), gens, helpers=_turns(n, pos) + _turns(n, neg), description=desc
    )


def pseudo_orthogonal(p: int, q: int) -> Action:
    """O(p,q); O(1,3) is the Lorentz group with parity and time reversal."""
    return _pseudo(p, q, special=False)


def special_pseudo_orthogonal(p: int, q: int) -> Action:
    """SO(p,q) (both components of determinant 1; SO(1,3) includes PT = −I)."""
    return _pseudo(p, q, special=True)


def special_linear(n: int) -> Action:
    """SL(n): volume-preserving linear maps of R^n."""
    check_degree("SL", n, 2, MAX_MATRIX_DEGREE)
    gens = [
        Generator(f"E{i}{j}", "lie", (_E(n, i, j),)) for i in range(n) for j in range(n) if i != j
    ]
    gens += [Generator(f"H{i}", "lie", (_E(n, i, i) - _E(n, i + 1, i + 1),)) for i in range(n - 1)]
    return _linear_group(f"SL({n})", n, gens, f"linear maps of R^{n} with determinant 1")


def general_linear(n: int) -> Action:
    """GL(n): all invertible linear maps of R^n."""
    check_degree("GL", n, 1, MAX_MATRIX_DEGREE)
    gens = [Generator(f"E{i}{j}", "lie", (_E(n, i, j),)) for i in range(n) for j in range(n)]
    gens.append(Generator("reflect", "discrete", (_diag([-1] + [1] * (n - 1)),)))
    return _linear_group(f"GL({n})", n, gens, f"invertible linear maps of R^{n}")


def symplectic(n: int) -> Action:
    """Sp(n): linear maps of R^2n preserving J = [[0, I], [−I, 0]]."""
    check_degree("Sp", n, 1, MAX_MATRIX_DEGREE // 2)
    d = 2 * n
    gens = [
        Generator(f"A{i}{j}", "lie", (_E(d, i, j) - _E(d, n + j, n + i),))
        for i in range(n)
        for j in range(n)
    ]
    for i in range(n):
        for j in range(i, n):
            b = _E(d, i, n + j) + (_E(d, j, n + i) if i != j else Matrix.zeros(d))
            c = _E(d, n + i, j) + (_E(d, n + j, i) if i != j else Matrix.zeros(d))
            gens += [Generator(f"B{i}{j}", "lie", (b,)), Generator(f"C{i}{j}", "lie", (c,))]
    J = Matrix(
        (d, d),
        list(range(n, d)) + list(range(n)),
        list(range(n)) + list(range(n, d)),
        [-1] * n + [1] * n,
        "ZZ",
    )
    helpers = [(J,)]
    for i in range(n - 1):
        t = list(range(d))
        t[i], t[i + 1], t[n + i], t[n + i + 1] = i + 1, i, n + i + 1, n + i
        helpers.append((Matrix.from_map(t),))
    return Action(
        f"Sp({n})", "group", (d,), gens, helpers=helpers, description=f"symplectic group on R^{d}"
    )


def invariant_form(action: Action) -> Matrix | None:
    """The bilinear form a built-in orthogonal, Lorentz or symplectic group preserves."""
    name, n = action.name, action.degrees[0]
    if name.startswith(("SO(", "O(")) and "," not in name:
        return Matrix.identity(n)
    if name.startswith(("SO(", "O(")):
        p = int(name.split("(")[1].split(",")[0])
        return _diag([1] * p + [-1] * (n - p))
    if name.startswith("Sp("):
        h = n // 2
        return Matrix(
            (n, n),
            list(range(h)) + list(range(h, n)),
            list(range(h, n)) + list(range(h)),
            [1] * h + [-1] * h,
            "ZZ",
        )
    return None
