"""The JAX reading of every plan: W formed from θ, and W x applied, by the plan's type.

``weight`` forms W (c_out, c_in, out, in) by the plan's formula (a gather, a scatter-add, a
dense contraction, or, for plans that never form W, the layout's tying or the plan applied to
the unit vectors); ``apply_plan`` computes y (b, c_out, out) = W x for x (b, c_in, in) the
plan's own way. Both dispatch with ``match`` over :data:`~intertwine.codegen.layout.Plan`, so
mypy names this module when a plan is added. The formulas are those of the layout's NumPy
reference (``LayerLayout.weight_numpy``).
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
    lift,
)
from ._convolution import apply_convolution
from ._diagram import apply_diagrams
from ._irrep import apply_irrep


def gather(theta, index, sign):
    """sign · θ̃[..., index] with θ̃ = θ padded by one zero (index = dim picks the zero)."""
    import jax.numpy as jnp

    padded = jnp.concatenate([theta, jnp.zeros(theta.shape[:-1] + (1,), theta.dtype)], -1)
    return padded[..., index] * lift(jnp.asarray(sign, theta.dtype), padded.ndim)


def _formed(layout: LayerLayout, plan: GatherPlan | ScatterPlan | DensePlan, theta):
    """W.flat (c_out, c_in, out·in) by a plan that forms W."""
    import jax.numpy as jnp

    n = layout.out_dim * layout.in_dim
    match plan:
        case GatherPlan():
            return gather(theta, plan.index, plan.sign)
        case ScatterPlan():
            contrib = theta[..., plan.rows] * lift(jnp.asarray(plan.vals, theta.dtype), theta.ndim)
            flat = jnp.zeros(theta.shape[:-1] + (n,), theta.dtype)
            return flat.at[..., plan.cols].add(contrib)
        case DensePlan():
            basis = jnp.asarray(plan.basis.reshape(layout.dim, n), theta.dtype)
            # one BLAS matmul θ (c_out·c_in, dim) @ B (dim, out·in), in full float32 precision
            # (no TF32 on GPUs), so that W carries θ exactly
            return jnp.einsum("ock,kn->ocn", theta, basis, precision="highest")
        case _:
            assert_never(plan)


def weight(layout: LayerLayout, theta):
    """W of shape (c_out, c_in, out, in), formed from θ the cheapest way for the layout (with
    the layout's normalisation: W = Σ_k θ_k s_k B_k)."""
    import jax.numpy as jnp

    scaled = layout.scaled(theta, jnp)
    plan = layout.plan
    match plan:
        case GatherPlan() | ScatterPlan() | DensePlan():
            flat = _formed(layout, plan, scaled)
        case ConvolutionPlan() | DiagramPlan() | IrrepPlan() if layout.tying is not None:
            flat = gather(scaled, layout.tying.index, layout.tying.sign)
        case ConvolutionPlan() | DiagramPlan() | IrrepPlan():  # W from its columns
            layout.check_materialisable()
            c_in, n_in = layout.c_in, layout.in_dim
            eye = jnp.eye(c_in * n_in, dtype=theta.dtype).reshape(c_in * n_in, c_in, n_in)
            y = apply_plan(layout, theta, eye).reshape(c_in, n_in, -1, layout.out_dim)
            return jnp.transpose(y, (2, 0, 3, 1))
        case _:
            assert_never(plan)
    return flat.reshape(theta.shape[:-1] + (layout.out_dim, layout.in_dim))


def weight_matrix(layout: LayerLayout, theta):
    """W2 of shape (c_out·out, c_in·in), the matrix of the batch product y = x W2ᵀ."""
    import jax.numpy as jnp

    c_out, c_in = layout.c_out, layout.c_in
    w = weight(layout, theta)
    return jnp.transpose(w, (0, 2, 1, 3)).reshape(c_out * layout.out_dim, c_in * layout.in_dim)


def apply_plan(layout: LayerLayout, theta, x):
    """y (b, c_out, out) = W x for x (b, c_in, in) and θ (c_out, c_in, dim) before scaling."""
    import jax.numpy as jnp

    plan = layout.plan
    match plan:
        case DiagramPlan():
            return apply_diagrams(plan, layout.scaled(theta, jnp), x)
        case IrrepPlan():
            return apply_irrep(plan, layout.scaled(theta, jnp), x)
        case ConvolutionPlan():
            kernel = gather(layout.scaled(theta, jnp), plan.index, plan.sign)
            return apply_convolution(plan, kernel, x)
        case GatherPlan() | ScatterPlan() | DensePlan():  # weight() applies the normalisation
            y = x.reshape(x.shape[0], -1) @ weight_matrix(layout, theta).T
            return y.reshape(x.shape[0], layout.c_out, layout.out_dim)
        case _:
            assert_never(plan)


def bias_vector(layout: LayerLayout, beta):
    """b of shape (c_out, out) from β of shape (c_out, bias_dim)."""
    import jax.numpy as jnp

    return jnp.matmul(beta, jnp.asarray(layout.bias_basis, beta.dtype), precision="highest")
