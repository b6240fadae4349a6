"""The tensor product of sums of irreps as a JAX layer: ``init(key) -> params``,
``apply(params, x, y) -> z``, one einsum per path (see ``codegen.layout._tensor_product``)."""

from __future__ import annotations

import warnings
from typing import NamedTuple

from ...core import Action, Rep
from ...errors import EmptyLayerWarning
from ...spec import resolve
from ..layout import TensorProductPlan, tensor_product_plan
from ._module import Apply, Init


class TensorProductLayer(NamedTuple):
    """A pure bilinear layer: ``init(key) -> {"weights": (num_weights,)}``, ``apply(params, x,
    y) -> z`` on x (..., dim A), y (..., dim B), z (..., dim OUT); and its plan (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
    plan: TensorProductPlan

    def __repr__(self) -> str:
        return f"TensorProductLayer({self.plan.describe()})"


def apply_tensor_product(plan: TensorProductPlan, weights, x, y):
    """z (n, dim OUT) from the flat weights, x (n, dim A) and y (n, dim B), in JAX."""
    import jax.numpy as jnp

    n = x.shape[0]
    acc: list = [None] * len(plan.out)
    spec = "zua,zvb,pabc,puvw->zwc" if plan.mode == "uvw" else "zua,zvb,pabc,puv->zuc"
    for path in plan.paths:
        sa, sb = plan.a[path.i], plan.b[path.j]
        xa = x[:, sa.start : sa.start + sa.size].reshape(n, sa.mul, sa.d)
        yb = y[:, sb.start : sb.start + sb.size].reshape(n, sb.mul, sb.d)
        w = weights[path.offset : path.offset + path.size].reshape(path.shape)
        cg = jnp.asarray(path.cg, x.dtype)
        z = jnp.einsum(spec, xa, yb, cg, w, precision="highest")
        acc[path.k] = z if acc[path.k] is None else acc[path.k] + z
    parts = [
        jnp.zeros((n, s.size), x.dtype) if z is None else z.reshape(n, s.size)
        for s, z in zip(plan.out, acc)
    ]
    return jnp.concatenate(parts, -1) if parts else jnp.zeros((n, 0), x.dtype)


def tensor_product(
    action: Action | str,
    rep_a: Rep | str,
    rep_b: Rep | str,
    rep_out: Rep | str,
    *,
    mode: str = "uvw",
    dtype=None,
) -> TensorProductLayer:
    """The tensor product A ⊗ B → OUT with learned weights per path, as a pair of pure functions.

    Every (segment of A, segment of B, segment of OUT) whose Clebsch–Gordan space is nonzero is
    a path (for O(3): the triangle rule and p_a p_b = p_c); ``mode="uvw"`` mixes all copies
    (e3nn's ``FullyConnectedTensorProduct``), ``"uvu"`` keeps the copies of A (channel-wise:
    the triples whose output segment has the multiplicity of the A segment are paths). Weights
    θ ~ N(0, 1) with e3nn's component/element normalisation folded into the constants.

    Args:
      action: an :class:`Action` or a spec (``"O(3)"``); any group whose Clebsch–Gordan
        coefficients :func:`~intertwine.clebsch_gordan` gives.
      rep_a: the rep A of the first input, a sum of irreps (``"8x0e + 8x1o"``, or of reps
        from :func:`~intertwine.to_irreps`).
      rep_b: the rep B of the second input, likewise.
      rep_out: the output rep, likewise.

    Returns:
      A :class:`TensorProductLayer`; ``apply(params, x, y)`` maps x (..., dim A) and y
      (..., dim B) to z (..., dim OUT) in x's dtype.

    Raises:
      IntertwineError: an unknown mode, or ``uvu`` without a triple of matching
        multiplicities.
      SpecError: a bad rep.

    Warns:
      EmptyLayerWarning: no path at all (the layer outputs zeros).

    Source: Thomas et al., Tensor field networks (2018); e3nn (arXiv:2207.09453).

    >>> import jax, jax.numpy as jnp
    >>> tp = tensor_product("O(3)", "4x0e + 4x1o", "1x0e + 1x1o", "4x0e + 4x1o + 2x1e")
    >>> params = tp.init(jax.random.PRNGKey(0))
    >>> jax.jit(tp.apply)(params, jnp.ones((5, 16)), jnp.ones((5, 4))).shape
    (5, 22)
    """
    act, ra, rb, ro = resolve(action, rep_a, rep_b, rep_out)
    plan = tensor_product_plan(act, ra, rb, ro, mode)
    if plan.num_weights == 0:
        warnings.warn(
            f"{act.name}: {ra} x {rb} -> {ro} has no Clebsch-Gordan path (the triangle or "
            f"parity rule, or no matching multiplicities for uvu); this layer always outputs "
            f"zeros",
            EmptyLayerWarning,
            stacklevel=2,
        )
    return layer_from_plan(plan, dtype)


def layer_from_plan(plan: TensorProductPlan, dtype=None) -> TensorProductLayer:
    """The pure functions of a planned tensor product (no checks, no warning)."""
    ra, rb, ro = plan.rep_a, plan.rep_b, plan.rep_out

    def init(key):
        import jax
        import jax.numpy as jnp

        return {"weights": jax.random.normal(key, (plan.num_weights,), dtype or jnp.float32)}

    def apply(params, x, y):
        import jax.numpy as jnp

        x, y = jnp.asarray(x), jnp.asarray(y)
        if x.shape[-1] != ra.dim or y.shape[-1] != rb.dim:
            raise ValueError(
                f"expected inputs (..., {ra.dim}) and (..., {rb.dim}), got {x.shape} and {y.shape}"
            )
        lead = x.shape[:-1]
        y = jnp.broadcast_to(y, lead + y.shape[-1:]).astype(x.dtype)
        w = params["weights"].astype(x.dtype)
        z = apply_tensor_product(plan, w, x.reshape(-1, ra.dim), y.reshape(-1, rb.dim))
        return z.reshape(lead + (ro.dim,))

    return TensorProductLayer(init, apply, plan)
