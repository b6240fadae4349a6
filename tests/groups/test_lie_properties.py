"""Bases of Lie groups hold at group elements, not only for the generators of the algebra:
g = exp(Σ c_i L_i) for random coefficients, ρ(g) = g ⊗ ... ⊗ g on V**k (g⁻ᵀ on V*), and
W ρ_in(g) = ρ_out(g) W for every basis element W."""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest
import scipy.linalg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intertwine as it
from intertwine.spec import parse_action

CASES = [
    ("SO(3)", 2, 2),
    ("SO(3)", 3, 1),
    ("O(1,3)", 2, 2),
    ("SO(1,3)", 4, 0),
    ("Sp(2)", 2, 2),
    ("SL(3)", 3, 0),
    ("GL(2)", 2, 2),
    ("SO(4)", 2, 2),
]


def _power(g: np.ndarray, k: int) -> np.ndarray:
    return reduce(np.kron, [g] * k) if k else np.ones((1, 1))


@pytest.mark.parametrize("group, k, l", CASES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_basis_commutes_with_random_group_elements(group, k, l, data):
    action = parse_action(group)
    lie = [g.matrices[0].to_numpy() for g in action.generators if g.kind == "lie"]
    coeffs = data.draw(
        st.lists(st.floats(-0.7, 0.7, allow_nan=False), min_size=len(lie), max_size=len(lie))
    )
    element = scipy.linalg.expm(sum(c * m for c, m in zip(coeffs, lie)))
    basis = it.solve(group, f"V**{k}" if k else "1", f"V**{l}" if l else "1")
    assert basis.dim > 0
    rho_in, rho_out = _power(element, k), _power(element, l)
    for w in basis.dense:
        left, right = w @ rho_in, rho_out @ w
        scale = max(np.abs(w).max(), 1.0) * max(np.abs(rho_in).max(), np.abs(rho_out).max())
        np.testing.assert_allclose(left, right, atol=1e-9 * scale)


@settings(max_examples=10, deadline=None)
@given(coeffs=st.lists(st.floats(-0.7, 0.7, allow_nan=False), min_size=3, max_size=3))
def test_dual_rep_of_a_lie_group_transforms_by_the_inverse_transpose(coeffs):
    """V* ⊗ V -> 1 for SL(3): the trace pairing, invariant under g⁻ᵀ ⊗ g."""
    action = parse_action("SL(3)")
    lie = [g.matrices[0].to_numpy() for g in action.generators if g.kind == "lie"][:3]
    g = scipy.linalg.expm(sum(c * m for c, m in zip(coeffs, lie)))
    basis = it.solve("SL(3)", "V* * V", "1")
    assert basis.dim == 1
    rho = np.kron(np.linalg.inv(g).T, g)
    (w,) = basis.dense
    np.testing.assert_allclose(w @ rho, w, atol=1e-9)
