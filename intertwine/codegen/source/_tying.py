"""Emitted cores of the plans that form W: a gather (a tying pattern) and a scatter-add.

The arrays are embedded as they are (``INDEX``/``SIGN``, or ``ROWS``/``COLS``/``VALS``); the core
forms W[o, c] from θ and multiplies once (see ``intertwine.codegen.layout._formed``). The gather
and the matmul helpers are shared with the convolution core. Cores are written once with ``xp.``
for NumPy and JAX (:func:`in_library`), and as methods for PyTorch.
"""

from __future__ import annotations

import numpy as np

from ..layout import GatherPlan, ScatterPlan
from ._recipe import Recipe

# ----------------------------------------------------------------- shared by NumPy and JAX
# written once with `xp.` for the array module; in_library(library, text) names it
_MATMUL = '''def _matmul(w, x):
    """y[b, o] = sum_c W[o, c] x[b, c], as one matrix product."""
    w2 = w.transpose(0, 2, 1, 3).reshape((C_OUT * OUT_DIM, C_IN * IN_DIM))
    y = x.reshape((x.shape[0], C_IN * IN_DIM)) @ w2.T
    return y.reshape((x.shape[0], C_OUT, OUT_DIM))
'''

_GATHER = '''def _gather(theta, index, sign):
    """sign * theta~[..., index]; theta~ is theta with a zero appended."""
    pad = xp.zeros(theta.shape[:-1] + (1,), theta.dtype)
    padded = xp.concatenate([theta, pad], -1)
    signs = xp.asarray(sign, theta.dtype).reshape((1,) * (padded.ndim - 1) + (-1,))
    return padded[..., index] * signs
'''

_TYING = (
    _GATHER
    + "\n\n"
    + _MATMUL
    + '''

def _linear(theta, x):
    """W x, where W[o, c].flat = SIGN * theta~[o, c][INDEX]."""
    w = _gather(theta, INDEX, SIGN).reshape((C_OUT, C_IN, OUT_DIM, IN_DIM))
    return _matmul(w, x)
'''
)


def in_library(library: str, text: str) -> str:
    return text.replace("xp.", f"{library}.")


NUMPY_SPARSE = (
    _MATMUL
    + '''

# coefficients grouped by entry of W: a vectorised scatter-add (np.add.at is slow)
_ORDER = np.argsort(COLS, kind="stable")
_ENTRIES, _STARTS = np.unique(COLS[_ORDER], return_index=True)


def _linear(theta, x):
    """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
    flat = np.zeros((C_OUT, C_IN, OUT_DIM * IN_DIM), theta.dtype)
    if _ORDER.size:
        vals = VALS[_ORDER].astype(theta.dtype)[None, None]
        contrib = theta[..., ROWS[_ORDER]] * vals
        flat[..., _ENTRIES] = np.add.reduceat(contrib, _STARTS, axis=-1)
    return _matmul(flat.reshape((C_OUT, C_IN, OUT_DIM, IN_DIM)), x)
'''
)

JAX_SPARSE = (
    _MATMUL
    + '''

def _linear(theta, x):
    """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
    flat = jnp.zeros((C_OUT, C_IN, OUT_DIM * IN_DIM), theta.dtype)
    vals = jnp.asarray(VALS, theta.dtype)[None, None]
    flat = flat.at[..., COLS].add(theta[..., ROWS] * vals)
    return _matmul(flat.reshape((C_OUT, C_IN, OUT_DIM, IN_DIM)), x)
'''
)

# ----------------------------------------------------------------- PyTorch (methods)
# Written for torch.jit.script as well as eager and torch.compile: no `...` indexing, typed
# list attributes, buffers for the arrays (unannotated arguments are tensors to TorchScript).
TORCH_GATHER = '''    def _gather(self, theta, index, sign):
        """sign * theta~[..., index]; theta~ is theta with a zero appended."""
        pad = theta.new_zeros(list(theta.shape[:-1]) + [1])
        padded = torch.cat([theta, pad], -1)
        return padded.index_select(-1, index) * sign.to(theta.dtype)
'''

_TORCH_MATMUL = '''    def _matmul(self, w, x):
        """y[b, o] = sum_c W[o, c] x[b, c], as one matrix product."""
        w2 = w.permute(0, 2, 1, 3).reshape(self.c_out * self.out_dim, -1)
        y = x.reshape(x.shape[0], -1) @ w2.t()
        return y.reshape(x.shape[0], self.c_out, self.out_dim)
'''

TORCH_TYING = (
    TORCH_GATHER
    + "\n"
    + _TORCH_MATMUL
    + '''
    def _linear(self, theta, x):
        """W x, where W[o, c].flat = SIGN * theta~[o, c][INDEX]."""
        w = self._gather(theta, self.index, self.sign)
        w = w.reshape(self.c_out, self.c_in, self.out_dim, self.in_dim)
        return self._matmul(w, x)
'''
)

TORCH_SPARSE = (
    _TORCH_MATMUL
    + '''
    def _linear(self, theta, x):
        """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
        contrib = theta.index_select(-1, self.rows) * self.vals.to(theta.dtype)
        flat = theta.new_zeros(self.c_out, self.c_in, self.out_dim * self.in_dim)
        flat = flat.index_add(-1, self.cols, contrib)
        w = flat.reshape(self.c_out, self.c_in, self.out_dim, self.in_dim)
        return self._matmul(w, x)
'''
)


def tying_recipe(plan: GatherPlan) -> Recipe:
    """W.flat = SIGN * theta~[INDEX], then one matmul."""
    return Recipe(
        kind="tying",
        arrays={"index": plan.index.astype(np.int64), "sign": plan.sign.astype(np.float32)},
        constants=('INDEX = _DATA["index"]', 'SIGN = _DATA["sign"]'),
        numpy_core=in_library("np", _TYING),
        jax_core=in_library("jnp", _TYING),
        torch_core=TORCH_TYING,
    )


def sparse_recipe(plan: ScatterPlan) -> Recipe:
    """W.flat[COLS] += theta[ROWS] * VALS, then one matmul."""
    return Recipe(
        kind="sparse",
        arrays={
            "rows": plan.rows.astype(np.int64),
            "cols": plan.cols.astype(np.int64),
            "vals": plan.vals.astype(np.float32),
        },
        constants=('ROWS = _DATA["rows"]', 'COLS = _DATA["cols"]', 'VALS = _DATA["vals"]'),
        numpy_core=NUMPY_SPARSE,
        jax_core=JAX_SPARSE,
        torch_core=TORCH_SPARSE,
    )
