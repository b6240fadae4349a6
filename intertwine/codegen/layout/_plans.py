"""The application plan of a layer: one of a closed union of small typed plans.

- :class:`DiagramPlan` ("diagram"): partition or Brauer diagram einsums, W never formed;
- :class:`ConvolutionPlan` ("convolution"): an FFT convolution, for a tying that depends only
  on i − j;
- :class:`GatherPlan` ("tying"): W.flat = sign · θ̃[index], then one matmul;
- :class:`ScatterPlan` ("sparse"): W.flat[cols] += θ[rows] · vals, then one matmul;
- :class:`DensePlan` ("dense"): W = θ · B with the dense basis, then one matmul;
- :class:`IrrepPlan` ("irrep"): one matmul per irrep type (Schur's lemma), W never formed.

Every reader (the NumPy reference in ``LayerLayout``, the JAX core, every emitted target)
dispatches with ``match plan:`` over this union and ends in ``assert_never``, so that mypy names
every reader that a new plan must teach. The mode (a plan's ``mode`` class attribute) is the
plan's public name: what ``mode=`` and ``--mode`` force, and what a layout reports.

To add a plan: its class here (a frozen :class:`~._value.Value` with a ``mode``) and in
``Plan``; its choice in ``_choose``; one case in ``LayerLayout.weight_numpy``, in the JAX core
(``codegen/layers/_apply.py``) and in the source recipes (``codegen/source/_recipes.py``, with
a recipe module of its own).
"""

from __future__ import annotations

from typing import NoReturn, TypeAlias

from ._convolution import ConvolutionPlan
from ._diagram import DiagramPlan
from ._formed import DensePlan, GatherPlan, ScatterPlan
from ._irrep import IrrepPlan

Plan: TypeAlias = DiagramPlan | ConvolutionPlan | GatherPlan | ScatterPlan | DensePlan | IrrepPlan

PLAN_TYPES: tuple[type, ...] = (
    DiagramPlan,
    ConvolutionPlan,
    DensePlan,
    GatherPlan,
    ScatterPlan,
    IrrepPlan,
)
# the modes a caller may force, in the order the CLI lists them
MODES: tuple[str, ...] = tuple(t.mode for t in PLAN_TYPES)  # type: ignore[attr-defined]


def assert_never(plan: NoReturn) -> NoReturn:
    """The last case of every ``match`` over :data:`Plan`: mypy reports a plan type that no
    case handles (``typing.assert_never``, which Python 3.10 lacks)."""
    raise AssertionError(f"no case for the plan {plan!r}")
