"""Independent checks used by the tests (never the solver's own checker)."""

from pathlib import Path

import numpy as np
import scipy.linalg

ROOT = Path(__file__).resolve().parent.parent  # the repository


def assert_intertwines(basis, rep_in, rep_out, tol=1e-9):
    """Every basis matrix W satisfies W X_in = X_out W for every generator, in float64."""
    dense = basis.dense
    for a, b in zip(rep_in.generators, rep_out.generators):
        xa, xb = a.to_numpy(), b.to_numpy()
        scale = max(np.abs(xa).max(initial=0), np.abs(xb).max(initial=0), 1.0)
        for w in dense:
            assert np.abs(w @ xa - xb @ w).max(initial=0) <= tol * scale * max(np.abs(w).max(), 1)


def span_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Do the rows of a and b (k × N) span the same space?"""
    if a.shape[0] != b.shape[0]:
        return False
    if a.shape[0] == 0:
        return True
    r = np.linalg.matrix_rank
    return r(a) == r(b) == r(np.vstack([a, b]))


def load_module(path: Path, name: str):
    """The module in the Python file at ``path``, imported under ``name``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_source(tmp_path: Path, source: str, name: str):
    """The module a generated ``source`` defines, written to ``tmp_path/name.py``, imported."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return load_module(path, name)


# Group elements built from scratch (QR, explicit boosts, exp(J S), permutations) and closed-form
# targets, for the invariant-theory networks' tests.


def x64():
    """A context with float64 enabled in JAX."""
    import jax

    ctx = getattr(jax, "enable_x64", None)
    if ctx is None:  # older JAX
        from jax.experimental import enable_x64 as ctx
    return ctx()


def _orthogonal(rng, n, special):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    q = q * np.sign(np.diag(r))
    if special and np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    if not special and np.linalg.det(q) > 0 and rng.random() < 0.5:
        q[:, 0] = -q[:, 0]  # a reflection half of the time
    return q


def _pseudo(rng, p, q, special):
    """An element of O(p,q): rotations of each block, a boost mixing them, and (for O) parity and
    time reversal; checked against gᵀηg = η."""
    n = p + q
    g = scipy.linalg.block_diag(_orthogonal(rng, p, True), _orthogonal(rng, q, True))
    for i in range(p):
        for j in range(p, n):
            b, t = np.eye(n), rng.normal()
            b[i, i] = b[j, j] = np.cosh(t)
            b[i, j] = b[j, i] = np.sinh(t)
            g = g @ b
    if not special:
        g = g @ np.diag([1.0] * p + [-1.0] + [1.0] * (q - 1))  # parity on one coordinate
        g = g @ np.diag([-1.0] + [1.0] * (n - 1))  # time reversal
    else:
        g = g @ np.diag([-1.0] + [1.0] * (p - 1) + [-1.0] + [1.0] * (q - 1))  # det +1
    eta = np.diag([1.0] * p + [-1.0] * q)
    np.testing.assert_allclose(g.T @ eta @ g, eta, atol=1e-9)
    return g


def _symplectic(rng, n):
    j = np.block([[np.zeros((n, n)), np.eye(n)], [-np.eye(n), np.zeros((n, n))]])
    s = rng.standard_normal((2 * n, 2 * n))
    g = scipy.linalg.expm(0.5 * j @ (s + s.T) / 2)
    np.testing.assert_allclose(g.T @ j @ g, j, atol=1e-9)
    return g


def group_element(rng, group):
    if group.startswith("Sp("):
        return _symplectic(rng, int(group[3:-1]))
    if group.startswith("S("):
        return np.eye(int(group[2:-1]))[rng.permutation(int(group[2:-1]))]
    special = group.startswith("SO")
    dims = [int(v) for v in group[group.index("(") + 1 : -1].split(",")]
    if len(dims) == 2:
        return _pseudo(rng, dims[0], dims[1], special)
    return _orthogonal(rng, dims[0], special)


def rho_blocks(rep, g):
    """ρ(g) on a sum of 1, V and V**2 blocks (V**2 as kron(g, g), row-major)."""
    from intertwine.codegen.layers._gated import blocks

    d = g.shape[0]
    parts = [np.eye(1) if b.scalar else g if b.size == d else np.kron(g, g) for b in blocks(rep)]
    return scipy.linalg.block_diag(*parts)


def electron_muon(rng, n):
    """EMLP's ParticleInteraction target, written out here from its definition: with
    η = diag(1, −1, −1, −1), L_e = p1⊗p3 − (p1·p3 − p1·p1) η and L_μ = ηp2⊗ηp4 − (p2·p4 −
    p2·p2) η, the amplitude is 4 Σ_ab (L_e)_ab (L_μ)_ab: a quadratic polynomial of the pairwise
    Minkowski products, so a rank ≥ 55 bilinear head on the 10 forms holds it exactly."""
    eta = np.diag([1.0, -1.0, -1.0, -1.0])
    p = rng.standard_normal((n, 4, 4))
    p1, p2, p3, p4 = p.transpose(1, 0, 2)
    dot = lambda a, b: np.einsum("na,ab,nb->n", a, eta, b)  # noqa: E731
    le = np.einsum("na,nb->nab", p1, p3) - (dot(p1, p3) - dot(p1, p1))[:, None, None] * eta
    lm = (
        np.einsum("na,nb->nab", p2 @ eta, p4 @ eta)
        - (dot(p2, p4) - dot(p2, p2))[:, None, None] * eta
    )
    return p.reshape(n, 16), 4 * np.einsum("nab,nab->n", le, lm)[:, None]
