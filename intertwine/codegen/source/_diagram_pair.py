"""Emitted cores of the diagram plan of one block pair V^⊗k → V^⊗l, without invariant forms
or ε operands (partition diagrams of S(n), Brauer diagrams of O(n)): kind "diagram_pair".

W x = Σ_s φ[:, :, s] D_s x with φ = θ · MOBIUS, each D_s x one einsum ``REDUCE[s]``, reshaped to
``SHAPE[s]``, times the identity on the ``DUPS[s]`` output axis pairs, broadcast and added (see
:class:`intertwine.codegen.layout.DiagramClassPlan`). W is never formed.
"""

from __future__ import annotations

import numpy as np

from ..layout import DiagramClassPlan
from ._recipe import Recipe
from ._text import list_literal

NUMPY_DIAGRAM_PAIR = '''def _linear(theta, x):
    """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
    b = x.shape[0]
    phi = theta @ MOBIUS.astype(theta.dtype)
    xs = x.reshape((b, C_IN) + (N,) * K)
    eye = np.eye(N, dtype=x.dtype)
    y = np.zeros((b, C_OUT) + (N,) * L, x.dtype)
    for s in range(DIM):
        t = np.einsum(REDUCE[s], xs)
        term = np.einsum("bc...,oc->bo...", t, phi[:, :, s], optimize=True)
        term = term.reshape([b, C_OUT] + SHAPE[s])
        for p, q in DUPS[s]:
            mask = [1] * (2 + L)
            mask[2 + p] = mask[2 + q] = N
            term = term * eye.reshape(mask)
        y = y + term
    return y.reshape((b, C_OUT, OUT_DIM))
'''

JAX_DIAGRAM_PAIR = '''def _linear(theta, x):
    """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
    b = x.shape[0]
    phi = jnp.matmul(theta, jnp.asarray(MOBIUS, theta.dtype), precision="highest")
    xs = x.reshape((b, C_IN) + (N,) * K)
    eye = jnp.eye(N, dtype=x.dtype)
    y = jnp.zeros((b, C_OUT) + (N,) * L, x.dtype)
    for s in range(DIM):
        t = jnp.einsum(REDUCE[s], xs)
        term = jnp.einsum("bc...,oc->bo...", t, phi[:, :, s])
        term = term.reshape([b, C_OUT] + SHAPE[s])
        for p, q in DUPS[s]:
            mask = [1] * (2 + L)
            mask[2 + p] = mask[2 + q] = N
            term = term * eye.reshape(mask)
        y = y + term
    return y.reshape((b, C_OUT, OUT_DIM))
'''

TORCH_DIAGRAM_PAIR = '''    def _linear(self, theta, x):
        """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
        b = x.shape[0]
        phi = torch.matmul(theta, self.mobius.to(theta.dtype))
        xs = x.reshape([b, self.c_in] + [self.n] * self.k)
        eye = torch.eye(self.n, dtype=x.dtype, device=x.device)
        y = x.new_zeros([b, self.c_out] + [self.n] * self.l)
        for s in range(self.dim):
            t = torch.einsum(self.reduce[s], [xs])
            term = torch.einsum("bc...,oc->bo...", [t, phi[:, :, s]])
            term = term.reshape([b, self.c_out] + self.shape[s])
            for pq in self.dups[s]:
                mask = [1] * (2 + self.l)
                mask[2 + pq[0]] = self.n
                mask[2 + pq[1]] = self.n
                term = term * eye.reshape(mask)
            y = y + term
        return y.reshape(b, self.c_out, self.out_dim)
'''

TORCH_DIAGRAM_ATTRIBUTES = """
    reduce: list[str]
    shape: list[list[int]]
    dups: list[list[list[int]]]
"""
TORCH_DIAGRAM_ASSIGN = (
    "        self.n, self.k, self.l = N, K, L\n"
    "        self.reduce = REDUCE\n        self.shape = SHAPE\n        self.dups = DUPS\n"
)


def diagram_pair_recipe(plan: DiagramClassPlan) -> Recipe:
    """The plain plan of one block pair (see :attr:`DiagramClassPlan.plain`)."""
    return Recipe(
        kind="diagram_pair",
        arrays={"mobius": plan.mobius.astype(np.float32)},  # small integers: exact
        constants=(
            f"N, K, L = {plan.n}, {plan.k}, {plan.l}",
            'MOBIUS = _DATA["mobius"]',
            "# per partition diagram: einsum that reduces x, output shape, diagonal pairs",
            list_literal("REDUCE", [f'"{r}"' for r in plan.reduce]),
            list_literal("SHAPE", [str(list(shape)) for shape in plan.shape]),
            list_literal("DUPS", [str([list(pq) for pq in d]) for d in plan.dups]),
        ),
        numpy_core=NUMPY_DIAGRAM_PAIR,
        jax_core=JAX_DIAGRAM_PAIR,
        torch_core=TORCH_DIAGRAM_PAIR,
        torch_attributes=TORCH_DIAGRAM_ATTRIBUTES,
        torch_assign=TORCH_DIAGRAM_ASSIGN,
    )
