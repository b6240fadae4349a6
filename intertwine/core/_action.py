"""Actions: a group or monoid given by generators acting on one or more standard spaces.

An action has *factors* (one for a plain group, k for a direct product ``G x H``); factor f has a
standard representation V_f of dimension ``degrees[f]``. Each generator is either *discrete*
(a group or monoid element g, acting on V_f by the matrix ρ_f(g)) or *lie* (a Lie-algebra element
A, acting by dρ_f(A)). A generator of one factor acts on the other factors trivially (identity for
discrete, zero for lie).

*Helpers* are further elements known to lie in the group (for a Lie group, the quarter turns of
its monomial subgroup). They add no information (the generators imply them) but make the solver's
first, combinatorial stage reduce a problem to a far smaller one.

Two actions are equal when their generators (kinds and matrices) are equal, whatever their names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..errors import ActionError, RepError
from ._family import Family
from ._matrix import Matrix
from ._rep import Rep, Standard, Trivial


@dataclass(frozen=True)
class Generator:
    """One generator: its name, its kind, and its matrix on each factor's standard space."""

    name: str
    kind: str  # "discrete" | "lie"
    matrices: tuple[Matrix, ...]

    def __post_init__(self) -> None:
        if self.kind not in ("discrete", "lie"):
            raise ActionError(f"generator kind must be 'discrete' or 'lie', not {self.kind!r}")


class Action:
    """A group or monoid given by generators; build reps with :meth:`V`, :meth:`trivial`."""

    def __init__(
        self,
        name: str,
        kind: str,
        degrees: Sequence[int],
        generators: Sequence[Generator],
        *,
        helpers: Sequence[tuple[Matrix, ...]] = (),
        description: str = "",
        permutations: Sequence[Sequence[int]] | None = None,
        order: int | None = None,
        family: Family | None = None,
    ):
        if kind not in ("group", "monoid"):
            raise ActionError(f"an action is a 'group' or a 'monoid', not {kind!r}")
        self.name = name
        self.kind = kind
        self.degrees = tuple(int(d) for d in degrees)
        self.generators = tuple(generators)
        self.helpers = tuple(tuple(h) for h in helpers) if kind == "group" else ()
        self.description = description
        self.permutations = None if permutations is None else tuple(tuple(p) for p in permutations)
        self._order = order
        # the named family the generators come from (``_family``), e.g. Symmetric(5): the
        # solver's closed forms apply only to these (equality still compares generators alone)
        self.family: Family | None = family
        for g in self.generators:
            if len(g.matrices) != len(self.degrees):
                raise ActionError(
                    f"generator {g.name} gives {len(g.matrices)} matrices for "
                    f"{len(self.degrees)} factors"
                )
            for m, d in zip(g.matrices, self.degrees):
                if m.shape != (d, d):
                    raise ActionError(
                        f"generator {g.name} has a {m.shape[0]}x{m.shape[1]} "
                        f"matrix on a space of dimension {d}; use {d}x{d}"
                    )
            if g.kind == "lie" and kind == "monoid":
                raise ActionError(
                    f"monoid {name} cannot have a Lie-algebra generator "
                    f"({g.name}); declare kind 'group'"
                )

    # ----------------------------------------------------------------- facts
    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def factor_names(self) -> tuple[str, ...]:
        return (
            ("V",)
            if len(self.degrees) == 1
            else tuple(f"V{i + 1}" for i in range(len(self.degrees)))
        )

    @property
    def is_exact(self) -> bool:
        return all(m.is_exact for g in self.generators for m in g.matrices)

    @cached_property
    def inverses(self) -> tuple[tuple[Matrix, ...], ...]:
        """ρ_f(g)⁻¹ for each discrete generator (groups only), in generator order."""
        if not self.is_group:
            raise RepError(f"{self.name} is a monoid: its elements need not be invertible")
        return tuple(
            tuple(m.inverse() for m in g.matrices) if g.kind == "discrete" else ()
            for g in self.generators
        )

    @cached_property
    def helper_inverses(self) -> tuple[tuple[Matrix, ...], ...]:
        return tuple(tuple(m.inverse() for m in h) for h in self.helpers)

    def order(self) -> int | None:
        """The number of elements, where known (finite permutation groups and their products)."""
        if self._order is not None:
            return self._order
        if self.permutations is not None and self.is_group:
            from sympy.combinatorics import Permutation, PermutationGroup

            n = self.degrees[0]
            perms = [Permutation(list(p), size=n) for p in self.permutations] or [
                Permutation(n - 1)
            ]
            return int(PermutationGroup(perms).order())
        return None

    # ----------------------------------------------------------------- reps
    def V(self, factor: int = 0):
        """The standard representation of factor ``factor`` (V, or V1, V2 for products)."""
        if not 0 <= factor < len(self.degrees):
            raise RepError(
                f"{self.name} has {len(self.degrees)} factor(s); "
                f"use one of {', '.join(self.factor_names)}"
            )
        return Rep(self, Standard(factor))

    def trivial(self):
        """The trivial representation ``1``."""
        return Rep(self, Trivial())

    # ----------------------------------------------------------------- identity
    def _key(self) -> tuple:
        return (
            self.kind,
            self.degrees,
            tuple((g.kind, g.matrices) for g in self.generators),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Action) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Action({self.name!r}, {self.kind}, degrees={self.degrees}, "
            f"generators={len(self.generators)})"
        )

    def __str__(self) -> str:
        return self.name

    def _repr_html_(self) -> str:
        import html

        kinds = [g.kind for g in self.generators]
        gens = f"{kinds.count('discrete')} discrete"
        if "lie" in kinds:
            gens += f", {kinds.count('lie')} Lie-algebra"
        return (
            f"<b>{html.escape(self.name)}</b>: a {self.kind} acting on "
            f"{' x '.join(f'R^{d}' for d in self.degrees)} ({html.escape(self.description)}); "
            f"{gens} generators; standard rep(s) {', '.join(self.factor_names)}"
        )


def direct_product(actions: Sequence[Action]) -> Action:
    """G x H x ...: generators of each factor act on their own space, trivially elsewhere."""
    if len(actions) < 2:
        raise ActionError("a direct product needs at least two factors")
    degrees: list[int] = []
    spans: list[tuple[int, int]] = []
    for a in actions:
        spans.append((len(degrees), len(degrees) + len(a.degrees)))
        degrees.extend(a.degrees)
    gens: list[Generator] = []
    helpers: list[tuple[Matrix, ...]] = []
    for i, (a, (lo, hi)) in enumerate(zip(actions, spans)):
        for g in a.generators:
            fill = [
                Matrix.identity(d) if g.kind == "discrete" else Matrix.zeros(d) for d in degrees
            ]
            fill[lo:hi] = g.matrices
            gens.append(Generator(f"{g.name}_{i + 1}", g.kind, tuple(fill)))
        for h in a.helpers:
            fill = [Matrix.identity(d) for d in degrees]
            fill[lo:hi] = h
            helpers.append(tuple(fill))
    kind = "group" if all(a.is_group for a in actions) else "monoid"
    orders = [a.order() if a.is_group else None for a in actions]
    order = None
    if all(o is not None for o in orders):
        order = 1
        for o in orders:
            order *= o  # type: ignore[operator]
    name = " x ".join(a.name for a in actions)
    return Action(
        name,
        kind,
        degrees,
        gens,
        helpers=helpers if kind == "group" else (),
        description=f"direct product of {name}",
        order=order,
    )
