"""The order in which the steps of many diagrams are applied: a :class:`Schedule`.

Applying Σ_σ φ_σ D_σ x step by step (:class:`~._apply.DiagramStep`) repeats work: diagrams that
reduce x alike (same einsum, same input forms) need that reduction once, and diagrams that place
their reduced block alike (same output shape, diagonals and output forms) can be contracted with
φ in one einsum and placed once. The schedule names both groupings, so that every application
(:func:`~._apply.apply_steps` in NumPy and JAX, and the emitted NumPy, JAX and PyTorch cores of
``intertwine.codegen.source``) runs the same few operations:

1. for each :class:`Reduction` r: t_r = einsum(reduce_r, Fᵀ x on its ``in_maps`` [, ε]);
2. for each :class:`Placement` g: u = einsum("bcs...,ocs->bo...", stack_s t_{r(s)},
   stack_s φ[:, :, s]) over its diagrams s, reshaped to its ``shape``, times the identity on
   each of its ``dups``, K on its ``out_maps``; the sum of the u, broadcast to n^l, is W x.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._apply import DiagramStep


@dataclass(frozen=True)
class Reduction:
    """One distinct reduction of x: its einsum (with the Levi-Civita symbol as a second operand
    when ``eps``) after Fᵀ on the ``in_maps`` axes."""

    reduce: str
    in_maps: tuple[int, ...]
    eps: bool


@dataclass(frozen=True)
class Placement:
    """Diagrams whose reduced blocks are placed alike: the output ``shape`` (n on the first
    output position of each kept block, 1 elsewhere), the identity masks ``dups`` and the axes
    ``out_maps`` transformed by K. ``diagrams[i]`` (the index into φ's last axis) reads the
    reduction ``sources[i]``."""

    shape: tuple[int, ...]
    dups: tuple[tuple[int, int], ...]
    out_maps: tuple[int, ...]
    diagrams: tuple[int, ...]
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Schedule:
    """The reductions and placements of the steps of one class of diagrams (see the module
    docstring)."""

    reductions: tuple[Reduction, ...]
    placements: tuple[Placement, ...]


def schedule(steps: Sequence[DiagramStep], forms: bool) -> Schedule:
    """The :class:`Schedule` of ``steps``; ``forms`` says whether the invariant forms act (else
    the ``in_maps`` and ``out_maps`` of the steps are dropped: δ everywhere).

    >>> from intertwine.solver.diagrams import reduce_plan
    >>> steps = [reduce_plan(s, 1, 1, 3) for s in [(0, 0), (0, 1)]]  # identity, all-ones
    >>> plan = schedule(steps, forms=False)
    >>> [r.reduce for r in plan.reductions], [g.diagrams for g in plan.placements]
    (['bci->bci', 'bcj->bc'], [(0,), (1,)])
    """
    reductions: dict[Reduction, int] = {}
    places: dict[tuple, list[tuple[int, int]]] = {}
    for s, step in enumerate(steps):
        red = Reduction(step.reduce, step.in_maps if forms else (), step.eps)
        r = reductions.setdefault(red, len(reductions))
        key = (step.shape, step.dups, step.out_maps if forms else ())
        places.setdefault(key, []).append((s, r))
    placements = tuple(
        Placement(shape, dups, out_maps, tuple(s for s, _ in got), tuple(r for _, r in got))
        for (shape, dups, out_maps), got in places.items()
    )
    return Schedule(tuple(reductions), placements)
