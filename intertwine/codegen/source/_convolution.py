"""Emitted cores of the FFT convolution plan (a tying that depends only on i − j).

The padded kernels g (c_out, c_in, LENGTH) are gathered from θ like any tying
(``KERNEL_INDEX``, ``KERNEL_SIGN``), then y = irfft(Σ_c rfft(x_c) · rfft(g_oc))[:n] (see
``intertwine.codegen.layout._convolution`` for the maths).
"""

from __future__ import annotations

import numpy as np

from ..layout import ConvolutionPlan
from ._recipe import Recipe
from ._tying import _GATHER, TORCH_GATHER, in_library

NUMPY_CONVOLUTION = (
    in_library("np", _GATHER)
    + '''

def _linear(theta, x):
    """W x as an FFT convolution: W[i, j] = g[i - j], g of length LENGTH."""
    g = _gather(theta, KERNEL_INDEX, KERNEL_SIGN)
    # NumPy's float32 FFTs are several times slower than its float64 ones
    xf = np.fft.rfft(x.astype(np.float64), n=LENGTH, axis=-1)
    gf = np.fft.rfft(g.astype(np.float64), axis=-1)
    yf = np.einsum("bcf,ocf->bof", xf, gf, optimize=True)
    return np.fft.irfft(yf, n=LENGTH, axis=-1)[..., :OUT_DIM].astype(x.dtype)
'''
)

JAX_CONVOLUTION = (
    in_library("jnp", _GATHER)
    + '''

def _linear(theta, x):
    """W x as an FFT convolution: W[i, j] = g[i - j], g of length LENGTH."""
    g = _gather(theta, KERNEL_INDEX, KERNEL_SIGN)
    if jnp.finfo(x.dtype).bits < 32:  # no FFT in float16/bfloat16: upcast, cast back
        g = g.astype(jnp.float32)
    xf = jnp.fft.rfft(x.astype(g.dtype), n=LENGTH, axis=-1)
    gf = jnp.fft.rfft(g, axis=-1)
    if C_OUT * C_IN <= 64:  # few channels: a broadcast multiply-add beats a batched dot
        yf = jnp.sum(xf[:, None, :, :] * gf[None], axis=2)
    else:
        yf = jnp.einsum("bcf,ocf->bof", xf, gf)
    return jnp.fft.irfft(yf, n=LENGTH, axis=-1)[..., :OUT_DIM].astype(x.dtype)
'''
)

TORCH_CONVOLUTION = (
    TORCH_GATHER
    + '''
    def _linear(self, theta, x):
        """W x as an FFT convolution: W[i, j] = g[i - j], g of length self.length."""
        g = self._gather(theta, self.kernel_index, self.kernel_sign)
        if x.dtype == torch.float16 or x.dtype == torch.bfloat16:
            g = g.float()  # no FFT in half precision on CPUs: upcast, cast back
        xf = torch.fft.rfft(x.to(g.dtype), n=self.length, dim=-1)
        gf = torch.fft.rfft(g, dim=-1)
        if self.c_out * self.c_in <= 64:  # few channels: broadcast multiply-add
            yf = (xf.unsqueeze(1) * gf.unsqueeze(0)).sum(2)
        else:
            yf = torch.einsum("bcf,ocf->bof", xf, gf)
        y = torch.fft.irfft(yf, n=self.length, dim=-1)
        return y.narrow(-1, 0, self.out_dim).to(x.dtype)
'''
)

TORCH_CONVOLUTION_ASSIGN = "        self.length = LENGTH\n"


def convolution_recipe(plan: ConvolutionPlan) -> Recipe:
    return Recipe(
        kind="convolution",
        arrays={
            "kernel_index": plan.index.astype(np.int64),
            "kernel_sign": plan.sign.astype(np.float32),
        },
        constants=(
            f"LENGTH = {plan.length}",
            'KERNEL_INDEX = _DATA["kernel_index"]',
            'KERNEL_SIGN = _DATA["kernel_sign"]',
        ),
        numpy_core=NUMPY_CONVOLUTION,
        jax_core=JAX_CONVOLUTION,
        torch_core=TORCH_CONVOLUTION,
        torch_assign=TORCH_CONVOLUTION_ASSIGN,
    )
