"""Networks for any group: equivariant linear + bilinear layers and gated nonlinearities.

- :func:`equivariant_bilinear`: y = M(x) x with M(x) ∈ Hom(IN, OUT) given by an equivariant linear
  map IN → OUT ⊗ IN* (EMLP's cheap bilinear form). Under g, M(g·x) = ρ_out(g) M(x) ρ_in(g)⁻¹, so
  M(g·x) (g·x) = ρ_out(g) M(x) x. Groups only (IN* needs ρ(g⁻¹)). It forms products a linear
  layer and a gate cannot: dot products, outer products, cross products.
- :func:`product_layer`: EMLP's cheap form, y_b = Σ w M_c(x) x_a with M_c(x) a block of x of
  type OUT_b ⊗ IN_a*, and outer products x_a ⊗ x_c into blocks of type IN_a ⊗ IN_c; no solve at
  all, so it scales to wide mixed hidden reps.
- :func:`gated_network`: IN → H → ... → H → OUT, each hidden step a linear map into H ⊕ 1^g
  (plus, optionally, products) followed by the gated nonlinearity of ``_gated``; H is any rep,
  e.g. :func:`mixed_rep` (scalars, vectors and matrices side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ...core import Action, Rep
from ...errors import IntertwineError
from ...spec import resolve
from ._core import Layer, equivariant_linear
from ._gated import gated, gated_rep
from ._module import Apply, Init


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
    """A pure network: ``init(key) -> params``, ``apply(params, x) -> y`` on (..., dim IN) (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
    description: str
    plan: Any = None  # an InvariantNetworkPlan: what its exports read (None for other networks)

    def __repr__(self) -> str:
        return f"Network({self.description})"


def product_layer(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    *,
    max_copies: int = 4,
    scale: float = 0.1,
) -> Network:
    """The cheap bilinear map of EMLP: y_b = Σ_{a,c} w_{b,a,c} M_c(x) x_a, where M_c(x) is a block
    c of x itself whose type is OUT_b ⊗ IN_a* (read as a d_b × d_a matrix; or IN_a* ⊗ OUT_b,
    transposed). Such an x_c transforms as ρ_b M ρ_a⁻¹, so the product is equivariant for every
    group; no solve is needed. At most ``max_copies`` blocks c serve each (b, a) pair. Scalars
    times scalars, scalars times vectors, dot products (1 ← V with M = a V block) and matrix-vector
    products all arise this way; and a block of type OUT_b = IN_a ⊗ IN_c (neither a scalar) is
    also fed the outer products x_a ⊗ x_c of input blocks (v ⊗ w ← V, V), which no block of x
    gives when x holds no V**3. Shapes: x (..., dim IN) → (..., dim OUT); parameters ``{"w":
    [...], "outer": [...]}`` (``"outer"`` only where such blocks exist). Raises IntertwineError for
    monoids and where no product exists."""
    import numpy as np

    from ._gated import blocks

    act, ri, ro = resolve(action, rep_in, rep_out)
    if not act.is_group:
        raise IntertwineError(
            f"{act.name} is a monoid: a product layer reads blocks of type OUT ⊗ IN*, and IN* "
            f"needs ρ(g⁻¹); use linear layers and gates"
        )
    ins, outs = blocks(ri), blocks(ro)
    # group the (out block, in block, matrix block) triples by their block types, so that each
    # group is one einsum over stacked copies
    types: list[Rep] = []

    def type_id(r: Rep) -> int:
        for i, t in enumerate(types):
            if t == r:
                return i
        types.append(r)
        return len(types) - 1

    in_t = [type_id(b.rep) for b in ins]
    out_t = [type_id(b.rep) for b in outs]
    groups = []
    for to in sorted(set(out_t)):
        for ti in sorted(set(in_t)):
            t_out, t_in = types[to], types[ti]
            want, flipped = t_out * t_in.dual(), t_in.dual() * t_out
            straight = [b for b in ins if b.rep == want][:max_copies]
            turned = [] if straight else [b for b in ins if b.rep == flipped][:max_copies]
            form = None
            if not (straight or turned):
                # with an invariant form η on IN_a (Lorentz, symplectic), a block of type
                # OUT_b ⊗ IN_a serves as M η: ρ_b M ρ_aᵀ η ρ_a = ρ_b M η
                form = _form_of(act, t_in)
                if form is not None:
                    straight = [b for b in ins if b.rep == t_out * t_in][:max_copies]
            mats = straight or turned
            if not mats:
                continue
            o_idx = [b for b, t in zip(outs, out_t) if t == to]
            i_idx = [b for b, t in zip(ins, in_t) if t == ti]
            groups.append(
                (o_idx, i_idx, mats, bool(turned), t_out.dim, t_in.dim, form if straight else None)
            )
    # outer products: a block of type OUT_b = IN_a ⊗ IN_c is made from two input blocks,
    # y_b = Σ w x_a ⊗ x_c (equivariant as ρ_a x_a ⊗ ρ_c x_c = (ρ_a ⊗ ρ_c)(x_a ⊗ x_c)); this is
    # how vectors give matrices (v ⊗ w) where no block of type OUT_b ⊗ IN_a* exists
    outers = []
    for to in sorted(set(out_t)):
        for t1 in sorted(set(in_t)):
            for t2 in sorted(set(in_t)):
                if types[t1].dim == 1 or types[t2].dim == 1 or types[t1] * types[t2] != types[to]:
                    continue
                o_idx = [b for b, t in zip(outs, out_t) if t == to]
                a_idx = [b for b, t in zip(ins, in_t) if t == t1][:max_copies]
                c_idx = [b for b, t in zip(ins, in_t) if t == t2][:max_copies]
                outers.append((o_idx, a_idx, c_idx, types[t1].dim, types[t2].dim))
    if not groups and not outers:
        raise IntertwineError(
            f"no block of {ri} has the type OUT_b ⊗ IN_a* that a product {ri} -> {ro} needs; add "
            f"such blocks (e.g. V**2 or V* * V) to the input rep"
        )

    def spans(bs) -> np.ndarray:
        return np.concatenate([np.arange(b.start, b.start + b.size) for b in bs]).astype(np.int32)

    plans = []
    for o, i, m, *_ in groups:
        place = np.zeros((sum(b.size for b in o), ro.dim), np.float32)
        place[np.arange(place.shape[0]), spans(o)] = 1.0  # scatter as a 0/1 matrix product
        plans.append((spans(i), spans(m), place))

    outer_plans = []
    for o, a, c, *_ in outers:
        place = np.zeros((sum(b.size for b in o), ro.dim), np.float32)
        place[np.arange(place.shape[0]), spans(o)] = 1.0
        outer_plans.append((spans(a), spans(c), place))

    def init(key):
        import jax

        keys = jax.random.split(key, len(groups) + len(outers))
        params = {
            "w": [
                scale * jax.random.normal(k, (len(o), len(i), len(m))) / np.sqrt(len(i) * len(m))
                for k, (o, i, m, *_) in zip(keys, groups)
            ]
        }
        if outers:
            params["outer"] = [
                scale * jax.random.normal(k, (len(o), len(a), len(c))) / np.sqrt(len(a) * len(c))
                for k, (o, a, c, *_) in zip(keys[len(groups) :], outers)
            ]
        return params

    def apply(params, x):
        import jax.numpy as jnp

        x = jnp.asarray(x)
        lead = x.shape[:-1]
        y = jnp.zeros(lead + (ro.dim,), x.dtype)
        for w, group, (gi, gm, place) in zip(params["w"], groups, plans):
            o, i, m, turned, d_o, d_i, form = group
            xs = jnp.take(x, jnp.asarray(gi), axis=-1).reshape(lead + (len(i), d_i))
            if form is not None:
                xs = xs @ jnp.asarray(form.T, x.dtype)
            ms = jnp.take(x, jnp.asarray(gm), axis=-1)
            ms = ms.reshape(lead + ((len(m), d_i, d_o) if turned else (len(m), d_o, d_i)))
            if turned:
                ms = jnp.swapaxes(ms, -1, -2)
            z = jnp.einsum("...cpq,...aq->...cap", ms, xs)  # M_c x_a
            yo = jnp.einsum("kac,...cap->...kp", w.astype(x.dtype), z)
            y = y + yo.reshape(lead + (len(o) * d_o,)) @ jnp.asarray(place, x.dtype)
        for w, (o, a, c, d_a, d_c), (ga, gc, place) in zip(
            params.get("outer", []), outers, outer_plans
        ):
            xa = jnp.take(x, jnp.asarray(ga), axis=-1).reshape(lead + (len(a), d_a))
            xc = jnp.take(x, jnp.asarray(gc), axis=-1).reshape(lead + (len(c), d_c))
            yo = jnp.einsum("kac,...ap,...cq->...kpq", w.astype(x.dtype), xa, xc)
            y = y + yo.reshape(lead + (len(o) * d_a * d_c,)) @ jnp.asarray(place, x.dtype)
        return y

    return Network(init, apply, f"products {act.name}: {ri} -> {ro}")


def _form_of(act: Action, rep: Rep):
    """η^{⊗k} on V^⊗k for a group with an invariant bilinear form η on V (None otherwise)."""
    import numpy as np

    from ...groups import invariant_form

    if len(act.degrees) != 1:
        return None
    eta = invariant_form(act)
    if eta is None:
        return None
    for k in range(1, 5):
        if rep.dim == act.degrees[0] ** k and rep == act.V() ** k:
            out = np.ones((1, 1))
            for _ in range(k):
                out = np.kron(out, eta.to_numpy())
            return out
    return None


def _products_or_none(act: Action, rep_in: Rep, rep_out: Rep, max_copies: int) -> Network | None:
    """A product layer where the input has blocks to multiply with (groups only), else None."""
    if not act.is_group:
        return None
    try:
        return product_layer(act, rep_in, rep_out, max_copies=max_copies)
    except IntertwineError:
        return None


def gated_network(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: Rep | str,
    depth: int,
    *,
    bilinear: bool = False,
    product_head: bool = False,
    max_copies: int = 4,
    scalar_fn: Callable | None = None,
) -> Network:
    """``depth`` hidden steps of linear (+ products) → gated nonlinearity, then a linear map to
    OUT. Equivariant for every group and monoid whose scalars are invariant.

    - ``bilinear``: each step adds a :func:`product_layer` of its input (EMLP's bilinear layer;
      skipped for monoids and where the input has no blocks to multiply with).
    - ``product_head``: the output also gets a :func:`product_layer` of the last step's
      pre-activation h (before the gate): y = L(σ(h)) + P(h, h). If the steps hold the products
      of the input, y contains polynomials of degree 4 in x that no gate bends, so it extrapolates
      a polynomial target (e.g. EMLP's O(1,3) scattering amplitude) beyond the training range.
      Groups only (an IntertwineError for a monoid, or where h has no blocks to multiply with).
    - ``max_copies``: how many blocks of a rep serve as multipliers in each product layer.

    Shapes: x (..., dim IN) → (..., dim OUT). Raises IntertwineError for a bad ``depth``,
    ``max_copies`` or flag, and for a product head with nothing to multiply. Example::

        net = gated_network("O(1,3)", "4*V", "1", mixed_rep("O(1,3)", 128), 1,
                            bilinear=True, product_head=True)
        y = net.apply(net.init(jax.random.PRNGKey(0)), x)   # x (..., 16) -> y (..., 1)

    Source: the gated nonlinearity and the cheap bilinear layer of EMLP (Finzi, Welling, Wilson,
    ICML 2021, section 5); the products by block types, :func:`product_layer`.
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise IntertwineError(f"depth must be a positive int, not {depth!r}")
    if not isinstance(max_copies, int) or isinstance(max_copies, bool) or max_copies < 1:
        raise IntertwineError(f"max_copies must be a positive int, not {max_copies!r}")
    for flag, value in (("bilinear", bilinear), ("product_head", product_head)):
        if not isinstance(value, bool):
            raise IntertwineError(f"{flag} must be True or False, not {value!r}")
    act, ri, ro, hid = resolve(action, rep_in, rep_out, hidden)
    wide = gated_rep(hid)
    linears = [equivariant_linear(act, ri if i == 0 else hid, wide) for i in range(depth)]
    linears.append(equivariant_linear(act, hid, ro))
    bilinears = [
        _products_or_none(act, ri if i == 0 else hid, wide, max_copies) for i in range(depth)
    ]
    if not bilinear:
        bilinears = []
    head = None
    if product_head:
        if not act.is_group:
            raise IntertwineError(
                f"{act.name} is a monoid: a product head reads blocks of type OUT ⊗ IN*, and IN* "
                f"needs ρ(g⁻¹); use product_head=False"
            )
        try:
            head = product_layer(act, wide, ro, max_copies=max_copies)
        except IntertwineError:
            raise IntertwineError(
                f"the product head has nothing to multiply: no block of the hidden rep {hid} (and "
                f"its gates) pairs into {ro}; add such blocks to hidden (e.g. V**2 or V* * V) or "
                f"use product_head=False"
            ) from None
    sigma = gated(hid, scalar_fn)

    def init(key):
        import jax

        keys = jax.random.split(key, len(linears) + len(bilinears) + (head is not None))
        params: dict = {"linear": [lay.init(k) for lay, k in zip(linears, keys)]}
        if bilinears:
            params["bilinear"] = [
                None if b is None else b.init(k) for b, k in zip(bilinears, keys[len(linears) :])
            ]
        if head is not None:
            params["head"] = head.init(keys[-1])
        return params

    def apply(params, x):
        for i in range(depth):
            h = linears[i].apply(params["linear"][i], x)
            bil = bilinears[i] if bilinears else None
            if bil is not None:
                h = h + bil.apply(params["bilinear"][i], x)
            x = sigma(h)
        y = linears[-1].apply(params["linear"][-1], x)
        if head is not None:
            y = y + head.apply(params["head"], h)
        return y

    text = f"{act.name}: {ri} -> {ro}, {depth} x gated ({hid})" + (", bilinear" if bilinear else "")
    if head is not None:
        text += ", product head"
    return Network(init, apply, text)
