"""Invariant-theory networks: equivariance per family with group elements built from scratch
(QR for O(n), explicit boosts for O(p,q), exp(J S) for Sp(n), permutation matrices for S(n)),
typed errors, and data efficiency on EMLP's O(5) task against a plain MLP."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg
from helpers import electron_muon, group_element, rho_blocks, x64

import intertwine as it
from intertwine.errors import ActionError, IntertwineError, RepError

CASES = [
    ("O(3)", "2*1 + 3*V", "1 + V + V**2"),
    ("SO(3)", "1 + 4*V", "1 + V + V**2"),
    ("SO(2)", "3*V", "V + V**2"),
    ("O(5)", "2*V", "1 + V**2"),
    ("O(1,3)", "4*V", "1 + V + V**2"),
    ("SO(1,3)", "4*V", "1 + V + V**2"),
    ("O(2,1)", "1 + 2*V", "V**2"),
    ("SO(2,2)", "3*V", "V + V**2"),
    ("Sp(2)", "3*V", "1 + V + V**2"),
    ("S(4)", "1 + 3*V", "1 + V + V**2"),
    ("Sp(1)", "V", "1 + V + V**2"),  # ω(v, v) = 0: no invariant at all
]


@pytest.mark.parametrize("group, rep_in, rep_out", CASES)
def test_equivariant_in_float64(group, rep_in, rep_out):
    rng = np.random.default_rng(0)
    net = it.invariant_network(group, rep_in, rep_out, hidden=16, depth=2)
    ri, ro = it.rep(group, rep_in), it.rep(group, rep_out)
    with x64():
        params = jax.tree_util.tree_map(
            lambda a: jnp.asarray(a, jnp.float64), net.init(jax.random.PRNGKey(1))
        )
        apply = jax.jit(net.apply)
        for _ in range(2):
            g = group_element(rng, group)
            x = rng.standard_normal((5, ri.dim))
            y = np.asarray(apply(params, jnp.asarray(x)))
            moved = np.asarray(apply(params, jnp.asarray(x @ rho_blocks(ri, g).T)))
            expected = y @ rho_blocks(ro, g).T
            assert np.abs(y).max() > 1e-3  # not trivially zero
            scale = np.abs(expected).max() + np.abs(g).max() ** 2
            assert np.abs(moved - expected).max() / scale < 1e-10


def test_special_groups_use_pseudo_invariants():
    """SO(3)'s network has the cross products and determinants, so a reflection breaks it;
    O(3)'s does not."""
    rng = np.random.default_rng(1)
    reflect = np.diag([-1.0, 1.0, 1.0])
    x = rng.standard_normal((4, 9))
    rho_in = scipy.linalg.block_diag(reflect, reflect, reflect)
    gaps = {}
    with x64():
        for group in ("SO(3)", "O(3)"):
            net = it.invariant_network(group, "3*V", "V", hidden=8, depth=1)
            p = jax.tree_util.tree_map(
                lambda a: jnp.asarray(a, jnp.float64), net.init(jax.random.PRNGKey(0))
            )
            y = np.asarray(net.apply(p, jnp.asarray(x)))
            moved = np.asarray(net.apply(p, jnp.asarray(x @ rho_in.T)))
            gaps[group] = np.abs(moved - y @ reflect.T).max()
    assert gaps["O(3)"] < 1e-12 < 1e-3 < gaps["SO(3)"]


@pytest.mark.parametrize(
    "group, rep_in, rep_out, error, match",
    [
        ("SL(3)", "2*V", "1", ActionError, "first fundamental theorem"),
        ("Z(4)", "V", "V", ActionError, "gated_network"),
        ("O(3)", "V**2", "1", RepError, "copies of 1 and V"),
        ("O(3)", "V", "V**3", RepError, "sums of 1, V and V\\*\\*2"),
    ],
)
def test_unsupported_families_and_reps_are_typed_errors(group, rep_in, rep_out, error, match):
    with pytest.raises(error, match=match):
        it.invariant_network(group, rep_in, rep_out, hidden=8, depth=1)


