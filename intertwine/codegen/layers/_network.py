"""Networks for any group: equivariant linear + bilinear layers and gated nonlinearities.

- :func:`equivariant_bilinear`: y = M(x) x with M(x) ∈ Hom(IN, OUT) given by an equivariant linear
  map IN → OUT ⊗ IN* (EMLP's cheap bilinear form). Under g, M(g·x) = ρ_out(g) M(x) ρ_in(g)⁻¹, so
  M(g·x) (g·x) = ρ_out(g) M(x) x. Groups only (IN* needs ρ(g⁻¹)). It forms products a linear
  layer and a gate cannot: dot products, outer products, cross products.
- :func:`gated_network`: IN → H → ... → H → OUT, each hidden step a linear map into H ⊕ 1^g
  (plus, optionally, a bilinear one) followed by the gated nonlinearity of ``_gated``; H is any
  rep, e.g. :func:`mixed_rep` (scalars, vectors and matrices side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ...core import Action, Rep
from ...errors import IntertwineError
from ...spec import resolve
from ._core import Layer, equivariant_linear
from ._gated import gated, gated_rep


def equivariant_bilinear(
    action: Action | str, rep_in: Rep | str, rep_out: Rep | str, *, scale: float = 0.1
) -> Layer:
    """y = M(x) x, M(x) = reshape(L x) with L: IN → OUT ⊗ IN* equivariant (no bias); x of shape
    (..., dim IN). ``scale`` multiplies the initial L (the product is quadratic in x)."""
    act, ri, ro = resolve(action, rep_in, rep_out)
    if not act.is_group:
        raise IntertwineError(
            f"{act.name} is a monoid: a bilinear layer needs Hom(IN, OUT) = OUT ⊗ IN*, and IN* "
            f"needs ρ(g⁻¹); use linear layers and gates"
        )
    hom = ro * ri.dual()
    inner = equivariant_linear(act, ri, hom, bias=False)

    def init(key):
        params = inner.init(key)
        return {"theta": params["theta"] * scale}

    def apply(params, x):
        import jax.numpy as jnp

        x = jnp.asarray(x)
        m = inner.apply(params, x).reshape(x.shape[:-1] + (ro.dim, ri.dim))
        return jnp.einsum("...oi,...i->...o", m, x)

    return Layer(init, apply, inner.layout)


class Network(NamedTuple):
    """A pure network: ``init(key) -> params``, ``apply(params, x) -> y`` on (..., dim IN)."""

    init: Any
    apply: Any
    description: str

    def __repr__(self) -> str:
        return f"Network({self.description})"


def gated_network(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: Rep | str,
    depth: int,
    *,
    bilinear: bool = False,
    scalar_fn: Callable | None = None,
) -> Network:
    """``depth`` hidden steps of linear (+ bilinear) → gated nonlinearity, then a linear map to
    OUT. Equivariant for every group (and, without ``bilinear``, every monoid) whose scalars are
    invariant."""
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise IntertwineError(f"depth must be a positive int, not {depth!r}")
    act, ri, ro, hid = resolve(action, rep_in, rep_out, hidden)
    wide = gated_rep(hid)
    linears = [equivariant_linear(act, ri if i == 0 else hid, wide) for i in range(depth)]
    linears.append(equivariant_linear(act, hid, ro))
    bilinears = (
        [equivariant_bilinear(act, ri if i == 0 else hid, wide) for i in range(depth)]
        if bilinear
        else []
    )
    sigma = gated(hid, scalar_fn)

    def init(key):
        import jax

        keys = jax.random.split(key, len(linears) + len(bilinears))
        params: dict = {"linear": [lay.init(k) for lay, k in zip(linears, keys)]}
        if bilinears:
            params["bilinear"] = [b.init(k) for b, k in zip(bilinears, keys[len(linears) :])]
        return params

    def apply(params, x):
        for i in range(depth):
            h = linears[i].apply(params["linear"][i], x)
            if bilinears:
                h = h + bilinears[i].apply(params["bilinear"][i], x)
            x = sigma(h)
        return linears[-1].apply(params["linear"][-1], x)

    text = f"{act.name}: {ri} -> {ro}, {depth} x gated ({hid})" + (", bilinear" if bilinear else "")
    return Network(init, apply, text)
