"""The block-diagonal irrep plan in JAX: one batched matmul per irrep type, W never formed.

See ``intertwine.codegen.layout._irrep`` for the plan (Schur's lemma).
"""

from __future__ import annotations

from ..layout import IrrepPlan


def apply_irrep(plan: IrrepPlan, theta, x):
    """y (b, C_out, out) = W x for x (b, C_in, in) and θ (C_out, C_in, dim), by irrep type."""
    import jax.numpy as jnp

    b, c_in = x.shape[0], x.shape[1]
    c_out = theta.shape[0]
    outs = []
    for blk in plan.blocks:
        cut = blk.in_slice
        xt = x[..., cut if cut is not None else blk.in_index].reshape(b, c_in, blk.m_in, 1, blk.d)
        if blk.ends is not None:
            ends = jnp.asarray(blk.ends, x.dtype)
            xt = jnp.einsum("epq,bciq->bciep", ends, xt[:, :, :, 0], precision="highest")
        w = theta[..., blk.theta_index]  # (C_out, C_in, m_out, m_in, e)
        w = jnp.transpose(w, (0, 2, 1, 3, 4)).reshape(c_out * blk.m_out, -1)
        y = jnp.matmul(w, xt.reshape(b, -1, blk.d), precision="highest")
        outs.append(y.reshape(b, c_out, blk.m_out * blk.d))
    if plan.out_in_order:
        return jnp.concatenate(outs, -1)
    outs.append(jnp.zeros((b, c_out, 1), x.dtype))
    return jnp.concatenate(outs, -1)[..., plan.out_gather]
