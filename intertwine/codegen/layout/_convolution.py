"""Toeplitz tying patterns (truncating shifts, cyclic groups) applied as FFT convolutions.

When the tying of W: R^n → R^n depends only on i − j, W[i, j] = g[i − j] with the kernel
g[d] = sign · θ[index(d)] for d = −(n−1) .. n−1 (0 where the pattern forces a zero). That is a
convolution: y[i] = Σ_j g[i − j] x[j]. Padding both to a length L ≥ 2n − 1 turns it into a
circular convolution without wrap-around on the outputs 0 .. n−1, so

    y = irfft(rfft(x, L) · rfft(g, L))[:n],

O(n log n) per channel instead of O(n²). The truncating shift gives the causal convolutions
(g[d] = 0 for d < 0), Z(n) the circular ones.

Applying it: gather the padded kernels g (c_out, c_in, L) from θ like any tying, then

    y[b, o] = irfft(Σ_c rfft(x[b, c], L) · rfft(g[o, c], L), L)[:n].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._value import Value, frozen


@dataclass(frozen=True, eq=False)
class ConvolutionPlan(Value):
    """Kernel layout: g[d] = sign[d] · θ̃[index[d]] at padded position d mod L (mode
    "convolution"; a value, equal by content)."""

    mode: ClassVar[str] = "convolution"
    n: int
    length: int  # L, a power of two ≥ 2n − 1
    index: np.ndarray  # (L,) into θ̃ = (θ, 0); dim (the zero slot) where g is 0
    sign: np.ndarray  # (L,)

    def __repr__(self) -> str:
        return f"ConvolutionPlan(n={self.n}, length={self.length})"


def convolution_plan(
    index: np.ndarray | None, sign: np.ndarray | None, dim: int, n_out: int, n_in: int
) -> ConvolutionPlan | None:
    """The plan when the (signed) tying of an n × n map depends only on i − j, else None."""
    if index is None or sign is None or n_out != n_in or n_in < 2:
        return None
    n = n_in
    idx = index.reshape(n, n)
    sg = sign.reshape(n, n)
    i, j = np.indices((n, n))
    d = (i - j).ravel()
    kernel_index = np.full(2 * n - 1, -1, dtype=np.int64)
    kernel_sign = np.zeros(2 * n - 1)
    kernel_index[d + n - 1] = idx.ravel()
    kernel_sign[d + n - 1] = sg.ravel()
    # every entry must agree with the kernel at its diagonal
    if not (
        np.array_equal(kernel_index[d + n - 1], idx.ravel())
        and np.array_equal(kernel_sign[d + n - 1], sg.ravel())
    ):
        return None
    length = 1 << int(np.ceil(np.log2(2 * n)))
    full_index = np.full(length, dim, dtype=np.int32)
    full_sign = np.zeros(length, dtype=np.float32)
    for off in range(-(n - 1), n):
        full_index[off % length] = kernel_index[off + n - 1]
        full_sign[off % length] = kernel_sign[off + n - 1]
    full_sign[full_index == dim] = 0.0
    return ConvolutionPlan(n, length, frozen(full_index), frozen(full_sign))
