"""The core of an exported invariant-theory network, in the ``_dialect`` vocabulary: one template
for NumPy, JAX and PyTorch, from an :class:`~intertwine.codegen.layout.InvariantNetworkPlan`.

The template follows the JAX network line by line (``layers/_invariant``, ``layers/_fft``):
features, MLP with swish, the linear / quadratic / graded polynomial head, the bilinear head,
then the basis maps of each output block. The polynomial head's weight matrix is a gather of the
weights with one zero appended (as a tied layer's W), so no target needs a scatter. Lines tagged
``# [feature]`` are kept only when the plan has that feature.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..layout import InvariantNetworkPlan, signed_minors
from ._recipe import Recipe
from ._template import Constant, listed, templated_recipe

_FEATURES = '''
def _features(x):
    """The invariants z (B, FEATURES) of x (B, IN_DIM)."""
    parts = [x[..., :0]]
    parts.append(x[..., $SCALARS])  # [scalars]
    vs = x[..., $VECTORS]  # [vectors]
    vt = xp.swapaxes(vs, -1, -2)  # [forms]
    gram = MATMUL(vs, $ETA_D)  # [forms]
    gram = MATMUL(gram, vt)  # [forms]
    parts.append(gram[..., $PAIRS[0], $PAIRS[1]])  # [forms]
    dets = xp.linalg.det(vs[..., $DET_SUBSETS, :])  # [dets]
    parts.append(dets * $DET_SCALE)  # [dets]
    parts.append(@_monomials(vs)[..., 1:].mean(-2))  # [powers]
    parts.append(xp.ones_like(x[..., :1]))  # [constant]
    z = CAT(parts, -1)
    g = MATMUL(vs, $ETA)  # [norms]
    g = MATMUL(g, vt)  # [norms]
    r = xp.sqrt(g[..., $DIAG, $DIAG] + 1e-12)  # [norms]
    i, j = $COS[0], $COS[1]  # [norms]
    cos = g[..., i, j] / (r[..., i] * r[..., j])  # [norms]
    z = CAT([z, r * $INV_SQRT_D, cos], -1)  # [norms]
    return z


def _network(ws, bs, poly, bil_a, bil_b, bil_c, x):
    """y (B, OUT_DIM) for x (B, IN_DIM): the invariants, the MLP and the heads
    give the coefficients of each output block's basis maps."""
    z = @_features(x)
    h = z
    for i in range(len(ws)):
        h = MATMUL(h, ws[i])
        h = h + CAST(bs[i], h)[None]
        if i < len(ws) - 1:
            h = h * (0.5 + 0.5 * xp.tanh(0.5 * h))
    lin = MATMUL(z, poly)  # [linear]
    h = h + $GAIN * lin  # [linear]
    zz = (z[..., :, None] * z[..., None, :])[..., $IU[0], $IU[1]]  # [quadratic]
    zz = CAT([z, zz], -1)  # [quadratic]
    lin = MATMUL(zz, poly)  # [quadratic]
    h = h + $GAIN * lin  # [quadratic]
    n_in = $N_IN  # [polynomial]
    zp = CAT([z[..., :n_in], xp.ones_like(z[..., :1])], -1)  # [polynomial]
    mono = xp.prod(zp[..., $HEAD_INDEX], -1)  # [polynomial]
    w = CAT([CAST(poly, z), ZEROS([1], z)], 0)  # [polynomial]
    w = w[$HEAD_GATHER]  # [polynomial]
    w = w.reshape([$N_MONO, $N_COEF])  # [polynomial]
    lin = MATMUL(mono, w)  # [polynomial]
    h = h + $GAIN * lin  # [polynomial]
    qa = MATMUL(z, bil_a)  # [bilinear]
    qb = MATMUL(z, bil_b)  # [bilinear]
    q = qa * qb  # [bilinear]
    h = h + MATMUL(q, bil_c)  # [bilinear]
    vs = x[..., $VECTORS]
    ys = [x[..., :0]]
    for t in $OUTS:
        start, stop = t[1], t[1] + t[2]
        coef = h[..., start:stop]
        if t[0] == 0:
            ys.append(coef)
        elif t[0] == 1:
            ys.append(@_vector(coef, vs))
        else:
            ys.append(@_matrix(coef, vs))
    return CAT(ys, -1)