@pytest.mark.parametrize(
    "group, rep_in, rep_out, kwargs",
    [
        ("O(3)", "2*1 + 3*V", "1 + V + V**2", {}),
        ("SO(3)", "1 + 4*V", "1 + V + V**2", {}),
        ("O(5)", "2*V", "1 + V**2", {"polynomial": 3}),
    ],
)
def test_norms_and_cosines_keep_the_network_equivariant(group, rep_in, rep_out, kwargs):
    rng = np.random.default_rng(2)
    net = it.invariant_network(group, rep_in, rep_out, hidden=16, depth=1, norms=True, **kwargs)
    ri, ro = it.rep(group, rep_in), it.rep(group, rep_out)
    with x64():
        params = jax.tree_util.tree_map(
            lambda a: jnp.asarray(a, jnp.float64) + 0.1, net.init(jax.random.PRNGKey(1))
        )
        for _ in range(2):
            g = group_element(rng, group)
            x = rng.standard_normal((5, ri.dim))
            y = np.asarray(net.apply(params, jnp.asarray(x)))
            moved = np.asarray(net.apply(params, jnp.asarray(x @ rho_blocks(ri, g).T)))
            assert np.abs(y).max() > 1e-3
            assert np.abs(moved - y @ rho_blocks(ro, g).T).max() < 1e-10 * np.abs(y).max()


def test_norms_are_the_lengths_and_cosines_of_the_vectors():
    """With depth 0 and no bilinear head, the MLP is one linear map of the features: a unit
    weight reads each feature out, to compare with |v_i| / sqrt(d) and cos(v_i, v_j) computed
    here with NumPy."""
    net = it.invariant_network("O(4)", "3*V", "1", hidden=4, depth=0, bilinear=0, norms=True)
    params = net.init(jax.random.PRNGKey(0))
    params["poly"] = jnp.zeros_like(params["poly"])
    (w, b), n_feat = params["mlp"][0], params["mlp"][0][0].shape[0]
    assert n_feat == 6 + 3 + 3  # forms, norms, cosines
    x = np.random.default_rng(3).standard_normal((7, 12))
    v = x.reshape(7, 3, 4)
    r = np.linalg.norm(v, axis=-1)
    cos = [(v[:, i] * v[:, j]).sum(-1) / (r[:, i] * r[:, j]) for i, j in ((0, 1), (0, 2), (1, 2))]
    expected = np.concatenate([r / 2.0, np.stack(cos, -1)], axis=-1)
    for k in range(6):
        params["mlp"] = [(jnp.zeros_like(w).at[6 + k, 0].set(1.0), b)]
        got = np.asarray(net.apply(params, jnp.asarray(x, jnp.float32)))[:, 0]
        np.testing.assert_allclose(got, expected[:, k], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "group, norms, match",
    [
        ("O(1,3)", True, "positive-definite"),
        ("Sp(2)", True, "positive-definite"),
        ("S(4)", True, "positive-definite"),
        ("O(3)", "yes", "norms must be True or False"),
    ],
)
def test_norms_need_a_definite_form(group, norms, match):
    with pytest.raises(IntertwineError, match=match):
        it.invariant_network(group, "2*V", "V", hidden=4, depth=1, norms=norms)


def test_bad_sizes():
    with pytest.raises(IntertwineError, match="hidden must be a positive int"):
        it.invariant_network("O(3)", "V", "V", hidden=0, depth=1)
    with pytest.raises(IntertwineError, match="depth must be"):
        it.invariant_network("O(3)", "V", "V", hidden=4, depth=-1)
    with pytest.raises(IntertwineError, match="bilinear must be a non-negative int"):
        it.invariant_network("O(3)", "V", "V", hidden=4, depth=1, bilinear=-1)
    with pytest.raises(IntertwineError, match="bilinear must be"):
        it.invariant_network("O(3)", "V", "V", hidden=4, depth=1, bilinear=2.5)


