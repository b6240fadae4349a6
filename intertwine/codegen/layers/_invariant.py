"""Invariant-theory networks: invariants → MLP → coefficients of the equivariant basis maps.

x = (scalars s, vectors v_1..v_m) ∈ 1^k ⊕ V^m. The network computes the invariants of the FFT
(``_fft``: forms ⟨v_i, v_j⟩_η, determinants for SO, power sums for S(n)), feeds them with s to a
plain MLP, and reads its output as the coefficients f of the equivariant maps of each output
block: a scalar block is an output number itself, a V block Σ f_i v_i (+ cross products for SO),
a V⊗V block Σ f_ij v_i⊗v_j + f_0 η⁻¹ (+ the SO terms). Since the invariants are invariant and the
basis maps equivariant, the network is equivariant for any weights; by the FFT and the
universality of MLPs on the invariants, such networks approximate every continuous equivariant
map on compact sets (Villar et al., "Scalars are universal", NeurIPS 2021, for O(n) and O(1,d)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ...core import Action, Rep
from ...errors import IntertwineError, RepError
from ...spec import resolve
from ..layout import lift
from ._fft import FormFamily, FormPlan, PermutationFamily, Plan, family_of, plan_for
from ._gated import blocks
from ._invariant_plan import export_plan
from ._network import Network
from ._polynomial import polynomial_head

MAX_COEFFICIENTS = 1 << 14


@dataclass(frozen=True)
class OutBlock:
    """One summand of OUT: ``kind`` is scalar, vector (V) or matrix (V⊗V)."""

    kind: str
    start: int  # first coefficient of this block in the MLP's output
    size: int  # number of coefficients


def _split_input(act: Action, rep: Rep) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the scalar inputs and (m, d) indices of the vector inputs."""
    scalars: list[int] = []
    vectors: list[np.ndarray] = []
    v = act.V()
    for b in blocks(rep):
        if b.scalar:
            scalars.append(b.start)
        elif b.rep == v:
            vectors.append(np.arange(b.start, b.start + b.size))
        else:
            raise RepError(
                f"invariant_network takes inputs that are sums of copies of 1 and V, and {rep} "
                f"has a block {b.rep}; write it as copies of V (or use gated_network)"
            )
    d = act.degrees[0]
    return (
        np.asarray(scalars, dtype=np.int32),
        np.asarray(vectors, dtype=np.int32).reshape(len(vectors), d),
    )


def _out_blocks(act: Action, rep: Rep, plan: Plan) -> list[OutBlock]:
    v = act.V()
    out: list[OutBlock] = []
    at = 0
    for b in blocks(rep):
        if b.scalar:
            kind = "scalar"
        elif b.rep == v:
            kind = "vector"
        elif b.rep == v * v:
            kind = "matrix"
        else:
            raise RepError(
                f"invariant_network gives outputs that are sums of 1, V and V**2, and {rep} has "
                f"a block {b.rep}; split the output into such blocks (or use gated_network)"
            )
        size = 1 if kind == "scalar" else plan.n_coefficients(kind)
        out.append(OutBlock(kind, at, size))
        at += size
    return out


