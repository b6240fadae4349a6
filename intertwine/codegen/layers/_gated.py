"""Gated nonlinearities for any group, and hidden reps that mix tensor ranks.

A hidden rep H = ⊕_b H_b (scalars and non-scalar blocks such as V, V**2). The layer before the
nonlinearity maps into H ⊕ 1^g, one extra invariant scalar per non-scalar block (its gate), and

    scalars s ↦ σ(s),        a block v_b with gate t_b ↦ v_b · sigmoid(t_b).

Both are equivariant for every group and monoid whose scalar rep is trivial (the Lorentz group,
Sp(n), SL(n) included): σ acts on invariant numbers, and multiplying a block by an invariant number
commutes with ρ_b(g). This is the construction EMLP uses (Finzi, Welling, Wilson, ICML 2021); the
norm gate of ``_nonlinearity`` needs an orthogonal rep, this does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ...core import Action, Copies, Rep, Sum, Trivial
from ...errors import IntertwineError
from ...spec import resolve
from ..layout import lift


class Block(NamedTuple):
    start: int
    size: int
    scalar: bool
    rep: Rep


def blocks(rep: Rep) -> list[Block]:
    """The summands of a direct sum, in order (copies expanded); one block for anything else."""
    out: list[Block] = []

    def walk(r: Rep, start: int) -> int:
        node = r.node
        if isinstance(node, Sum):
            for part in node.parts:
                start = walk(part, start)
            return start
        if isinstance(node, Copies):
            for _ in range(node.count):
                start = walk(node.base, start)
            return start
        # a scalar is the trivial rep, written 1 or by name (e3nn's 0e): equal generators
        scalar = isinstance(node, Trivial) or (r.dim == 1 and r == r.action.trivial())
        out.append(Block(start, r.dim, scalar, r))
        return start + r.dim

    walk(rep, 0)
    return out


def gated_rep(rep: Rep) -> Rep:
    """H ⊕ 1^g: the rep the layer before a gated nonlinearity maps into (g gates)."""
    g = sum(not b.scalar for b in blocks(rep))
    if g == 0:
        return rep
    gates = rep.action.trivial() if g == 1 else g * rep.action.trivial()
    return rep + gates


def gated(rep: Rep, scalar_fn: Callable | None = None, gate_fn: Callable | None = None):
    """The gated nonlinearity of ``rep``: a function from (..., dim(gated_rep(rep))) to
    (..., dim(rep)). Scalars go through ``scalar_fn`` (swish by default), every other block is
    scaled by ``gate_fn`` (sigmoid) of its gate."""
    import jax
    import jax.numpy as jnp

    scalar_fn = scalar_fn or jax.nn.swish
    gate_fn = gate_fn or jax.nn.sigmoid
    parts = blocks(rep)
    dim = rep.dim
    tensor = [b for b in parts if not b.scalar]
    scalar_mask = np.zeros(dim, dtype=bool)
    for b in parts:
        if b.scalar:
            scalar_mask[b.start : b.start + b.size] = True
    # for every coordinate, where its gate is (itself for scalars, never read there)
    gate_of = np.arange(dim, dtype=np.int32)
    for g, b in enumerate(tensor):
        gate_of[b.start : b.start + b.size] = dim + g

    def apply(x):
        x = jnp.asarray(x)
        if x.shape[-1] != dim + len(tensor):
            raise IntertwineError(
                f"the gated nonlinearity of {rep} takes {dim + len(tensor)} numbers (the rep and "
                f"{len(tensor)} gates), not {x.shape[-1]}"
            )
        base = x[..., :dim]
        gates = gate_fn(jnp.take(x, jnp.asarray(gate_of), axis=-1))
        mask = lift(jnp.asarray(scalar_mask), base.ndim)
        return jnp.where(mask, scalar_fn(base), base * gates)

    return apply


def mixed_rep(action: Action | str, budget: int, max_rank: int = 2, dual: bool = False) -> Rep:
    """A hidden rep of about ``budget`` dimensions spread evenly over the tensor ranks
    0..max_rank: c_k copies of V^⊗k with c_k · dim(V)^k ≈ budget / (max_rank + 1), at least one
    of each rank that fits (e.g. 64 for O(1,3), rank 2: 21*1 + 5*V + 1*V**2). With ``dual`` the
    rank-2 part is V*⊗V (matrices), for groups whose V* is not V (SL(n), the Lorentz group)."""
    act = resolve(action, "1")[0]
    if not isinstance(budget, int) or budget < 1 or not isinstance(max_rank, int) or max_rank < 0:
        raise IntertwineError("budget must be a positive int and max_rank a non-negative int")
    d = act.degrees[0]
    share = budget / (max_rank + 1)
    terms = []
    for k in range(max_rank + 1):
        size = d**k
        if size > budget:
            break
        count = max(1, int(share // size))
        if k == 0:
            atom = "1"
        elif k == 1:
            atom = "V"
        elif dual and k == 2:
            atom = "(V* * V)"
        else:
            atom = f"V**{k}"
        terms.append(atom if count == 1 else f"{count}*{atom}")
    return resolve(act, " + ".join(terms))[1]
