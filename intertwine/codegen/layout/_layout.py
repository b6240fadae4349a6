"""One description of an equivariant linear layer, shared by the JAX core and every emitter.

With c_in copies of IN and c_out copies of OUT, the weight is

    W[o, c, :, :] = Σ_k θ[o, c, k] · B_k          (θ of shape (c_out, c_in, dim)),

and the bias is b[o, :] = Σ_m β[o, m] · u_m with u_m a basis of Hom(1, OUT) (invariant vectors).
How W x is computed is the layout's ``plan``, one of the small typed plans of ``_plans``
(diagrams, FFT convolution, gather, scatter, dense, irrep blocks), chosen by ``_choose``.

The tying index and signs (``tying``, a :class:`GatherPlan`) are kept whenever the basis is a
(signed) tying, whatever the plan, so that exported layers can embed the compact pattern and W
can be formed by one gather. The layout is plain NumPy data: it imports no framework, and the
JAX layers and every emitted target read it the same way. It is a value (``_value``): two
layouts with equal contents are equal and hash alike, so equal layers share compiled code.

Normalisation (``_normalize``): by default each basis element is divided by its number of
summed terms (mean aggregation, W = Σ_k θ_k s_k B_k), a fixed scale ``scale`` (dim,) that every
plan and target applies to θ first; ``Normalization.SUM`` keeps the basis as solved.

Initialisation: θ ~ N(0, σ²). With sums, σ² = out·in / (fan_in · ‖B‖²_F), fan_in = c_in · in,
so that E‖W_oc‖²_F = out·in / fan_in: the mean entry variance 1/fan_in of a dense layer of that
shape. With means, each s_k B_k x is an average of O(1) size whatever the mean of x, and
σ² = out / (c_in · Σ_k r_k) (r_k the output coordinates B_k reaches) gives each output the
variance of a dense layer over the c_in · Σ_k r_k / out averages that reach it; where no element
sums more than one term both formulas agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import IntertwineError
from ...solver import MAX_MATERIALISED
from ._broadcast import lift
from ._convolution import ConvolutionPlan
from ._diagram import DiagramPlan
from ._formed import DensePlan, GatherPlan, ScatterPlan
from ._irrep import IrrepPlan
from ._normalize import Normalization
from ._plans import Plan, assert_never
from ._value import Value


@dataclass(frozen=True, eq=False)
class LayerLayout(Value):
    """How to build W and the bias from θ and β: the shapes, the plan, the init scale.

    ``plan`` says how W x is computed (see ``_plans``); ``tying`` is the (signed) tying pattern
    whenever the basis is one (None otherwise, or for a diagram basis too large to list);
    ``bias_basis`` (bias_dim, out) float64, or None without a bias; ``scale`` (dim,) the mean
    normalisation s_k = 1 / t_k (None with sums, or where every t_k is 1).
    """

    group: str
    rep_in: str
    rep_out: str
    in_dim: int
    out_dim: int
    dim: int
    c_in: int
    c_out: int
    plan: Plan
    tying: GatherPlan | None
    bias_basis: np.ndarray | None
    theta_std: float
    exact: bool
    normalization: Normalization = Normalization.SUM
    scale: np.ndarray | None = None

    @property
    def mode(self) -> str:
        """The plan's public name: diagram, convolution, dense, tying, sparse or irrep."""
        return self.plan.mode

    def scaled(self, theta, xp=np):
        """θ ⊙ s, the coefficients of the solved basis (θ itself without a scale)."""
        if self.scale is None:
            return theta
        return theta * lift(xp.asarray(self.scale, dtype=theta.dtype), theta.ndim)

    @property
    def bias_dim(self) -> int:
        return 0 if self.bias_basis is None else int(self.bias_basis.shape[0])

    @property
    def num_parameters(self) -> int:
        return self.c_out * (self.c_in * self.dim + self.bias_dim)

    def weight_numpy(self, theta: np.ndarray) -> np.ndarray:
        """W of shape (c_out, c_in, out, in) from θ of shape (c_out, c_in, dim), in NumPy."""
        theta = self.scaled(theta)
        shape = (self.out_dim, self.in_dim)
        plan = self.plan
        match plan:
            case GatherPlan() | ScatterPlan() | DensePlan():
                return plan.weight_numpy(theta, *shape)
            case ConvolutionPlan() | DiagramPlan() | IrrepPlan() if self.tying is not None:
                return self.tying.weight_numpy(theta, *shape)
            case DiagramPlan():
                return self.from_columns(lambda x: plan.apply(theta, x), theta.dtype)
            case IrrepPlan():
                return self.from_columns(lambda x: plan.apply_numpy(theta, x), theta.dtype)
            case ConvolutionPlan():  # pragma: no cover - a convolution always keeps its tying
                raise AssertionError("a convolution plan without its tying")
            case _:
                assert_never(plan)

    def check_materialisable(self) -> None:
        size = self.out_dim * self.in_dim * self.c_out * self.c_in
        if size > MAX_MATERIALISED:
            raise IntertwineError(
                f"W would have {size:.3g} entries; this layer applies its diagrams without "
                f"forming W, so use apply instead"
            )

    def from_columns(self, apply: Callable[[Any], Any], dtype) -> Any:
        """W (c_out, c_in, out, in) of a layer given only as x ↦ W x: apply it to the unit
        vectors (refused when W has more than MAX_MATERIALISED entries)."""
        self.check_materialisable()
        c_in, n_in = self.c_in, self.in_dim
        eye = np.eye(c_in * n_in, dtype=dtype).reshape(c_in * n_in, c_in, n_in)
        y = np.asarray(apply(eye)).reshape(c_in, n_in, self.c_out, self.out_dim)
        return np.transpose(y, (2, 0, 3, 1))

    def describe(self) -> str:
        mean = ", mean aggregation" if self.scale is not None else ""
        return (
            f"{self.group}-equivariant linear map {self.rep_in} -> {self.rep_out} "
            f"({self.c_in} -> {self.c_out} channels, "
            f"{_count(self.dim, 'tied weight')} per channel pair, "
            f"{_count(self.bias_dim, 'bias weight')} per output channel{mean})"
        )

    def __repr__(self) -> str:
        return (
            f"LayerLayout({self.group}: {self.rep_in} -> {self.rep_out}, channels "
            f"{self.c_in} -> {self.c_out}, dim={self.dim}, bias_dim={self.bias_dim}, "
            f"mode={self.mode})"
        )


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"
