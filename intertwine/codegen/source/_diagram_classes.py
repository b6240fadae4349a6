"""Emitted cores of the general diagram plan: sums of tensor powers, invariant forms (O(p,q),
Sp(n)) and ε operands (SO(n)), one application per class of block pairs: kind
"diagram_classes".

``PLANS`` holds one dict per class (its degrees, blocks, and its ranges in the flat lists: the
terms ``TERMS``, the Möbius matrix ``MOBIUS``, the reductions and placements of its schedule);
the forms are the gathers and signs ``IN_GATHER``/``IN_SIGN`` and ``OUT_GATHER``/``OUT_SIGN``,
the Levi-Civita symbol ``LEVI`` (see :class:`intertwine.codegen.layout.DiagramPlan`). The
driver below and the application of ``_diagram_apply`` are written once for NumPy, JAX and
PyTorch (see ``_dialect``); every list is typed, so TorchScript indexes it as it is.
"""

from __future__ import annotations

import numpy as np

from ...solver import levi_civita
from ..layout import DiagramPlan
from ._diagram_apply import APPLY, COMMENTS, features, schedule_constants
from ._recipe import Recipe
from ._template import Constant, listed, templated_recipe

CLASSES = '''

def _linear(theta, x):
    """W x: one application per class of block pairs, its blocks as channels."""
    b = x.shape[0]
    padded = CAT([theta, ZEROS([$C_OUT, $C_IN, 1], theta)], -1)
    outs = [ZEROS([b, $C_OUT, size], x) for size in $OUT_SIZES]
    for plan in $PLANS:
        ins, out_blocks = plan["in_blocks"], plan["out_blocks"]
        blocks = [x[:, :, $IN_STARTS[a] : $IN_STARTS[a + 1]] for a in ins]
        shape = [b, $C_IN * len(ins)] + [$N] * plan["degrees"][0]
        xs = xp.stack(blocks, 2).reshape(shape)
        lo, hi = plan["terms"][0], plan["terms"][1]
        index = $TERMS[lo:hi].reshape([len(out_blocks), len(ins), -1])
        phi = PERMUTE(padded[:, :, index], [0, 2, 1, 3, 4])
        phi = phi.reshape([$C_OUT * len(out_blocks), $C_IN * len(ins), -1])
        lo, hi, size = plan["mobius"][0], plan["mobius"][1], phi.shape[2]
        mobius = $MOBIUS[lo:hi].reshape([size, size])
        phi = MATMUL(phi, mobius)
        l_out = plan["degrees"][1]
        y = @_apply_plan(phi, xs, l_out, plan["reductions"], plan["placements"])
        y = y.reshape([b, $C_OUT, len(out_blocks), -1])
        for i, block in enumerate(out_blocks):
            outs[block] = outs[block] + y[:, :, i]
    return CAT(outs, -1)
'''


def _arrays(layout: DiagramPlan, have: frozenset[str]) -> dict[str, np.ndarray]:
    """The terms and Möbius matrices of the classes, flat; the forms; the Levi-Civita symbol."""
    arrays = {
        "terms": np.concatenate([p.terms.reshape(-1) for p in layout.classes]).astype(np.int64),
        "mobius": np.concatenate([p.mobius.reshape(-1) for p in layout.classes]),
    }
    arrays["mobius"] = arrays["mobius"].astype(np.float32)  # small integers: exact
    forms = layout.classes[0].forms
    if "forms" in have and forms is not None:
        inverse = np.argsort(forms.in_perm)
        arrays["in_gather"] = inverse.astype(np.int64)
        arrays["in_sign"] = forms.in_sign[inverse].astype(np.float32)
        arrays["out_gather"] = forms.out_perm.astype(np.int64)
        arrays["out_sign"] = forms.out_sign.astype(np.float32)
    if "eps" in have:
        arrays["levi"] = levi_civita(layout.n).astype(np.float32)
    return arrays


def _plans(layout: DiagramPlan, reductions, placements) -> Constant:
    """One dict per class of block pairs: degrees, blocks, [lo, hi) ranges into the lists."""
    items = []
    terms = mobius = 0
    for plan, red, place in zip(layout.classes, reductions, placements, strict=True):
        fields = {
            "degrees": [plan.k, plan.l],
            "in_blocks": list(plan.in_blocks),
            "out_blocks": list(plan.out_blocks),
            "terms": [terms, terms + plan.terms.size],
            "mobius": [mobius, mobius + plan.mobius.size],
            "reductions": list(red),
            "placements": list(place),
        }
        terms, mobius = terms + plan.terms.size, mobius + plan.mobius.size
        items.append("{\n" + "".join(f'        "{k}": {v},\n' for k, v in fields.items()) + "    }")
    return listed("PLANS", "list[dict[str, list[int]]]", items)


def diagram_classes_recipe(plan: DiagramPlan) -> Recipe:
    """The general plan: every class of block pairs one call of the shared application."""
    have = features(list(plan.classes))
    steps, reductions, placements = schedule_constants(list(plan.classes), have)
    n = plan.n
    starts = np.cumsum([0] + [n**k for k in plan.in_degrees]).tolist()
    constants = [
        Constant("N", "int", str(n)),
        listed("IN_STARTS", "list[int]", [str(s) for s in starts]),
        listed("OUT_SIZES", "list[int]", [str(n**d) for d in plan.out_degrees]),
        _plans(plan, reductions, placements),
        *steps,
    ]
    comments = {"PLANS": "per class of block pairs: its degrees, blocks and ranges below"}
    return templated_recipe(
        "diagram_classes",
        APPLY + CLASSES,
        _arrays(plan, have),
        constants,
        have,
        comments={**comments, **COMMENTS},
    )
