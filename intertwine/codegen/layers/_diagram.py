"""Partition diagrams applied in JAX: W x = Σ_σ φ_σ D_σ x, never forming W (see
:class:`intertwine.codegen.layout.DiagramPlan` for the plan and the maths)."""

from __future__ import annotations

from ..layout import DiagramPlan


def apply_diagrams(plan: DiagramPlan, phi, x):
    """y[b, o, J] = Σ_{c, σ} φ[o, c, σ] (D_σ x[b, c])[J] for x of shape (b, c_in, n^k).

    Per σ: reduce x (diagonals, sums), contract the channels with φ[:, :, σ] while the tensor is
    small, then place it in the output by broadcasting and identity masks, which XLA fuses."""
    import jax.numpy as jnp

    n, k, l = plan.n, plan.k, plan.l
    b, c_out = x.shape[0], phi.shape[0]
    xs = x.reshape((b, x.shape[1]) + (n,) * k)
    eye = jnp.eye(n, dtype=x.dtype)
    y = jnp.zeros((b, c_out) + (n,) * l, x.dtype)
    for s, (reduce, shape, dups) in enumerate(zip(plan.reduce, plan.shape, plan.dups)):
        t = jnp.einsum(reduce, xs)
        term = jnp.einsum("bc...,oc->bo...", t, phi[:, :, s]).reshape((b, c_out) + shape)
        for p, q in dups:
            mask = [1] * (2 + l)
            mask[2 + p] = mask[2 + q] = n
            term = term * eye.reshape(mask)
        y = y + term
    return y.reshape(b, c_out, n**l)
