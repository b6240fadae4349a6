"""The real character table of a small finite group, from the decomposition of its regular rep.

Every real irrep W occurs in the real regular rep R[G] (with multiplicity dim W / dim End_G W),
so decomposing R[G] gives them all; the row of W is χ_W on the conjugacy classes. Over R an irrep
of complex type is the realification of a pair of complex conjugate irreps, so its row is
χ + χ̄ (twice the real part), and the rows are orthogonal with ⟨χ_W, χ_W⟩ = dim End_G W.
Refused above ``MAX_TABLE_ORDER`` elements (the regular rep has dimension |G|).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..core import Action, Matrix
from ..errors import SolverError
from ..spec import resolve_action
from ._enumerate import check_finite, class_characters, enumerate_group, regular_generators
from ._names import letters

MAX_TABLE_ORDER = 720


@dataclass(frozen=True)
class CharacterRow:
    name: str
    dim: int
    type: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class CharacterTable:
    """Classes (size, element order) and one row per real irrep."""

    group: str
    order: int
    class_sizes: tuple[int, ...]
    class_orders: tuple[int, ...]
    rows: tuple[CharacterRow, ...]

    def __str__(self) -> str:
        w = max(6, *(len(r.name) for r in self.rows))
        head = f"{'':<{w}}  " + " ".join(f"{s:>6}" for s in self.class_sizes)
        lines = [
            f"real character table of {self.group} (order {self.order}; "
            f"{len(self.rows)} real irreps, {len(self.class_sizes)} classes)",
            f"{'size':<{w}}  " + head[w + 2 :],
            f"{'order':<{w}}  " + " ".join(f"{o:>6}" for o in self.class_orders),
        ]
        for r in self.rows:
            vals = " ".join(f"{_fmt(v):>6}" for v in r.values)
            lines.append(f"{r.name:<{w}}  {vals}  {r.type}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "group": self.group,
            "order": self.order,
            "classes": [
                {"size": s, "element_order": o} for s, o in zip(self.class_sizes, self.class_orders)
            ],
            "irreps": [
                {"name": r.name, "dim": r.dim, "type": r.type, "character": list(r.values)}
                for r in self.rows
            ],
        }


def _fmt(v: float) -> str:
    r = round(v)
    return str(r) if abs(v - r) < 1e-9 else f"{v:.3f}"


def character_table(action: Action | str) -> CharacterTable:
    """The real character table of a finite group of order at most ``MAX_TABLE_ORDER``.

    Raises SolverError for a Lie group, a monoid, or a group above the order limit.

    >>> print(character_table("S(3)").rows[-1])
    CharacterRow(name='2a', dim=2, type='real', values=(2.0, 0.0, -1.0))
    """
    return _table(resolve_action(action))


@lru_cache(maxsize=16)
def _table(action: Action) -> CharacterTable:
    check_finite(action)
    order = action.order()
    if order is not None and order > MAX_TABLE_ORDER:
        raise SolverError(
            f"{action.name} has order {order}; the character table decomposes the regular rep "
            f"(dimension |G|) and takes order <= {MAX_TABLE_ORDER}: use a smaller group"
        )
    enum = enumerate_group(action)
    if enum.order > MAX_TABLE_ORDER:
        raise SolverError(
            f"{action.name} has order {enum.order}; the character table takes order <= "
            f"{MAX_TABLE_ORDER}: use a smaller group"
        )
    from ._decompose import analyse

    regular = regular_rep(action)
    found = analyse(action, regular)
    rows = []
    for f in found:
        chi = class_characters(enum, list(f.block[: len(action.generators)]))
        rows.append((f.dim, tuple(-round(v, 9) for v in chi), f, chi))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = []
    count: dict[int, int] = {}
    types = {1: "real", 2: "complex", 4: "quaternionic"}
    for dim, _key, f, chi in rows:
        k = count.get(dim, 0)
        count[dim] = k + 1
        out.append(
            CharacterRow(f"{dim}{letters(k)}", dim, types[f.endo_dim], tuple(float(v) for v in chi))
        )
    return CharacterTable(
        action.name,
        enum.order,
        tuple(len(c) for c in enum.classes),
        tuple(enum.element_orders[c[0]] for c in enum.classes),
        tuple(out),
    )


def regular_rep(action: Action):
    """The left-regular rep of a finite group (at most ``MAX_TABLE_ORDER`` elements) as a rep
    with explicit permutation matrices, elements in breadth-first order from the identity."""
    from ._given import GivenRep

    enum = enumerate_group(action)
    if enum.order > MAX_TABLE_ORDER:
        raise SolverError(
            f"the regular rep of {action.name} has dimension {enum.order} > {MAX_TABLE_ORDER}"
        )
    perms = regular_generators(action, enum)
    return GivenRep(action, "R", tuple(Matrix.from_map(p) for p in perms))
