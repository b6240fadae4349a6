"""Emitted cores of the diagram plan of one block pair V^⊗k → V^⊗l, without invariant forms
or ε operands (partition diagrams of S(n), Brauer diagrams of O(n)): kind "diagram_pair".

W x = Σ_s φ[:, :, s] D_s x with φ = θ · MOBIUS, applied by the shared template of
``_diagram_apply`` (each distinct reduction ``REDUCE[r]`` of x once, then per placement one
contraction with φ, reshaped to ``SHAPE[g]``, times the identity on the ``DUPS[g]`` output axis
pairs, broadcast and added; see :class:`intertwine.codegen.layout.DiagramClassPlan`). W is never
formed. The driver below is written once for NumPy, JAX and PyTorch (see ``_dialect``).
"""

from __future__ import annotations

import numpy as np

from ..layout import DiagramClassPlan
from ._diagram_apply import APPLY, COMMENTS, schedule_constants
from ._recipe import Recipe
from ._template import Constant, templated_recipe

PAIR = '''

def _linear(theta, x):
    """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
    b = x.shape[0]
    phi = MATMUL(theta, $MOBIUS)
    xs = x.reshape([b, $C_IN] + [$N] * $K)
    reds, places = [0, len($REDUCE)], [0, len($SHAPE)]
    y = @_apply_plan(phi, xs, $L, reds, places)
    return y.reshape([b, $C_OUT, $OUT_DIM])
'''


def diagram_pair_recipe(plan: DiagramClassPlan) -> Recipe:
    """The plain plan of one block pair (see :attr:`DiagramClassPlan.plain`)."""
    steps, _, _ = schedule_constants([plan], frozenset())
    constants = [
        Constant("N", "int", str(plan.n)),
        Constant("K", "int", str(plan.k)),
        Constant("L", "int", str(plan.l)),
        *steps,
    ]
    return templated_recipe(
        "diagram_pair",
        APPLY + PAIR,
        {"mobius": plan.mobius.astype(np.float32)},  # small integers: exact
        constants,
        comments=COMMENTS,
    )