def test_bilinear_head_holds_the_electron_muon_amplitude_exactly():
    """The network is linear in the bilinear head's C: least squares over C alone (A, B random
    and fixed, rank 64 ≥ 55 quadratic monomials of the 10 forms) fits the amplitude on 400
    samples and predicts 400 others to float64 precision, where an affine fit of the momenta is
    far off (the task is not trivial)."""
    rng = np.random.default_rng(1)
    x, y = electron_muon(rng, 800)
    with x64():
        net = it.invariant_network("O(1,3)", "4*V", "1", hidden=4, depth=1, bilinear=64)
        p = jax.tree_util.tree_map(
            lambda a: jnp.asarray(a, jnp.float64), net.init(jax.random.PRNGKey(3))
        )
        p["mlp"] = [(w * 0, b * 0) for w, b in p["mlp"]]
        p["poly"] = p["poly"] * 0
        a, b, c = p["bilinear"]

        def out(cc):
            q = dict(p)
            q["bilinear"] = (a, b, cc)
            return net.apply(q, jnp.asarray(x))

        design = np.asarray(jax.jacfwd(out)(c)).reshape(800, -1)  # y is linear in C
    fit, *_ = np.linalg.lstsq(design[:400], y[:400, 0], rcond=None)
    pred = design[400:] @ fit
    rel = np.linalg.norm(pred - y[400:, 0]) / np.linalg.norm(y[400:, 0])
    assert rel < 1e-8, rel
    lin = np.concatenate([np.ones((800, 1)), x], axis=1)
    fit_lin, *_ = np.linalg.lstsq(lin[:400], y[:400, 0], rcond=None)
    rel_lin = np.linalg.norm(lin[400:] @ fit_lin - y[400:, 0]) / np.linalg.norm(y[400:, 0])
    assert rel_lin > 0.5, rel_lin


def _o5(rng, n):
    """EMLP's O5Synthetic: y = sin|r1| − |r2|³/2 + cos ∠(r1, r2), written out here."""
    x = rng.standard_normal((n, 10))
    r1, r2 = x[:, :5], x[:, 5:]
    a, b = np.linalg.norm(r1, axis=1), np.linalg.norm(r2, axis=1)
    return x.astype(np.float32), (np.sin(a) - 0.5 * b**3 + (r1 * r2).sum(1) / (a * b))[:, None]


def _fit(init, apply, x, y, steps=400, lr=3e-3):
    params = init(jax.random.PRNGKey(0))
    tree = jax.tree_util.tree_map
    m = tree(jnp.zeros_like, params)
    v = tree(jnp.zeros_like, params)

    def loss(p):
        return jnp.mean((apply(p, x) - y) ** 2)

    @jax.jit
    def step(p, m, v, t):
        g = jax.grad(loss)(p)
        m = tree(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = tree(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9**t, 1 - 0.999**t
        return tree(lambda q, a, b: q - lr * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), p, m, v), m, v

    for t in range(1, steps + 1):
        params, m, v = step(params, m, v, jnp.float32(t))
    return params


@pytest.mark.slow
def test_learns_the_o5_task_from_few_samples_where_an_mlp_does_not():
    """300 samples of EMLP's O(5) task, the same optimiser and steps: the invariant network's
    held-out error is a small fraction of a plain MLP's of the same width."""
    rng = np.random.default_rng(0)
    xtr, ytr = _o5(rng, 300)
    xte, yte = _o5(rng, 2000)
    mu, sd = ytr.mean(), ytr.std()
    ytr_s = jnp.asarray(((ytr - mu) / sd).astype(np.float32))
    net = it.invariant_network("O(5)", "2*V", "1", hidden=32, depth=2)
    p_inv = _fit(net.init, net.apply, jnp.asarray(xtr), ytr_s)
    sizes = [10, 32, 32, 1]

    def mlp_init(key):
        keys = jax.random.split(key, 3)
        return [
            (jax.random.normal(k, (a, b)) / np.sqrt(a), jnp.zeros(b))
            for k, a, b in zip(keys, sizes[:-1], sizes[1:])
        ]

    def mlp_apply(p, x):
        for i, (w, b) in enumerate(p):
            x = x @ w + b[None, :]
            x = jax.nn.swish(x) if i < len(p) - 1 else x
        return x

    p_mlp = _fit(mlp_init, mlp_apply, jnp.asarray(xtr), ytr_s)

    def test_mse(apply, p):
        pred = np.asarray(apply(p, jnp.asarray(xte))) * sd + mu
        return float(np.mean((pred - yte) ** 2))

    inv, mlp = test_mse(net.apply, p_inv), test_mse(mlp_apply, p_mlp)
    assert inv < 0.25 * mlp, (inv, mlp)