'''

_FORMS = '''

def _crosses(vs):  # [crosses]
    """(B, S, D): c(S) = η⁻¹ e(S), e(S)_a = det[e_a; v_S], |S| = D − 1."""  # [crosses]
    rows = vs[..., $CROSS_SUBSETS, :]  # [crosses]
    minors = xp.swapaxes(rows[..., $KEEP1], -3, -2)  # [crosses]
    e = xp.linalg.det(minors) * CAST($SIGN1, vs)[None, None]  # [crosses]
    return MATMUL(e, $ETA_INV)  # [crosses]


def _tdets(vs):  # [tterms]
    """(B, S', D(D − 1)): det[e_a; e_b; v_S'], |S'| = D − 2, a ≠ b."""  # [tterms]
    rows = vs[..., $T_SUBSETS, :]  # [tdets]
    minors = xp.swapaxes(rows[..., $KEEP2], -3, -2)  # [tdets]
    return xp.linalg.det(minors) * CAST($SIGN2, vs)[None, None]  # [tdets]
    return xp.ones_like(vs[..., :1, :1]) * CAST($SIGN2, vs)[None, None]  # [tones]


def _vector(coef, vs):
    """Σ f_i v_i (+ Σ g_S c(S))."""
    m = $M
    y = (coef[..., :m, None] * vs).sum(-2)
    y = y + (coef[..., m:, None] * @_crosses(vs)).sum(-2)  # [crosses]
    return y


def _matrix(coef, vs):
    """Σ f_ij v_i⊗v_j + f_0 η⁻¹ (+ the SO terms), flattened row-major."""
    m, d = $M, $D
    lead = coef.shape[:-1]
    f = coef[..., : m * m].reshape(lead + (m, m))
    vt = xp.swapaxes(vs, -1, -2)
    y = MATMUL(vt, f)
    y = MATMUL(y, vs)
    y = y + coef[..., m * m, None, None] * CAST($ETA_INV, vs)[None]
    at1, at2, at3, k1 = $AT1, $AT2, $AT3, $K1  # [crosses]
    c = @_crosses(vs)  # [crosses]
    g = coef[..., at1:at2].reshape(lead + (k1, m))  # [crosses]
    k = coef[..., at2:at3].reshape(lead + (k1, m))  # [crosses]
    ct = xp.swapaxes(c, -1, -2)  # [crosses]
    cg = MATMUL(ct, g)  # [crosses]
    y = y + MATMUL(cg, vs)  # [crosses]
    kt = xp.swapaxes(k, -1, -2)  # [crosses]
    vk = MATMUL(vt, kt)  # [crosses]
    y = y + MATMUL(vk, c)  # [crosses]
    at3 = $AT3  # [tterms]
    e = @_tdets(vs)  # [tterms]
    e = MATMUL(e, $T_SCATTER)  # [tterms]
    e = e.reshape(e.shape[:-1] + (d, d))  # [tterms]
    inv = CAST($ETA_INV, vs)  # [tterms]
    t = MATMUL(inv, e)  # [tterms]
    invt = xp.swapaxes(inv, -1, -2)  # [tterms]
    t = MATMUL(t, invt)  # [tterms]
    y = y + (coef[..., at3:, None, None] * t).sum(-3)  # [tterms]
    return y.reshape(lead + (d * d,))
'''

_POWERS = '''

def _monomials(vs):
    """(B, D, K): Π_i v_i[k]^α_i for each exponent α."""
    t = xp.swapaxes(vs, -1, -2)[..., :, None, :]
    return xp.prod(t ** CAST($EXPONENTS, vs)[None, None], -1)


def _vector(coef, vs):
    """y[k] = Σ_β f_β v[k]^β."""
    return (@_monomials(vs) * coef[..., None, :]).sum(-1)


