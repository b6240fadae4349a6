"""Exported layers between sums of irreps: the block-diagonal plan as data and as cores.

The layout's :class:`IrrepPlan` is embedded flattened: ``irrep_in`` (the input coordinates of
every type's copies), ``irrep_theta`` (θ's entry per output copy, input copy, endomorphism),
``irrep_ends`` (the endomorphism matrices of complex irreps) and ``irrep_out`` (the gather that
assembles y), with one row of ints per irrep type in ``IRREP_TYPES``: d, m_in, m_out, e,
has_ends, and its starts in the three arrays. Each core applies one matmul per type, for
NumPy, JAX (Equinox and Flax) and PyTorch (eager, torch.jit.script, torch.compile).
"""

from __future__ import annotations

import numpy as np

from ..layout import IrrepPlan
from ._recipe import Recipe

RESERVED = frozenset({"IRREP_TYPES", "IRREP_IN", "IRREP_THETA", "IRREP_ENDS", "IRREP_OUT"})


def irrep_arrays(plan: IrrepPlan) -> dict[str, np.ndarray]:
    """The plan's index arrays, flattened across irrep types."""
    ins = [b.in_index for b in plan.blocks]
    thetas = [b.theta_index.reshape(-1) for b in plan.blocks]
    ends = [b.ends.reshape(-1) for b in plan.blocks if b.ends is not None]
    return {
        "irrep_in": np.concatenate(ins or [np.zeros(0)]).astype(np.int64),
        "irrep_theta": np.concatenate(thetas or [np.zeros(0)]).astype(np.int64),
        "irrep_ends": np.concatenate(ends or [np.zeros(1)]).astype(np.float32),
        "irrep_out": plan.out_gather.astype(np.int64),
    }


def irrep_constants(plan: IrrepPlan) -> list[str]:
    """``IRREP_TYPES`` (one row per type) and the flat arrays read from ``_DATA``."""
    rows, i0, t0, e0 = [], 0, 0, 0
    for b in plan.blocks:
        has = b.ends is not None
        rows.append(str([b.d, b.m_in, b.m_out, b.n_end, int(has), i0, t0, e0]))
        i0 += b.in_index.size
        t0 += b.theta_index.size
        e0 += b.ends.size if b.ends is not None else 0
    return [
        "# per irrep type: d, m_in, m_out, e, has_ends, starts in IRREP_IN, IRREP_THETA, "
        "IRREP_ENDS",
        "IRREP_TYPES = [\n" + "".join(f"    {r},\n" for r in rows) + "]",
        'IRREP_IN, IRREP_THETA = _DATA["irrep_in"], _DATA["irrep_theta"]',
        'IRREP_ENDS, IRREP_OUT = _DATA["irrep_ends"], _DATA["irrep_out"]',
    ]


_CORE = '''def _linear(theta, x):
    """W x by Schur's lemma: one matmul per irrep type, over its copies and channels."""
    b = x.shape[0]
    outs = []
    for d, m_in, m_out, e, has_ends, i0, t0, e0 in IRREP_TYPES:
        xt = x[:, :, IRREP_IN[i0 : i0 + m_in * d]]
        if has_ends:
            ends = xp.asarray(IRREP_ENDS[e0 : e0 + e * d * d].reshape(e, d, d), x.dtype)
            xt = xp.einsum("epq,bciq->bciep", ends, xt.reshape(b, C_IN, m_in, d))
        k = IRREP_THETA[t0 : t0 + m_out * m_in * e].reshape(m_out, m_in * e)
        w = theta[:, :, k].transpose(0, 2, 1, 3).reshape(C_OUT * m_out, C_IN * m_in * e)
        y = xp.matmul(w, xt.reshape(b, C_IN * m_in * e, d))
        outs.append(y.reshape(b, C_OUT, m_out * d))
    outs.append(xp.zeros((b, C_OUT, 1), x.dtype))
    return xp.concatenate(outs, -1)[:, :, IRREP_OUT]
'''

NUMPY_IRREP_CORE = _CORE.replace("xp.", "np.")
JAX_IRREP_CORE = _CORE.replace("xp.", "jnp.")

TORCH_IRREP_ATTRIBUTES = """
    irrep_types: list[list[int]]
"""
TORCH_IRREP_ASSIGN = "        self.irrep_types = IRREP_TYPES\n"
TORCH_IRREP_CORE = '''    def _linear(self, theta, x):
        """W x by Schur's lemma: one matmul per irrep type, over its copies and channels."""
        b = x.shape[0]
        outs: list[torch.Tensor] = []
        for t in self.irrep_types:
            d, m_in, m_out, e = t[0], t[1], t[2], t[3]
            xt = x.index_select(2, self.irrep_in.narrow(0, t[5], m_in * d))
            if t[4] == 1:
                ends = self.irrep_ends.narrow(0, t[7], e * d * d).reshape(e, d, d)
                xt = xt.reshape(b, self.c_in, m_in, d)
                xt = torch.einsum("epq,bciq->bciep", [ends.to(x.dtype), xt])
            k = self.irrep_theta.narrow(0, t[6], m_out * m_in * e)
            w = theta.index_select(2, k).reshape(self.c_out, self.c_in, m_out, m_in * e)
            w = w.permute(0, 2, 1, 3).reshape(self.c_out * m_out, self.c_in * m_in * e)
            y = torch.matmul(w, xt.reshape(b, self.c_in * m_in * e, d))
            outs.append(y.reshape(b, self.c_out, m_out * d))
        outs.append(x.new_zeros(b, self.c_out, 1))
        return torch.cat(outs, -1).index_select(2, self.irrep_out)
'''


def irrep_recipe(plan: IrrepPlan) -> Recipe:
    """One matmul per irrep type (Schur's lemma), W never formed."""
    return Recipe(
        kind="irrep",
        arrays=irrep_arrays(plan),
        constants=tuple(irrep_constants(plan)),
        numpy_core=NUMPY_IRREP_CORE,
        jax_core=JAX_IRREP_CORE,
        torch_core=TORCH_IRREP_CORE,
        torch_attributes=TORCH_IRREP_ATTRIBUTES,
        torch_assign=TORCH_IRREP_ASSIGN,
    )
