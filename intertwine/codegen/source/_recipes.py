"""The recipe each plan is emitted with, chosen by the plan's type.

A plan that forms W is emitted by its compact form: a dense basis as the layout's tying when the
basis is one (else its scatter), whose data is far smaller than the dense basis. A diagram plan
is emitted by the plain core of one block pair when it is one ("diagram_pair"), else by the
general core over classes of block pairs ("diagram_classes").
"""

from __future__ import annotations

from ..layout import (
    ConvolutionPlan,
    DensePlan,
    DiagramPlan,
    GatherPlan,
    IrrepPlan,
    LayerLayout,
    ScatterPlan,
    assert_never,
)
from ._convolution import convolution_recipe
from ._diagram_classes import diagram_classes_recipe
from ._diagram_pair import diagram_pair_recipe
from ._irrep import irrep_recipe
from ._recipe import Recipe
from ._tying import sparse_recipe, tying_recipe


def recipe_for(lay: LayerLayout) -> Recipe:
    """The :class:`Recipe` of the layout's plan (see the module docstring)."""
    plan = lay.plan
    match plan:
        case GatherPlan():
            return tying_recipe(plan)
        case ScatterPlan():
            return sparse_recipe(plan)
        case DensePlan():
            return tying_recipe(lay.tying) if lay.tying is not None else sparse_recipe(plan.sparse)
        case ConvolutionPlan():
            return convolution_recipe(plan)
        case DiagramPlan():
            pair = plan.plain
            return diagram_pair_recipe(pair) if pair is not None else diagram_classes_recipe(plan)
        case IrrepPlan():
            return irrep_recipe(plan)
        case _:
            assert_never(plan)


def source_mode(lay: LayerLayout) -> str:
    """The kind of core an emitted layer uses (see :class:`Recipe`)."""
    return recipe_for(lay).kind
