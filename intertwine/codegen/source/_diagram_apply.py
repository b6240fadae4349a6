"""The emitted application of diagram tensors, written once for NumPy, JAX and PyTorch.

``APPLY`` is the core template (see ``_dialect``) of Σ_s φ[:, :, s] D_s x for one class of
diagrams, in the order of its :class:`~intertwine.solver.Schedule`, the same algorithm as
:func:`~intertwine.solver.apply_steps` (which the JAX layers and the solver's check run): each
distinct reduction of x once (an einsum after the input forms, with the Levi-Civita operand for
ε), then per placement one contraction of the stacked reductions with φ, the identity on its
output diagonals, the output forms, and one broadcast sum. Both diagram plans
(``_diagram_pair``, ``_diagram_classes``) call it; :func:`schedule_constants` lays the
schedules of their classes out as the flat typed lists the template reads.
"""

from __future__ import annotations

from ..layout import DiagramClassPlan
from ._template import Constant, listed

APPLY = '''def _map_axes(t, axes: list[int], gather, sign):  # [forms]
    """The form on each axis: t'[.., j, ..] = sign[j] * t[.., gather[j], ..]."""  # [forms]
    for axis in axes:  # [forms]
        t = TAKE(t, gather, 2 + axis)  # [permutes]
        mask = [1] * len(t.shape)  # [forms]
        mask[2 + axis] = $N  # [forms]
        t = t * CAST(sign, t).reshape(mask)  # [forms]
    return t  # [forms]
  # [forms]
  # [forms]
def _apply_plan(phi, xs, l_out: int, reds: list[int], places: list[int]):
    """sum over the diagrams s of phi[:, :, s] D_s x, for xs (b, c, N, ..., N):
    each distinct reduction of x once (REDUCE[reds[0]:reds[1]]), then one
    contraction with phi per placement (SHAPE[places[0]:places[1]])."""
    b, c_out = xs.shape[0], phi.shape[0]
    reduced = []
    for r in range(reds[0], reds[1]):
        t = xs
        t = @_map_axes(t, $IN_MAPS[r], $IN_GATHER, $IN_SIGN)  # [forms]
        operands = [t]
        if $EPS[r]:  # [eps]
            operands.append(CAST($LEVI, xs))  # [eps]
        reduced.append(EINSUMS($REDUCE[r], operands))
    eye = EYE(xs)
    y = ZEROS([b, c_out] + [1] * l_out, xs)
    for g in range(places[0], places[1]):
        stacked = xp.stack([reduced[r] for r in $SOURCES[g]], 2)
        weights = xp.stack([phi[:, :, s] for s in $DIAGRAMS[g]], 2)
        u = EINSUM("bcs...,ocs->bo...", stacked, weights)
        u = u.reshape([b, c_out] + $SHAPE[g])
        for pq in $DUPS[g]:
            mask = [1] * (2 + l_out)
            mask[2 + pq[0]] = $N
            mask[2 + pq[1]] = $N
            u = u * eye.reshape(mask)
        u = @_map_axes(u, $OUT_MAPS[g], $OUT_GATHER, $OUT_SIGN)  # [forms]
        y = y + u
    return EXPAND(y, [b, c_out] + [$N] * l_out).reshape([b, c_out, -1])
'''

COMMENTS = {
    "REDUCE": "per distinct reduction of x: einsum (input forms, Levi-Civita operand)",
    "SHAPE": "per placement: shape, diagonals (output forms), diagrams, their reductions",
}


def features(plans: list[DiagramClassPlan]) -> frozenset[str]:
    """The template features the classes need: "forms" (and "permutes" for Sp(n)), "eps"."""
    forms = plans[0].forms
    found = set()
    if forms is not None and not forms.trivial:
        found.add("forms")
        if forms.permutes:
            found.add("permutes")
    if any(any(plan.eps) for plan in plans):
        found.add("eps")
    return frozenset(found)


def schedule_constants(
    plans: list[DiagramClassPlan], have: frozenset[str]
) -> tuple[list[Constant], list[tuple[int, int]], list[tuple[int, int]]]:
    """The schedules of ``plans`` as flat lists (per reduction: REDUCE, IN_MAPS, EPS; per
    placement: SHAPE, DUPS, OUT_MAPS, DIAGRAMS, SOURCES, where SOURCES index the reductions of
    the same plan), and each plan's [lo, hi) ranges of reductions and of placements."""
    reduce: list[str] = []
    in_maps: list[str] = []
    eps: list[str] = []
    shape: list[str] = []
    dups: list[str] = []
    out_maps: list[str] = []
    diagrams: list[str] = []
    sources: list[str] = []
    reductions: list[tuple[int, int]] = []
    placements: list[tuple[int, int]] = []
    for plan in plans:
        sched = plan.schedule
        reductions.append((len(reduce), len(reduce) + len(sched.reductions)))
        placements.append((len(shape), len(shape) + len(sched.placements)))
        for red in sched.reductions:
            reduce.append(f'"{red.reduce}"')
            in_maps.append(str(list(red.in_maps)))
            eps.append(str(red.eps))
        for place in sched.placements:
            shape.append(str(list(place.shape)))
            dups.append(str([list(pq) for pq in place.dups]))
            out_maps.append(str(list(place.out_maps)))
            diagrams.append(str(list(place.diagrams)))
            sources.append(str(list(place.sources)))
    constants = [listed("REDUCE", "list[str]", reduce)]
    if "forms" in have:
        constants.append(listed("IN_MAPS", "list[list[int]]", in_maps))
    if "eps" in have:
        constants.append(listed("EPS", "list[bool]", eps))
    constants += [
        listed("SHAPE", "list[list[int]]", shape),
        listed("DUPS", "list[list[list[int]]]", dups),
    ]
    if "forms" in have:
        constants.append(listed("OUT_MAPS", "list[list[int]]", out_maps))
    constants += [
        listed("DIAGRAMS", "list[list[int]]", diagrams),
        listed("SOURCES", "list[list[int]]", sources),
    ]
    return constants, reductions, placements