def invariant_network(
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    hidden: int,
    depth: int,
    *,
    degree: int = 2,
    bilinear: int | None = None,
    quadratic: bool = False,
    polynomial: int | None = None,
    gain: float = 1.0,
    norms: bool = False,
    activation: Callable | None = None,
) -> Network:
    """An equivariant network from the first fundamental theorem of invariant theory.

    IN must be a sum of copies of ``1`` and ``V``, OUT of ``1``, ``V`` and ``V**2``; the group is
    O(n), SO(n), O(p,q), SO(p,q), Sp(n) (with its own form η: identity, diag(+1, −1), J) or S(n)
    (power sums up to per-point ``degree``). The invariants z (forms, determinants, power sums,
    and the scalar inputs) give the coefficients f of the equivariant basis maps of each output
    block as the sum of three heads: an MLP (``depth`` hidden layers of ``hidden``, swish or
    ``activation``), a linear map of z, and a bilinear head C((A z) ⊙ (B z)) of rank
    ``bilinear`` (default ``hidden``; 0 for none): a low-rank quadratic form of the invariants,
    as in factorization machines (Rendle, ICDM 2010) and EMLP's bilinear layers, so that the
    equivariant polynomial maps of low degree (the inertia tensor, the electron-muon amplitude)
    are represented exactly with few parameters. ``quadratic`` adds the full quadratic form
    (every product z_i z_j for every coefficient; many parameters, slow to train with Adam).
    ``polynomial=D`` replaces the linear head by the graded polynomial head: coefficient c of a
    basis map of degree e (v_i: 1, v_i⊗v_j: 2, η⁻¹: 0, ...) gets every monomial of the invariants
    of degree ≤ D − e (scalar inputs degree 1, forms 2, determinants n, power sums |α|), so the
    head spans exactly the equivariant polynomial maps of degree ≤ D of the FFT's spanning set,
    linearly in its weights (Weyl's FFT; degree counting as in Villar et al. 2021): the inertia
    tensor Σ m_i(|r_i|² I − r_i r_iᵀ) is degree 3, the electron-muon amplitude degree 4.
    ``gain`` multiplies the output of the linear (or polynomial) head: a reparametrisation that
    changes no function, only how fast Adam (whose steps are about lr per weight, whatever the
    gradient's scale) moves the head (with Adam at 3e-3, 10 trained EMLP's inertia and particle
    tasks best). The polynomial head starts at zero, as does the MLP's last layer.
    ``norms=True`` (O(n), SO(n) only: a positive-definite form) also feeds the MLP and the
    bilinear head the lengths |v_i| / sqrt(n) and the cosines ⟨v_i, v_j⟩ / (|v_i| |v_j|):
    functions of the forms, so invariant, but not polynomials (so the polynomial head does not
    take them); targets that are smooth in lengths and angles rather than in the forms (EMLP's
    O(5) task, sin|r_1| − |r_2|³/2 + cos∠(r_1, r_2)) need far fewer samples with them.
    Shapes: x (..., dim IN) → y (..., dim OUT); parameters: ``{"mlp": [(weight, bias), ...],
    "poly": matrix, "bilinear": (A, B, C)}`` (no ``"bilinear"`` entry when its rank is 0;
    with ``polynomial``, ``"poly"`` is the vector of the graded head's weights).

    Raises ActionError for other groups, RepError for other blocks and IntertwineError for bad
    sizes or ``norms=True`` without a definite form (one line with the fix).

    >>> import jax, numpy as np
    >>> net = invariant_network("O(3)", "2*V", "V**2", hidden=8, depth=1)
    >>> net.apply(net.init(jax.random.PRNGKey(0)), np.ones(6, np.float32)).shape
    (9,)
    >>> inertia = invariant_network("O(3)", "5*1 + 5*V", "V**2", 8, 0, bilinear=0, polynomial=3)
    >>> inertia.init(jax.random.PRNGKey(0))["poly"].shape  # 145 for η⁻¹, 5 for each v_i⊗v_j
    (270,)
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise IntertwineError(f"depth must be a non-negative int, not {depth!r}")
    if not isinstance(hidden, int) or isinstance(hidden, bool) or hidden < 1:
        raise IntertwineError(f"hidden must be a positive int (the MLP's width), not {hidden!r}")
    if not isinstance(degree, int) or isinstance(degree, bool) or degree < 1:
        raise IntertwineError(f"degree must be a positive int, not {degree!r}")
    rank = hidden if bilinear is None else bilinear
    if not isinstance(rank, int) or isinstance(rank, bool) or rank < 0:
        raise IntertwineError(
            f"bilinear must be a non-negative int (the rank of the bilinear head), not {rank!r}"
        )
    if polynomial is not None and (
        not isinstance(polynomial, int) or isinstance(polynomial, bool) or polynomial < 1
    ):
        raise IntertwineError(
            f"polynomial must be a positive int (the degree of the polynomial head), not "
            f"{polynomial!r}"
        )
    if isinstance(gain, bool) or not isinstance(gain, int | float) or not 0 < gain < float("inf"):
        raise IntertwineError(f"gain must be a positive finite number, not {gain!r}")
    if not isinstance(norms, bool):
        raise IntertwineError(f"norms must be True or False, not {norms!r}")
    if polynomial is not None and quadratic:
        raise IntertwineError("give polynomial= or quadratic=True, not both")
    act, ri, ro = resolve(action, rep_in, rep_out)
    family = family_of(act)
    scalars, vectors = _split_input(act, ri)
    plan = plan_for(family, len(vectors), degree)
    outs = _out_blocks(act, ro, plan)
    n_real = len(scalars) + (plan.n_invariants() if len(vectors) else 0)
    n_in = max(n_real, 1)  # no invariants at all (Sp(n) on one vector): one constant feature
    n_norm = 0
    if norms:
        if not (isinstance(family, FormFamily) and family.definite):
            raise IntertwineError(
                f"norms=True needs a positive-definite form (O(n), SO(n)), not {act.name}; "
                "leave norms=False"
            )
        m = len(vectors)
        n_norm = m + m * (m - 1) // 2
    n_feat = n_in + n_norm
    n_coef = sum(b.size for b in outs)
    if n_coef > MAX_COEFFICIENTS:
        raise RepError(
            f"invariant_network {ri} -> {ro} needs {n_coef} coefficients (over "
            f"{MAX_COEFFICIENTS}); use fewer input vectors or a lower degree"
        )
    head = None
    if polynomial is not None:
        z_deg = [np.ones(len(scalars), np.int64)]
        if len(vectors):
            z_deg.append(plan.invariant_degrees())
        zd = np.concatenate(z_deg) if n_real else np.zeros(1, np.int64)
        cd = [
            np.zeros(1, np.int64) if b.kind == "scalar" else plan.coefficient_degrees(b.kind)
            for b in outs
        ]
        head = polynomial_head(zd, np.concatenate(cd), polynomial)
    sizes = [n_feat] + [hidden] * depth + [n_coef]
    act_fn = activation
    iu = np.triu_indices(n_feat)
    n_poly = n_feat + (len(iu[0]) if quadratic else 0)

    def init(key):
        import jax
        import jax.numpy as jnp

        keys = jax.random.split(key, len(sizes) + 3)
        mlp = [
            (jax.random.normal(k, (a, b)) / np.sqrt(a), jnp.zeros(b))
            for k, a, b in zip(keys, sizes[:-1], sizes[1:])
        ]
        # the MLP starts at zero (it learns what the polynomial heads leave over)
        mlp[-1] = (jnp.zeros_like(mlp[-1][0]), mlp[-1][1])
        if head is None:
            poly = jax.random.normal(keys[-3], (n_poly, n_coef)) / n_poly
        else:  # at zero, as the MLP's last layer: the network starts at the targets' mean
            poly = jnp.zeros(head.rows.shape)
        params = {"mlp": mlp, "poly": poly}
        if rank:
            a = jax.random.normal(keys[-2], (n_feat, rank)) / np.sqrt(n_feat)
            b = jax.random.normal(keys[-1], (n_feat, rank)) / np.sqrt(n_feat)
            params["bilinear"] = (a, b, jnp.zeros((rank, n_coef)))
        return params

    def features(x):
        import jax.numpy as jnp

        lead = x.shape[:-1]
        if not n_real:
            return jnp.ones(lead + (1,), x.dtype)  # no invariants: learned constants
        parts = [x[..., scalars]] if len(scalars) else []
        if len(vectors):
            parts.append(plan.invariants(x[..., vectors]))
        if n_norm:
            assert isinstance(plan, FormPlan)  # norms=True was checked against the family
            parts.append(plan.norms(x[..., vectors]))
        return jnp.concatenate(parts, axis=-1)

    def apply(params, x):
        import jax
        import jax.numpy as jnp

        x = jnp.asarray(x)
        if x.shape[-1] != ri.dim:
            raise IntertwineError(f"the network takes (..., {ri.dim}) inputs, not {x.shape}")
        z = features(x)
        fn = act_fn or jax.nn.swish
        h = z
        for i, (w, b) in enumerate(params["mlp"]):
            h = h @ w.astype(x.dtype)
            h = h + lift(b.astype(x.dtype), h.ndim)
            if i < len(params["mlp"]) - 1:
                h = fn(h)
        if head is None:
            poly = [z, (z[..., :, None] * z[..., None, :])[..., iu[0], iu[1]]] if quadratic else [z]
            h = h + gain * (jnp.concatenate(poly, axis=-1) @ params["poly"].astype(x.dtype))
        else:
            ones = jnp.ones(z.shape[:-1] + (1,), x.dtype)
            zp = jnp.concatenate([z[..., :n_in], ones], axis=-1)  # the polynomial invariants
            mono = jnp.prod(zp[..., head.index], axis=-1)
            w = jnp.zeros((len(head.index), n_coef), x.dtype)
            w = w.at[head.rows, head.cols].set(params["poly"].astype(x.dtype))
            h = h + gain * (mono @ w)
        if "bilinear" in params:
            a, b, c = (t.astype(x.dtype) for t in params["bilinear"])
            h = h + ((z @ a) * (z @ b)) @ c
        vs = x[..., vectors]
        ys = []
        for blk in outs:
            coef = h[..., blk.start : blk.start + blk.size]
            if blk.kind == "scalar":
                ys.append(coef)
            elif blk.kind == "vector":
                ys.append(plan.vector(coef, vs))
            else:
                ys.append(plan.matrix(coef, vs))
        return jnp.concatenate(ys, axis=-1)

    export = export_plan(
        act,
        ri,
        ro,
        family,
        plan,
        scalars,
        vectors,
        outs,
        sizes=sizes,
        rank=rank,
        norms=norms,
        n_real=n_real,
        gain=float(gain),
        head=("polynomial" if head else "quadratic" if quadratic else "linear"),
        poly=head,
        swish=activation is None,
    )
    what = "power sums" if isinstance(family, PermutationFamily) else "forms"
    text = (
        f"{act.name}: {ri} -> {ro}, invariant-theory ({n_in} invariants from {what}, "
        f"MLP {depth} x {hidden}, bilinear rank {rank}, {n_coef} coefficients"
        + ("" if head is None else f", polynomial head of degree {polynomial}")
        + ")"
    )
    return Network(init, apply, text, replace(export, description=text))
