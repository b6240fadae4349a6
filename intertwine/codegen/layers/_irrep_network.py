"""The gate nonlinearity in the irrep basis and ``irrep_network`` (linear + tensor product + gate).

Gate (e3nn's ``Gate``; Weiler et al., 3D Steerable CNNs, NeurIPS 2018). For a hidden rep
H = ⊕_s m_s × ρ_s written as irreps, the layer before the gate maps into H ⊕ g × 1, one invariant
scalar (the gate) per non-scalar copy, g = Σ_{ρ_s non-trivial} m_s, appended after H:

    a scalar copy s ↦ σ(s),        a non-scalar copy v (with its gate t) ↦ v · sigmoid(t).

Equivariant for every group whose trivial rep is what the scalars carry: σ acts on invariant
numbers, and an invariant number times v commutes with ρ_s(g). Neither step needs ρ unitary, so
the gate (and the whole network) is equivariant for the Lorentz group too; what is lost there is
only what e3nn's normalisation assumes (a boost changes norms, so unit-variance arguments hold
in one frame only). O(3)'s pseudoscalars (``0o``) are not invariant: they are gated like any
other non-scalar irrep (by a ``0e`` gate). e3nn's ``gate`` reads its gates before the gated
irreps and normalises its activations; with the gates moved and ``normalize_act=False`` the two
agree (``tests/codegen/layers/test_e3nn_agreement.py``).

``irrep_network``: depth steps x ↦ gate(L(x) + TP(x, x)) with L an equivariant linear map into
H ⊕ g × 1 (one matmul per irrep type when the reps are named irreps) and TP the fully connected
tensor product of x with itself (the products a linear map and a gate cannot form: norms, dot
and cross products), then a linear map H → OUT.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ...core import Action, Rep
from ...errors import IntertwineError
from ...spec import resolve
from ..layout import Segment, lift, segments, tensor_product_plan
from ._core import equivariant_linear
from ._network import Network
from ._tensor_product import TensorProductLayer, layer_from_plan


class IrrepGate(NamedTuple):
    """``apply`` maps (..., dim ``rep_in``) = (..., dim H + gates) to (..., dim H)."""

    rep_in: Rep
    rep_out: Rep
    apply: Any

    def __call__(self, x):
        return self.apply(x)


def gate_input(hidden: Rep) -> Rep:
    """H ⊕ g × 1: the rep the layer before :func:`irrep_gate` maps into (g = the number of
    non-scalar copies in H)."""
    g = sum(s.mul for s in segments(hidden) if not s.scalar)
    if g == 0:
        return hidden
    trivial = hidden.action.trivial()
    return hidden + (trivial if g == 1 else g * trivial)


def irrep_gate(
    action: Action | str,
    hidden: Rep | str,
    scalar_fn: Callable | None = None,
    gate_fn: Callable | None = None,
) -> IrrepGate:
    """The gate nonlinearity of ``hidden`` (module docstring): scalars through ``scalar_fn``
    (SiLU by default), each non-scalar copy times ``gate_fn`` (sigmoid) of its own gate.

    >>> import jax.numpy as jnp
    >>> gate = irrep_gate("O(3)", "2x0e + 1x1o")
    >>> str(gate.rep_in), gate(jnp.ones((4, 6))).shape
    ('2x0e + 1x1o + 1', (4, 5))
    """
    import jax

    _, h = resolve(action, hidden)
    rep_in = gate_input(h)
    scalar_fn = scalar_fn or jax.nn.silu
    gate_fn = gate_fn or jax.nn.sigmoid
    segs: tuple[Segment, ...] = segments(h)
    scalar_mask = np.zeros(h.dim, dtype=bool)
    gate_of = np.arange(h.dim, dtype=np.int32)  # scalars: themselves (not read)
    copy = 0
    for s in segs:
        if s.scalar:
            scalar_mask[s.start : s.start + s.size] = True
            continue
        for c in range(s.mul):
            gate_of[s.start + c * s.d : s.start + (c + 1) * s.d] = h.dim + copy
            copy += 1

    def apply(x):
        import jax.numpy as jnp

        x = jnp.asarray(x)
        if x.shape[-1] != rep_in.dim:
            raise IntertwineError(
                f"the gate of {h} takes {rep_in.dim} numbers ({h.dim} and {copy} gates), not "
                f"{x.shape[-1]}"
            )
        base = x[..., : h.dim]
        gates = gate_fn(jnp.take(x, jnp.asarray(gate_of), axis=-1))
        mask = lift(jnp.asarray(scalar_mask), base.ndim)
        return jnp.where(mask, scalar_fn(base), base * gates)

    return IrrepGate(rep_in, h, apply)


def irrep_network(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: Rep | str,
    depth: int,
    *,
    products: bool = True,
    scalar_fn: Callable | None = None,
) -> Network:
    """``depth`` steps x ↦ gate(L(x) + TP(x, x)), then a linear map to OUT (module docstring).

    Args:
      action: an action or spec (``"O(3)"``, ``"SO(2)"``, ``"D(6)"``, ``"SO(1,3)"``...).
      rep_in: the input rep, a sum of irreps (``"1x1o"``; for other groups sums of
        :func:`~intertwine.to_irreps`'s irreps or any reps: the layers stay equivariant).
      rep_out: the output rep, likewise.
      hidden: the hidden rep H, likewise (``"4x0e + 4x1o + 2x2e"``).
      depth: the number of gated steps (>= 1).
      products: whether each step adds the tensor product of its input with itself.

    Returns:
      A :class:`~intertwine.codegen.Network`; ``apply(params, x)`` maps (..., dim IN) to
      (..., dim OUT).

    Raises:
      IntertwineError: a depth that is not a positive int.

    >>> import jax, jax.numpy as jnp
    >>> net = irrep_network("O(3)", "1x1o", "1x1o", "2x0e + 1x1o", 1)
    >>> params = net.init(jax.random.PRNGKey(0))
    >>> jax.jit(net.apply)(params, jnp.ones((3, 3))).shape
    (3, 3)
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise IntertwineError(f"depth must be a positive int, not {depth!r}")
    act, ri, ro, hid = resolve(action, rep_in, rep_out, hidden)
    gate = irrep_gate(act, hid, scalar_fn)
    ins = [ri] + [hid] * (depth - 1)
    linears = [equivariant_linear(act, r, gate.rep_in) for r in ins]
    linears.append(equivariant_linear(act, hid, ro))
    # a step whose input has no products into H ⊕ g × 1 (e.g. scalars only) has none
    tps: list[TensorProductLayer | None] = []
    if products:
        plans = [tensor_product_plan(act, r, r, gate.rep_in) for r in ins]
        tps = [layer_from_plan(p) if p.num_weights else None for p in plans]
    if not any(tps):
        tps = []

    def init(key):
        import jax

        keys = jax.random.split(key, len(linears) + len(tps))
        params: dict = {"linear": [lay.init(k) for lay, k in zip(linears, keys)]}
        if tps:
            params["products"] = [
                None if t is None else t.init(k) for t, k in zip(tps, keys[len(linears) :])
            ]
        return params

    def apply(params, x):
        for i in range(depth):
            h = linears[i].apply(params["linear"][i], x)
            tp = tps[i] if tps else None
            if tp is not None:
                h = h + tp.apply(params["products"][i], x, x)
            x = gate(h)
        return linears[-1].apply(params["linear"][-1], x)

    text = f"{act.name}: {ri} -> {ro}, {depth} x (linear + products + gate) ({hid})"
    return Network(init, apply, text if tps else text.replace(" + products", ""))
