"""The emitted diagram cores (one template, spelled for NumPy, JAX and PyTorch) against a dense
W x: W = Σ_t θ_t B_t with the basis elements B_t written out entry by entry, and those B_t
checked to span exactly the commutant the exact solver finds (rational nullspace)."""

import numpy as np
import pytest
from helpers import load_source

from intertwine.codegen import emit
from intertwine.codegen.layout import layout_from_basis
from intertwine.codegen.source import source_mode
from intertwine.solver import solve

CASES = [
    ("S(3)", "V**2", "V", "diagram_pair"),  # partition diagrams: diagonals, sums, broadcasts
    ("S(3)", "V", "V**3", "diagram_pair"),  # diagonals on the output
    ("S(2)", "V + 1", "V**2", "diagram_classes"),  # a sum of tensor powers
    ("O(3)", "V**2", "V**2", "diagram_pair"),  # Brauer diagrams
    ("O(2)", "V", "V**3", "diagram_pair"),
    ("SO(3)", "V**2", "V", "diagram_classes"),  # an ε operand
    ("SO(3)", "V**3", "1", "diagram_classes"),  # the determinant
    ("Sp(2)", "V**2", "V**2", "diagram_classes"),  # the form J on pairs, permuting
    ("Sp(2)", "V", "V**3", "diagram_classes"),
]


_module = load_source


def _run(target, mod, theta, x):
    if target == "numpy":
        return np.asarray(mod.Layer({"theta": theta}, x))
    if target == "jax":
        import jax.numpy as jnp

        return np.asarray(mod.Layer({"theta": jnp.asarray(theta)}, jnp.asarray(x)))
    import torch

    layer = mod.Layer(dtype=torch.float64)
    with torch.no_grad():
        layer.theta.copy_(torch.from_numpy(theta))
    return layer(torch.from_numpy(x)).detach().numpy()


@pytest.mark.parametrize("group,a,b,kind", CASES)
def test_emitted_diagram_cores_equal_dense_w(tmp_path, group, a, b, kind):
    basis = solve(group, a, b, method="diagram")
    dense = basis.to_numpy()  # (dim, out, in), entry by entry from the diagrams
    exact = solve(group, a, b, method="exact").to_numpy()
    assert dense.shape[0] == exact.shape[0]  # the same commutant: equal dimension, and
    stacked = np.concatenate([exact, dense]).reshape(2 * dense.shape[0], -1)
    assert np.linalg.matrix_rank(stacked) == exact.shape[0]  # every B_t lies in its span
    c_in, c_out = 2, 3
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((c_out, c_in, basis.dim))
    x = rng.standard_normal((4, c_in, basis.in_dim))
    w = np.einsum("oct,tij->ocij", theta, dense)
    want = np.einsum("ocij,bcj->boi", w, x)
    assert np.abs(want).max() > 0.1  # not vacuous
    for target in ("numpy", "jax", "torch"):
        if target == "torch":
            pytest.importorskip("torch", reason="PyTorch is an optional test dependency")
        source = emit(
            basis,
            target=target,
            channels=(c_in, c_out),
            mode="diagram",
            normalize="sum",
            bias=False,
            name="Layer",
        ).source
        mod = _module(tmp_path, source, f"core_{target}_{abs(hash((group, a, b)))}")
        y = _run(target, mod, theta.astype(np.float32 if target == "jax" else np.float64), x)
        tol = 1e-4 if target == "jax" else 1e-10
        np.testing.assert_allclose(y, want, rtol=tol, atol=tol)
    layout = layout_from_basis(basis, channels=(c_in, c_out), mode="diagram", backend="cpu")
    assert source_mode(layout) == kind
