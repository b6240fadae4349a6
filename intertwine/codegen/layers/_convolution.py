"""Toeplitz tyings applied in JAX as FFT convolutions (see
:class:`intertwine.codegen.layout.ConvolutionPlan` for the plan and the maths)."""

from __future__ import annotations

from ..layout import ConvolutionPlan


def apply_convolution(plan: ConvolutionPlan, kernel, x):
    """y[b, o, :] = Σ_c g[o, c] ⊛ x[b, c, :] for x of shape (b, c_in, n) and the padded kernels
    g (c_out, c_in, L), g = sign · θ̃[index] (gathered by the caller like any tying). In x's
    dtype; float16 and bfloat16 run the FFT in float32 (XLA has no half-precision FFT)."""
    import jax.numpy as jnp

    dtype = x.dtype
    if jnp.finfo(dtype).bits < 32:  # no FFT in float16/bfloat16: upcast, and cast back
        x, kernel = x.astype(jnp.float32), kernel.astype(jnp.float32)
    xf = jnp.fft.rfft(x, n=plan.length, axis=-1)
    gf = jnp.fft.rfft(kernel, axis=-1)
    if gf.shape[0] * gf.shape[1] <= 64:  # few channels: a fused multiply-add beats a batched dot
        yf = jnp.sum(xf[:, None, :, :] * gf[None], axis=2)
    else:
        yf = jnp.einsum("bcf,ocf->bof", xf, gf)
    return jnp.fft.irfft(yf, n=plan.length, axis=-1)[..., : plan.n].astype(dtype)
