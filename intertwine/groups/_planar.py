"""C(k) and D(k): rotations (and reflections) of R² by multiples of 2π/k, with exact entries.

The rotation is [[cos θ, −sin θ], [sin θ, cos θ]] with θ = 2π/k, kept as sympy algebraic numbers
(e.g. cos 2π/6 = 1/2, sin 2π/6 = √3/2); the reflection of D(k) is diag(1, −1). The family
``Planar(k)`` (``Planar(k, reflections=True)``) tells the solver which rotation it is, so that
it can solve by weights (``solver/_planar.py``) instead of with the sympy entries.
"""

from __future__ import annotations

from ..core import Action, Generator, Matrix, Planar
from ._common import check_degree


def _rotation(k: int) -> Matrix:
    import sympy

    theta = 2 * sympy.pi / k
    c, s = sympy.cos(theta), sympy.sin(theta)
    return Matrix.from_dense([[c, -s], [s, c]])


def _helpers(k: int) -> list[tuple[Matrix, ...]]:
    """Monomial elements inside C(k): the quarter turn when 4 | k, the half turn when 2 | k."""
    if k % 4 == 0:
        return [(Matrix.from_dense([[0, -1], [1, 0]]),)]
    if k % 2 == 0:
        return [(Matrix.from_dense([[-1, 0], [0, -1]]),)]
    return []


def rotations(k: int) -> Action:
    """C(k): the k rotations of the plane by multiples of 2π/k."""
    check_degree("C", k, 1)
    gens = [Generator("rotate", "discrete", (_rotation(k),))] if k > 1 else []
    return Action(
        f"C({k})",
        "group",
        (2,),
        gens,
        helpers=_helpers(k),
        order=k,
        description=f"rotations of R^2 by multiples of 2pi/{k}",
        family=Planar(k),
    )


def rotations_reflections(k: int) -> Action:
    """D(k): the k rotations of C(k) and k reflections (order 2k)."""
    check_degree("D", k, 1)
    gens = [Generator("rotate", "discrete", (_rotation(k),))] if k > 1 else []
    gens.append(Generator("reflect", "discrete", (Matrix.from_dense([[1, 0], [0, -1]]),)))
    return Action(
        f"D({k})",
        "group",
        (2,),
        gens,
        helpers=_helpers(k),
        order=2 * k,
        description=f"rotations and reflections of R^2 by multiples of 2pi/{k}",
        family=Planar(k, reflections=True),
    )