def _matrix(coef, vs):
    """y[k, l] = Σ f_βγ v[k]^β v[l]^γ + δ_kl Σ g_β v[k]^β, flattened row-major."""
    k, d = $K, $D
    mono = @_monomials(vs)
    lead = coef.shape[:-1]
    f = coef[..., : k * k].reshape(lead + (k, k))
    y = MATMUL(mono, f)
    mt = xp.swapaxes(mono, -1, -2)
    y = MATMUL(y, mt)
    diag = (mono * coef[..., None, k * k :]).sum(-1)
    y = y + diag[..., :, None] * CAST($ETA_INV, vs)[None]
    return y.reshape(lead + (d * d,))
'''


def _i64(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.int64)


def network_recipe(plan: InvariantNetworkPlan) -> Recipe:
    """The recipe of ``plan``'s core: its arrays, constants and the three cores."""
    d, m = plan.d, plan.m
    feats = {"vectors"} if m and plan.n_real else set()
    arrays: dict[str, np.ndarray] = {"vectors": _i64(plan.vectors)}
    ints = {"M": m, "D": d, "N_IN": plan.n_in, "N_COEF": plan.n_coef}
    floats = {"GAIN": plan.gain}
    if len(plan.scalars):
        feats.add("scalars")
        arrays["scalars"] = _i64(plan.scalars)
    if plan.n_real == 0:
        feats.add("constant")
    elif m and plan.permutation:
        feats.add("powers")
    elif m:
        feats.add("forms")
        arrays["eta_d"], arrays["pairs"] = plan.eta / d, _i64(plan.pairs)
    if len(plan.det_subsets):
        feats.add("dets")
        arrays["det_subsets"] = _i64(plan.det_subsets)
        floats["DET_SCALE"] = 1 / math.sqrt(math.factorial(d))
    if plan.norms:
        feats.add("norms")
        arrays["eta"], arrays["diag"] = plan.eta, _i64(np.arange(m))
        arrays["cos"] = _i64(np.stack(np.triu_indices(m, 1)))
        floats["INV_SQRT_D"] = 1 / math.sqrt(d)
    feats.add(plan.head)
    n = plan.sizes[0]
    if plan.head == "quadratic":
        arrays["iu"] = _i64(np.stack(np.triu_indices(n)))
    if plan.head == "polynomial":
        n_mono = int(plan.head_index.shape[0])
        gather = np.full(n_mono * plan.n_coef, len(plan.head_rows), dtype=np.int64)
        gather[plan.head_rows * plan.n_coef + plan.head_cols] = np.arange(len(plan.head_rows))
        arrays["head_index"], arrays["head_gather"] = _i64(plan.head_index), gather
        ints["N_MONO"] = n_mono
    if plan.rank:
        feats.add("bilinear")
    arrays["eta_inv"] = np.linalg.inv(plan.eta)
    template = _FEATURES + (_POWERS if plan.permutation else _FORMS)
    if plan.permutation:
        arrays["exponents"] = plan.exponents.astype(np.float64)
        ints["K"] = int(plan.exponents.shape[0])
    else:
        k1 = len(plan.cross_subsets)
        if k1:
            feats.add("crosses")
            keep, sign = signed_minors(d, 1)
            arrays |= {"cross_subsets": _i64(plan.cross_subsets), "keep1": _i64(keep)}
            arrays["sign1"] = sign.astype(np.float64)
            at1 = m * m + 1
            ints |= {"K1": k1, "AT1": at1, "AT2": at1 + k1 * m, "AT3": at1 + 2 * k1 * m}
        if len(plan.t_subsets):
            feats |= {"tterms", "tdets" if d > 2 else "tones"}
            keep, sign = signed_minors(d, 2)
            scatter = np.zeros((len(sign), d * d))
            for row, (a, b) in enumerate(itertools.permutations(range(d), 2)):
                scatter[row, a * d + b] = 1.0
            arrays |= {"t_subsets": _i64(plan.t_subsets), "keep2": _i64(keep)}
            arrays |= {"sign2": sign.astype(np.float64), "t_scatter": scatter}
            ints.setdefault("AT3", m * m + 1)
    constants = [Constant(k, "int", str(v)) for k, v in ints.items()]
    constants += [Constant(k, "float", repr(float(v))) for k, v in floats.items()]
    constants.append(listed("OUTS", "list[list[int]]", [str(list(t)) for t in plan.outs]))
    return templated_recipe("invariant_network", template, arrays, constants, frozenset(feats))
