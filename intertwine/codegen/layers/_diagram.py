"""Diagram plans applied in JAX: W x = Σ_σ φ_σ D_σ x, never forming W (see
:class:`intertwine.codegen.layout.DiagramPlan` for the plan and the maths)."""

from __future__ import annotations

from ..layout import DiagramPlan


def apply_diagrams(plan: DiagramPlan, theta, x):
    """y[b, o] = W x[b] for x of shape (b, c_in, in) and θ of shape (c_out, c_in, dim)."""
    import jax.numpy as jnp

    return plan.apply(theta, x, xp=jnp)
