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
    """One group element, as it is reached: a word in the generators."""

    parent: int  # index of the element this one extends (-1 for the identity)
    generator: int  # index of the discrete generator applied last (-1 for the identity)


@dataclass(frozen=True)
class Enumeration:
    """The elements (identity first), the conjugacy classes (lists of element indices, the
    identity's class first; classes ordered by element order, size, then first element), each
    element's order, and ``left[g][i]``: the index of generator g times element i (the
    left-regular action of the generators)."""

    elements: tuple[Element, ...]
    classes: tuple[tuple[int, ...], ...]
    element_orders: tuple[int, ...]
    left: tuple[tuple[int, ...], ...]

    @property
    def order(self) -> int:
        return len(self.elements)


def _key(m: np.ndarray) -> bytes:
    return (np.round(m, 9) + 0.0).tobytes()


def _standard(action: Action, i: int) -> np.ndarray:
    from scipy.linalg import block_diag

    return block_diag(*[m.to_numpy() for m in action.generators[i].matrices])


def _as_permutations(mats: list[np.ndarray]) -> list[np.ndarray] | None:
    """Each 0/1 matrix with one 1 per column as its images (column j goes to row p[j]), or None
    when some generator is not a permutation matrix."""
    out = []
    for m in mats:
        if not (np.all((m == 0) | (m == 1)) and np.all(m.sum(axis=0) == 1)):
            return None
        if not np.all(m.sum(axis=1) == 1):
            return None
        out.append(np.argmax(m, axis=0).astype(np.int64))
    return out


def check_finite(action: Action) -> None:
    if not action.is_group or any(g.kind != "discrete" for g in action.generators):
        raise SolverError(
            f"{action.name} is not a finite group given by discrete generators (a Lie group or a "
            f"monoid); characters and enumeration need a finite group such as S(4), A(5) or a "
            f"custom @file.json"
        )


@lru_cache(maxsize=16)
def enumerate_group(action: Action) -> Enumeration:
    """All elements of a finite group (at most ``MAX_ORDER``), with their conjugacy classes.

    Elements are found breadth-first on the standard space (as permutations of the points when
    every generator is a permutation matrix, else as float64 matrices keyed to 9 decimals);
    after that only element indices are used: the left multiplication table of the generators,
    the right one derived from the words (e_i g = g_a (e_parent g)), conjugation g e g⁻¹ as
    the composition of the two, and the order of e as the length of the cycle through the
    identity of its left multiplication (the left-regular action is free).
    """
    check_finite(action)
    known = action.order()
    if known is not None and known > MAX_ORDER:
        raise SolverError(
            f"{action.name} has order {known}; enumerating it is limited to {MAX_ORDER} elements: "
            f"use a smaller group"
        )
    mats = [_standard(action, i) for i in range(len(action.generators))]
    perms = _as_permutations(mats)
    ngen = len(mats)
    if perms is not None:
        ident: np.ndarray = np.arange(mats[0].shape[0] if mats else 0)

        def mul(gi: int, e: np.ndarray) -> np.ndarray:
            return perms[gi][e]  # type: ignore[index]

        def key(e: np.ndarray) -> bytes:
            return e.tobytes()

    else:
        dim = sum(action.degrees)
        ident = np.eye(dim)

        def mul(gi: int, e: np.ndarray) -> np.ndarray:
            return mats[gi] @ e

        def key(e: np.ndarray) -> bytes:
            return _key(e)

    elements = [Element(-1, -1)]
    values = [ident]
    index = {key(ident): 0}
    left: list[list[int]] = [[] for _ in range(ngen)]
    head = 0
    while head < len(elements):
        for gi in range(ngen):
            p = mul(gi, values[head])
            k = key(p)
            j = index.get(k)
            if j is None:
                if len(elements) >= MAX_ORDER:
                    raise SolverError(
                        f"{action.name} has more than {MAX_ORDER} elements; enumerating it is "
                        f"limited to {MAX_ORDER}: use a smaller group"
                    )
                j = index[k] = len(elements)
                elements.append(Element(head, gi))
                values.append(p)
            left[gi].append(j)
        head += 1
    n = len(elements)
    lt = [np.array(row, dtype=np.int64) for row in left]
    conj = []
    for gi in range(ngen):
        right = np.empty(n, dtype=np.int64)  # right[i] = index of e_i g
        right[0] = lt[gi][0]
        for i in range(1, n):
            e = elements[i]
            right[i] = lt[e.generator][right[e.parent]]
        right_inv = np.empty(n, dtype=np.int64)
        right_inv[right] = np.arange(n)
        conj.append(lt[gi][right_inv])  # g e_i g⁻¹
    seen = np.full(n, -1, dtype=np.int64)
    classes: list[list[int]] = []
    for start in range(n):
        if seen[start] >= 0:
            continue
        members = [start]
        seen[start] = len(classes)
        for i in members:
            for c in conj:
                j = int(c[i])
                if seen[j] < 0:
                    seen[j] = len(classes)
                    members.append(j)
        classes.append(sorted(members))
    orders = _orders(elements, lt)
    classes.sort(key=lambda c: (orders[c[0]], len(c), c[0]))
    return Enumeration(
        tuple(elements),
        tuple(tuple(c) for c in classes),
        orders,
        tuple(tuple(int(v) for v in row) for row in lt),
    )


def _orders(elements: list[Element], lt: list[np.ndarray]) -> tuple[int, ...]:
    """ord(e_i) = the length of the cycle of 0 under left multiplication by e_i, whose table
    is L_i = L_a ∘ L_parent for e_i = g_a e_parent."""
    n = len(elements)
    tables: list[np.ndarray] = [np.arange(n, dtype=np.int64)]
    orders = [1]
    for i in range(1, n):
        e = elements[i]
        t = lt[e.generator][tables[e.parent]]
        tables.append(t)
        k, j = 1, int(t[0])
        while j != 0:
            j, k = int(t[j]), k + 1
        orders.append(k)
    return tuple(orders)


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
    return [list(row) for row in enum.left]
