"""The elements and conjugacy classes of a small finite group, from its generators.

Elements are enumerated breadth-first on the action's standard space (the matrices generate the
group, so this representation is faithful): each element is stored with a word, a parent and
the generator that reaches it, so that any rep's matrix of an element is a product of that rep's
generator matrices. Conjugacy classes are the orbits of conjugation by the generators (a
generating set suffices: the class of g is {h g h⁻¹}, and every h is a word in the generators).
Refused above ``MAX_ORDER`` elements, before the work is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core import Action
from ..errors import SolverError

MAX_ORDER = 1000


@dataclass(frozen=True)
class Element:
    """One group element: its matrix on the standard space and how it is reached."""

    matrix: np.ndarray  # float64 block-diagonal matrix on the standard spaces
    parent: int  # index of the element this one extends (-1 for the identity)
    generator: int  # index of the discrete generator applied last (-1 for the identity)


@dataclass(frozen=True)
class Enumeration:
    """The elements (identity first) and the conjugacy classes (lists of element indices, the
    identity's class first; classes ordered by element order, size, then first element)."""

    elements: tuple[Element, ...]
    classes: tuple[tuple[int, ...], ...]
    element_orders: tuple[int, ...]

    @property
    def order(self) -> int:
        return len(self.elements)


def _key(m: np.ndarray) -> bytes:
    return (np.round(m, 9) + 0.0).tobytes()


def _standard(action: Action, i: int) -> np.ndarray:
    from scipy.linalg import block_diag

    return block_diag(*[m.to_numpy() for m in action.generators[i].matrices])


def check_finite(action: Action) -> None:
    if not action.is_group or any(g.kind != "discrete" for g in action.generators):
        raise SolverError(
            f"{action.name} is not a finite group given by discrete generators (a Lie group or a "
            f"monoid); characters and enumeration need a finite group such as S(4), A(5) or a "
            f"custom @file.json"
        )


@lru_cache(maxsize=16)
def enumerate_group(action: Action) -> Enumeration:
    """All elements of a finite group (at most ``MAX_ORDER``), with their conjugacy classes."""
    check_finite(action)
    known = action.order()
    if known is not None and known > MAX_ORDER:
        raise SolverError(
            f"{action.name} has order {known}; enumerating it is limited to {MAX_ORDER} elements: "
            f"use a smaller group"
        )
    gens = [_standard(action, i) for i in range(len(action.generators))]
    dim = sum(action.degrees)
    elements = [Element(np.eye(dim), -1, -1)]
    index = {_key(elements[0].matrix): 0}
    head = 0
    while head < len(elements):
        m = elements[head].matrix
        for gi, g in enumerate(gens):
            p = g @ m
            k = _key(p)
            if k not in index:
                if len(elements) >= MAX_ORDER:
                    raise SolverError(
                        f"{action.name} has more than {MAX_ORDER} elements; enumerating it is "
                        f"limited to {MAX_ORDER}: use a smaller group"
                    )
                index[k] = len(elements)
                elements.append(Element(p, head, gi))
        head += 1
    inv = [np.linalg.inv(g) for g in gens]
    seen: list[int] = [-1] * len(elements)
    classes: list[list[int]] = []
    for start in range(len(elements)):
        if seen[start] >= 0:
            continue
        members = [start]
        seen[start] = len(classes)
        for i in members:
            for g, g_inv in zip(gens, inv):
                j = index[_key(g @ elements[i].matrix @ g_inv)]
                if seen[j] < 0:
                    seen[j] = len(classes)
                    members.append(j)
        classes.append(sorted(members))
    orders = tuple(_order(e.matrix) for e in elements)
    classes.sort(key=lambda c: (orders[c[0]], len(c), c[0]))
    return Enumeration(tuple(elements), tuple(tuple(c) for c in classes), orders)


def _order(m: np.ndarray) -> int:
    p, k = m, 1
    eye = np.eye(len(m))
    while not np.allclose(p, eye, atol=1e-9):
        p, k = p @ m, k + 1
    return k


def element_matrices(enum: Enumeration, gens: list[np.ndarray], which: list[int]) -> list:
    """A rep's matrices of the elements ``which``, as products of its generator matrices."""
    dim = gens[0].shape[0] if gens else 1
    memo: dict[int, np.ndarray] = {0: np.eye(dim)}

    def mat(i: int) -> np.ndarray:
        path = []
        while i not in memo:
            path.append(i)
            i = enum.elements[i].parent
        for j in reversed(path):
            e = enum.elements[j]
            memo[j] = gens[e.generator] @ memo[e.parent]
        return memo[path[0]] if path else memo[i]

    return [mat(i) for i in which]


def class_characters(enum: Enumeration, gens: list[np.ndarray]) -> np.ndarray:
    """χ(class representative) for every class, for the rep with these generator matrices."""
    mats = element_matrices(enum, gens, [c[0] for c in enum.classes])
    return np.array([float(np.trace(m)) for m in mats])


def regular_generators(action: Action, enum: Enumeration) -> list[list[int]]:
    """The left-regular action g: e_h ↦ e_{gh} of each generator, as images of 0..|G|-1."""
    index = {_key(e.matrix): i for i, e in enumerate(enum.elements)}
    gens = [_standard(action, gi) for gi in range(len(action.generators))]
    return [[index[_key(g @ e.matrix)] for e in enum.elements] for g in gens]
