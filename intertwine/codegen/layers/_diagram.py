"""Diagram plans applied in JAX: W x = Σ_σ φ_σ D_σ x, never forming W (see
:class:`intertwine.codegen.layout.DiagramLayout` for the plan and the maths)."""

from __future__ import annotations

from ..layout import DiagramLayout


def apply_diagrams(plan: DiagramLayout, theta, x):
    """y[b, o] = W x[b] for x of shape (b, c_in, in) and θ of shape (c_out, c_in, dim)."""
    import jax.numpy as jnp

    return plan.apply(theta, x, xp=jnp)
