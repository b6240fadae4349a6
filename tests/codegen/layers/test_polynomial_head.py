"""The invariant-theory networks' graded polynomial head (``polynomial=D``): equivariance with
every weight non-zero, the exact span of known degree-D equivariant polynomials (the inertia
tensor, degree 3; EMLP's electron-muon amplitude, degree 4) checked by least squares against
their closed forms, weight counts from stars and bars, and typed errors."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import electron_muon, group_element, rho_blocks, x64

import intertwine as it
from intertwine.errors import IntertwineError, RepError

CASES = [
    ("O(3)", "2*1 + 3*V", "1 + V + V**2"),
    ("SO(3)", "1 + 3*V", "1 + V + V**2"),
    ("O(1,3)", "3*V", "1 + V**2"),
    ("SO(2,2)", "3*V", "V + V**2"),
    ("Sp(2)", "2*V", "1 + V + V**2"),
    ("S(4)", "1 + 2*V", "1 + V + V**2"),
]


def _random_weights(net, key):
    """Every weight of the network non-zero (the polynomial head and the MLP's last layer start
    at zero, which would hide them from an equivariance check)."""
    params = net.init(jax.random.PRNGKey(key))
    leaves, tree = jax.tree_util.tree_flatten(params)
    keys = jax.random.split(jax.random.PRNGKey(key + 1), len(leaves))
    leaves = [0.3 * jax.random.normal(k, a.shape, jnp.float64) for k, a in zip(keys, leaves)]
    return jax.tree_util.tree_unflatten(tree, leaves)


@pytest.mark.parametrize("group, rep_in, rep_out", CASES)
def test_equivariant_in_float64(group, rep_in, rep_out):
    rng = np.random.default_rng(2)
    net = it.invariant_network(group, rep_in, rep_out, hidden=8, depth=1, polynomial=4, gain=10)
    ri, ro = it.rep(group, rep_in), it.rep(group, rep_out)
    with x64():
        params = _random_weights(net, 0)
        assert params["poly"].size > 0
        apply = jax.jit(net.apply)
        for _ in range(2):
            g = group_element(rng, group)
            x = 0.7 * rng.standard_normal((4, ri.dim))
            y = np.asarray(apply(params, jnp.asarray(x)))
            moved = np.asarray(apply(params, jnp.asarray(x @ rho_blocks(ri, g).T)))
            expected = y @ rho_blocks(ro, g).T
            assert np.abs(y).max() > 1e-3
            scale = np.abs(expected).max() + np.abs(g).max() ** 4
            assert np.abs(moved - expected).max() / scale < 1e-10


def _inertia(rng, n):
    """EMLP's Inertia target, written out here: 5 masses m_i > 0 and positions r_i ∈ R^3, the
    tensor Σ m_i (|r_i|² I − r_i r_iᵀ) flattened row-major: degree 3 in the input."""
    m = np.log1p(np.exp(rng.standard_normal((n, 5))))
    r = rng.standard_normal((n, 5, 3))
    eye = np.eye(3)
    y = np.einsum("ni,nij->nj", m, (r**2).sum(-1)[..., None] * eye.reshape(1, 1, 9))
    y = y - np.einsum("ni,nia,nib->nab", m, r, r).reshape(n, 9)
    return np.concatenate([m, r.reshape(n, 15)], axis=1), y


def _head_residual(group, rep_in, rep_out, degree, x, y):
    """Least squares over the polynomial head's weights alone (the MLP at zero, no bilinear head;
    the output is linear in those weights): relative error on held-out samples."""
    net = it.invariant_network(
        group, rep_in, rep_out, hidden=2, depth=0, bilinear=0, polynomial=degree
    )
    with x64():
        p = jax.tree_util.tree_map(
            lambda a: jnp.asarray(a, jnp.float64), net.init(jax.random.PRNGKey(0))
        )
        p["mlp"] = [(w * 0, b * 0) for w, b in p["mlp"]]

        def out(w):
            return net.apply(dict(p, poly=w), jnp.asarray(x))

        design = np.asarray(jax.jit(jax.jacfwd(out))(p["poly"])).reshape(y.size, -1)
    half = y.size // 2
    fit, *_ = np.linalg.lstsq(design[:half], y.reshape(-1)[:half], rcond=None)
    rest = y.reshape(-1)[half:]
    return np.linalg.norm(design[half:] @ fit - rest) / np.linalg.norm(rest)


def test_degree_3_holds_the_inertia_tensor_and_degree_2_does_not():
    x, y = _inertia(np.random.default_rng(0), 600)  # f_0 sees one number a sample
    assert _head_residual("O(3)", "5*1 + 5*V", "V**2", 3, x, y) < 1e-8
    assert _head_residual("O(3)", "5*1 + 5*V", "V**2", 2, x, y) > 0.05


def test_degree_4_holds_the_electron_muon_amplitude_and_degree_3_does_not():
    x, y = electron_muon(np.random.default_rng(1), 300)
    assert _head_residual("O(1,3)", "4*V", "1", 4, x, y) < 1e-8
    assert _head_residual("O(1,3)", "4*V", "1", 3, x, y) > 0.5


def _multisets(kinds: dict[int, int], most: int) -> int:
    """Monomials of total degree 1..most in variables of the given degrees ({degree: how many}),
    counted by stars and bars over the number taken of each degree."""
    items = sorted(kinds.items())

    def count(i: int, budget: int) -> int:
        if i == len(items):
            return 1
        d, n = items[i]
        ks = range(budget // d + 1)
        return sum(math.comb(n + k - 1, k) * count(i + 1, budget - k * d) for k in ks)

    return count(0, most) - 1  # without the empty monomial


@pytest.mark.parametrize(
    "group, rep_in, rep_out, degree, expected",
    [
        # f_0 (η⁻¹, degree 0) takes monomials of degree ≤ 3 in 5 masses (1) and 15 forms (2);
        # each of the 25 f_ij (v_i⊗v_j, degree 2) the 5 masses.
        ("O(3)", "5*1 + 5*V", "V**2", 3, _multisets({1: 5, 2: 15}, 3) + 25 * 5),
        ("O(1,3)", "4*V", "1", 4, _multisets({2: 10}, 4)),
        # 3 forms (2); the 2 f_i (v_i, degree 1) take degree ≤ 2, the scalar output degree ≤ 3
        ("O(5)", "2*V", "1 + V", 3, _multisets({2: 3}, 3) + 2 * _multisets({2: 3}, 2)),
    ],
)
def test_weight_counts(group, rep_in, rep_out, degree, expected):
    net = it.invariant_network(group, rep_in, rep_out, hidden=2, depth=1, polynomial=degree)
    assert net.init(jax.random.PRNGKey(0))["poly"].shape == (expected,)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"polynomial": 0}, IntertwineError, "polynomial must be a positive int"),
        ({"polynomial": True}, IntertwineError, "polynomial must be"),
        ({"polynomial": 2.5}, IntertwineError, "polynomial must be"),
        ({"polynomial": "3"}, IntertwineError, "polynomial must be"),
        ({"polynomial": 3, "quadratic": True}, IntertwineError, "not both"),
        ({"gain": 0}, IntertwineError, "gain must be a positive finite number"),
        ({"gain": -1.0}, IntertwineError, "gain must be"),
        ({"gain": float("inf")}, IntertwineError, "gain must be"),
        ({"gain": float("nan")}, IntertwineError, "gain must be"),
        ({"gain": True}, IntertwineError, "gain must be"),
        ({"gain": "10"}, IntertwineError, "gain must be"),
        ({"polynomial": 10**9}, RepError, "over 32; take a lower degree"),
    ],
)
def test_bad_arguments_are_typed_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        it.invariant_network("O(3)", "2*V", "V", hidden=4, depth=1, **kwargs)


def test_too_many_monomials_is_a_typed_error_before_enumerating_them_all():
    with pytest.raises(RepError, match="lower polynomial= or use fewer input vectors"):
        it.invariant_network("O(3)", "30*V", "V**2", hidden=4, depth=1, polynomial=12)
