"""The built-in actions by name: how to build each, a one-line summary and an example."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import groups, monoids
from ..core import Action


@dataclass(frozen=True)
class Entry:
    """One spec name: its signatures, a constructor per argument count, a summary, an example."""

    name: str
    signature: str
    builders: dict[int, Callable[..., Action]]
    kind: str
    summary: str
    example: str


REGISTRY: dict[str, Entry] = {
    e.name: e
    for e in [
        Entry(
            "S",
            "S(n)",
            {1: groups.symmetric},
            "group",
            "symmetric group permuting n points",
            'intertwine solve "S(5)" "V**2" "V**2"',
        ),
        Entry(
            "A",
            "A(n)",
            {1: groups.alternating},
            "group",
            "alternating group (even permutations) of n points",
            'intertwine solve "A(4)" V V**2',
        ),
        Entry(
            "Z",
            "Z(n)",
            {1: groups.cyclic},
            "group",
            "cyclic group rotating n points on a circle",
            'intertwine solve "Z(8)" V V',
        ),
        Entry(
            "Dih",
            "Dih(n)",
            {1: groups.dihedral},
            "group",
            "dihedral group acting on the n vertices of a polygon",
            'intertwine solve "Dih(6)" V V',
        ),
        Entry(
            "C",
            "C(k)",
            {1: groups.rotations},
            "group",
            "rotations of R^2 by multiples of 2pi/k (exact entries)",
            'intertwine solve "C(6)" V V',
        ),
        Entry(
            "D",
            "D(k)",
            {1: groups.rotations_reflections},
            "group",
            "rotations and reflections of R^2 by multiples of 2pi/k",
            'intertwine solve "D(4)" V**2 V**2',
        ),
        Entry(
            "SO",
            "SO(n) | SO(p,q)",
            {1: groups.special_orthogonal, 2: groups.special_pseudo_orthogonal},
            "group",
            "rotations of R^n; SO(1,3) is the Lorentz group of determinant 1",
            'intertwine solve "SO(3)" V**2 V',
        ),
        Entry(
            "O",
            "O(n) | O(p,q)",
            {1: groups.orthogonal, 2: groups.pseudo_orthogonal},
            "group",
            "rotations and reflections of R^n; O(1,3) is the Lorentz group",
            'intertwine solve "O(1,3)" V**2 V**2',
        ),
        Entry(
            "Sp",
            "Sp(n)",
            {1: groups.symplectic},
            "group",
            "symplectic group acting on R^2n",
            'intertwine solve "Sp(2)" V**2 1',
        ),
        Entry(
            "SL",
            "SL(n)",
            {1: groups.special_linear},
            "group",
            "linear maps of R^n with determinant 1",
            'intertwine solve "SL(3)" V**3 1',
        ),
        Entry(
            "GL",
            "GL(n)",
            {1: groups.general_linear},
            "group",
            "all invertible linear maps of R^n",
            'intertwine solve "GL(3)" "V*V*" 1',
        ),
        Entry(
            "Shift",
            "Shift(n) | Shift(h,w)",
            {1: monoids.shift, 2: monoids.shift2d},
            "monoid",
            "truncating shift on R^n (causal 1-D), or two on an h x w grid (causal 2-D)",
            'intertwine solve "Shift(8)" V V',
        ),
        Entry(
            "Trans",
            "Trans(n)",
            {1: monoids.full_transformations},
            "monoid",
            "full transformation monoid: all maps of n points",
            'intertwine solve "Trans(4)" V V',
        ),
    ]
}

PRODUCT_EXAMPLE = 'intertwine solve "S(3) x Z(4)" "V1*V2" "V1*V2"'
CUSTOM_EXAMPLE = "intertwine solve @my_group.json V V"

# names people reach for, and the spec that names the group here
GROUP_ALIASES: dict[str, str] = {
    "Lorentz": "'O(1,3)' (the Lorentz group; 'SO(1,3)' for determinant 1)",
    "lorentz": "'O(1,3)' (the Lorentz group; 'SO(1,3)' for determinant 1)",
    "Cyclic": "'Z(n)' (on n points) or 'C(k)' (rotations of the plane)",
    "Dihedral": "'Dih(n)' (on the n vertices of a polygon) or 'D(k)' (on the plane)",
    "Sym": "'S(n)' (the symmetric group; Sym(A, k) is a rep)",
    "Alt": "'A(n)' (the alternating group; Alt(A, k) is a rep)",
    "U": "'SO(2)' (U(1) as the rotations of the plane)",
}
