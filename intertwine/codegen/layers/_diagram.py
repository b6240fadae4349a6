"""Diagram plans applied in JAX: W x = Σ_σ φ_σ D_σ x, never forming W (see
:class:`intertwine.codegen.layout.DiagramPlan` for the plan and the maths)."""

from __future__ import annotations

from ...solver._diagrams import apply_steps
from ..layout import DiagramPlan


def apply_diagrams(plan: DiagramPlan, phi, x):
    """y[b, o, J] = Σ_{c, σ} φ[o, c, σ] (D_σ x[b, c])[J] for x of shape (b, c_in, n^k)."""
    import jax.numpy as jnp

    steps = zip(plan.reduce, plan.shape, plan.dups)
    return apply_steps(list(steps), phi, x, plan.n, plan.k, plan.l, xp=jnp)
