"""``R``: the (left) regular representation of a finite group or monoid given by generators.

The elements are enumerated by closure: start from the identity and multiply on the left by the
discrete generators until nothing new appears (breadth first, generators in order), comparing
exact matrices (on every factor's standard space together, which is faithful by definition of the
action). R has the basis e_h, one vector per element h in that order, and ρ_R(g) e_h = e_{gh}: a
permutation matrix for a group, a transformation matrix for a monoid (Serre, *Linear
Representations of Finite Groups*, §1.2; for monoids, Steinberg, *Representation Theory of Finite
Monoids*, §5). dim R = |G|, and End_G(R) ≅ the opposite of the group algebra has dimension |G|.

Refused: a Lie group (infinite, R would be infinite-dimensional), float generators (closure needs
exact equality), and more than ``MAX_REGULAR_ORDER`` elements (the error names the count reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InternalError, RepError
from ._matrix import Matrix
from ._rep import Derived, Rep

if TYPE_CHECKING:
    from ._action import Action

MAX_REGULAR_ORDER = 2048


@dataclass(frozen=True)
class Elements:
    """The enumerated elements (in closure order) and their index by exact key."""

    forms: tuple[tuple, ...]
    index: dict

    def find(self, form: tuple) -> int:
        return self.index.get(_key(form), -1)


@dataclass(frozen=True, eq=False)
class Regular(Derived):
    """``R``: ρ(g) e_h = e_{gh} on the enumerated elements h."""

    action: Action

    def dim(self) -> int:
        return len(elements(self.action).forms)

    def children(self) -> tuple[Rep, ...]:
        return ()

    def text(self) -> str:
        return "R"

    def evaluate(self, kind, base, inv) -> Matrix:
        els = elements(self.action)
        field = _field(self.action)
        g = tuple(field.form(m) for m in base)
        images = []
        for h in els.forms:
            j = els.find(_compose(g, h))
            if j < 0:
                raise InternalError(
                    f"R of {self.action.name}: a product left the enumerated elements (a bug)"
                )
            images.append(j)
        return Matrix.from_map(images)


def regular(action: Action) -> Rep:
    """The regular rep R of a finite group or monoid (dimension: its order).

    Raises :class:`RepError` for a Lie group, float generators, or an order above
    ``MAX_REGULAR_ORDER`` (naming the count found).

    >>> from intertwine.spec import parse_action
    >>> regular(parse_action("S(3)")).dim
    6
    """
    elements(action)  # errors first
    return Rep(action, Regular(action))


@lru_cache(maxsize=16)
def elements(action: Action) -> Elements:
    """Closure of {identity} under left multiplication by the discrete generators."""
    if any(g.kind == "lie" for g in action.generators):
        raise RepError(
            f"R needs a finite group or monoid; {action.name} is a Lie group (it has Lie-algebra "
            f"generators), whose regular representation is infinite-dimensional; use a finite "
            f"subgroup given by generators (a custom @file.json)"
        )
    if not action.is_exact:
        raise RepError(
            f"R of {action.name} needs exact generator matrices to enumerate the elements; "
            f"give integer, rational or algebraic entries"
        )
    field = _field(action)
    gens = [tuple(field.form(m) for m in g.matrices) for g in action.generators]
    identity = tuple(field.form(Matrix.identity(d)) for d in action.degrees)
    forms: list[tuple] = [identity]
    index: dict = {_key(identity): 0}
    frontier = 0
    while frontier < len(forms):
        h = forms[frontier]
        frontier += 1
        for g in gens:
            gh = _compose(g, h)
            key = _key(gh)
            if key in index:
                continue
            index[key] = len(forms)
            forms.append(gh)
            if len(forms) > MAX_REGULAR_ORDER:
                raise RepError(
                    f"R of {action.name}: more than {MAX_REGULAR_ORDER} elements (found "
                    f"{len(forms)} so far); the regular rep is limited to order "
                    f"{MAX_REGULAR_ORDER}; use a smaller group or monoid"
                )
    return Elements(tuple(forms), index)


# ----------------------------------------------------------------- element forms
# A "map" form (target, value) stores a matrix with at most one nonzero per column (permutations,
# transformations, partial and signed maps): M[target[j], j] = value[j], target -1 for a zero
# column; composition is two array lookups. Any other exact matrix becomes a sympy DomainMatrix
# over QQ or over the number field QQ(entries) (one primitive element): exact, and canonical, so
# equal elements have equal keys (algebraic expressions such as cos(2π/7) have many forms).


@dataclass(frozen=True)
class _Field:
    """How elements are stored: as maps (``domain`` None) or over a sympy domain."""

    domain: object

    def form(self, m: Matrix):
        import sympy

        if self.domain is None:
            if m.domain != "ZZ" or np.unique(m.cols).size != m.cols.size:
                raise InternalError("R: an element that is not a map among map generators")
            target = np.full(m.shape[1], -1, dtype=np.int64)
            value = np.zeros(m.shape[1], dtype=np.int64)
            target[m.cols] = m.rows
            value[m.cols] = m.vals
            return (target, value)
        from sympy.polys.matrices import DomainMatrix

        rows = m.to_sympy().tolist()
        k: Any = self.domain
        return DomainMatrix([[k.from_sympy(sympy.sympify(x)) for x in r] for r in rows], m.shape, k)


@lru_cache(maxsize=16)
def _field(action: Action) -> _Field:
    import sympy

    mats = [m for g in action.generators for m in g.matrices]
    if all(m.domain == "ZZ" and np.unique(m.cols).size == m.cols.size for m in mats):
        return _Field(None)
    from sympy import QQ

    algebraic = sorted({v for m in mats if m.domain == "EX" for v in m.vals}, key=sympy.srepr)
    return _Field(QQ.algebraic_field(*algebraic) if algebraic else QQ)


def _compose(g: tuple, h: tuple) -> tuple:
    out = []
    for a, b in zip(g, h):
        if not isinstance(a, tuple):
            out.append(a * b)
            continue
        (ta, va), (tb, vb) = a, b
        hit = tb >= 0
        t = np.where(hit, ta[np.where(hit, tb, 0)], -1)
        v = np.where(hit, va[np.where(hit, tb, 0)] * vb, 0)
        t = np.where(v != 0, t, -1)
        out.append((t, v))
    return tuple(out)


def _key(form: tuple) -> tuple:
    parts: list = []
    for f in form:
        if isinstance(f, tuple):
            parts.append((f[0].tobytes(), f[1].tobytes()))
        else:
            parts.append(
                tuple(
                    tuple(e.to_list()) if hasattr(e, "to_list") else e
                    for r in f.to_list()
                    for e in r
                )
            )
    return tuple(parts)
