"""Diagram bases: the same spans as the orbit and exact methods at small n, and any n without
listing n^(k+l) entries."""

import json
import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import intertwine as it
from intertwine.cli import main
from intertwine.codegen.layout import DensePlan
from intertwine.errors import InternalError, IntertwineError, SolverError, VerificationError
from intertwine.solver import DiagramBasis, DiagramTerm
from intertwine.solver.diagrams import (
    check_diagram_basis,
    check_entries,
    double_factorial,
    partition_count,
    stirling2,
)

SMALL_PAIRS = [(k, l) for k in range(4) for l in range(4) if 0 < k + l <= 6]


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Two tyings (labels per entry, -1 = zero) span the same space iff they partition the
    entries alike."""
    if not np.array_equal(a < 0, b < 0):
        return False
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    return pairs.shape[1] == np.unique(a).size == np.unique(b).size


def _rank(m: np.ndarray) -> int:
    return int(np.linalg.matrix_rank(m)) if m.size else 0


def _same_span(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = a.reshape(a.shape[0], -1), b.reshape(b.shape[0], -1)
    return _rank(a) == _rank(b) == _rank(np.vstack([a, b]))


@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("k,l", SMALL_PAIRS)
def test_symmetric_group_diagrams_match_the_orbit_method(n, k, l):
    if n ** (k + l) > 50_000:
        pytest.skip(f"S({n}) on {k}+{l} points lists {n ** (k + l)} entries for the orbit method")
    a, b = f"V**{k}" if k else "1", f"V**{l}" if l else "1"
    diagram = it.solve(f"S({n})", a, b, method="diagram")
    orbit = it.solve(f"S({n})", a, b, method="orbit", cache=False)
    assert diagram.dim == orbit.dim == partition_count(k + l, n)
    assert diagram.method == "diagram" and diagram.exact
    assert _same_partition(diagram.tying, orbit.tying)


@pytest.mark.parametrize("n,k,l", [(2, 1, 1), (3, 2, 1), (2, 2, 2), (4, 1, 2), (3, 0, 3)])
def test_symmetric_group_diagrams_match_the_exact_method(n, k, l):
    a, b = f"V**{k}" if k else "1", f"V**{l}" if l else "1"
    diagram = it.solve(f"S({n})", a, b, method="diagram")
    exact = it.solve(f"S({n})", a, b, method="exact", cache=False)
    assert _same_span(diagram.dense, exact.dense)


@pytest.mark.parametrize(
    "n,k,l",
    [(n, k, l) for n in range(1, 7) for k, l in SMALL_PAIRS if (k + l) % 2 == 0 and k + l <= 4]
    + [(n, 3, 3) for n in (1, 2, 3)]
    + [(2, 2, 4), (3, 1, 5), (1, 3, 1)],
)
def test_orthogonal_group_diagrams_match_the_exact_method(n, k, l):
    a, b = f"V**{k}" if k else "1", f"V**{l}" if l else "1"
    diagram = it.solve(f"O({n})", a, b, method="diagram")
    exact = it.solve(f"O({n})", a, b, method="exact", cache=False)
    assert diagram.dim == exact.dim
    if 2 * n >= k + l:
        assert diagram.dim == double_factorial(k + l - 1)
    assert _same_span(diagram.dense, exact.dense)


def test_odd_orthogonal_tensor_powers_have_no_maps():
    assert it.solve("O(7)", "V**2", "V").dim == 0
    assert it.solve("O(7)", "V**2", "V").method == "diagram"


def test_sums_of_tensor_powers_and_copies():
    basis = it.solve("S(4)", "V + V**2 + 1", "2*V + V**2")
    orbit = it.solve("S(4)", "V + V**2 + 1", "2*V + V**2", method="orbit", cache=False)
    assert basis.method == "diagram" and basis.dim == orbit.dim
    assert _same_partition(basis.tying, orbit.tying)
    assert len(basis.in_degrees) == 3 and basis.out_degrees == (1, 1, 2)


def test_auto_picks_diagrams_only_where_they_apply():
    assert it.solve("S(6)", "V**2", "V").method == "diagram"
    assert it.solve("O(4)", "V**2", "V**2").method == "diagram"
    assert it.solve("A(5)", "V**2", "V").method != "diagram"  # other group: the old solver
    assert it.solve("SO(1,3)", "V**2", "V").method == "diagram"  # ε with η
    assert it.solve("Sp(1)", "V*", "V").method != "diagram"  # V* is not V for Sp
    assert it.solve("SO(3)", "V**2", "V").method == "diagram"  # an ε diagram
    with pytest.raises(SolverError, match="S\\(n\\), O\\(n\\)"):
        it.solve("Z(5)", "V", "V", method="diagram")
    with pytest.raises(SolverError, match="tensor powers"):  # a tensor product of a sum
        it.solve("S(3)", "(V + 1) * V", "V", method="diagram")
    assert it.solve("S(3)", "(V + 1) * V", "V").method == "orbit"


def test_any_n_without_listing_entries():
    basis = it.solve("S(1000)", "V**2", "V**2")
    assert basis.dim == 15 and basis.n == 1000 and basis.in_dim == 10**6
    assert len(basis.diagrams) == 15 and basis.diagrams[0] == [[0, 1, 2, 3]]
    with pytest.raises(SolverError, match="too many to list"):
        _ = basis.dense
    with pytest.raises(SolverError, match="too many to list"):
        _ = basis.tying
    big = it.solve("S(40)", "V**4", "V**4")
    assert big.dim == sum(stirling2(8, t) for t in range(9)) == 4140
    assert it.solve("S(2)", "V**3", "V**3").dim == stirling2(6, 1) + stirling2(6, 2)
    assert it.solve("O(100)", "V**2", "1").dim == 1


def test_json_has_diagrams_and_omits_huge_bases():
    small = it.solve("S(3)", "V", "V").to_json()
    assert small["diagrams"] == [[[0, 1]], [[0], [1]]] and small["method"] == "diagram"
    assert small["basis"] and small["tying"] is not None and small["n"] == 3
    big = it.solve("S(500)", "V**2", "V**2").to_json()
    assert "basis" not in big and "tying" not in big
    assert len(big["diagrams"]) == big["dim"] == 15
    json.dumps(big)  # serialisable


def test_save_and_load_at_any_n(tmp_path):
    basis = it.solve("S(500)", "V**2", "V + 1")
    basis.save(tmp_path / "b.npz")
    back = it.Basis.load(tmp_path / "b.npz")
    assert isinstance(back, DiagramBasis) and back.n == 500 and back.terms == basis.terms
    (tmp_path / "bad.npz").write_bytes((tmp_path / "b.npz").read_bytes()[:-40])
    with pytest.raises(IntertwineError, match="not a valid intertwine basis file"):
        it.Basis.load(tmp_path / "bad.npz")


def test_wrong_diagrams_are_caught_by_both_checks():
    good = it.solve("O(5)", "V**2", "V**2")
    bad = DiagramBasis(
        family="O",
        n=5,
        in_degrees=(2,),
        out_degrees=(2,),
        terms=[*good.terms, DiagramTerm(0, 0, (0, 0, 1, 2))],  # a block of size 1: not O(n)
        group="O(5)",
        kind="group",
        rep_in=good.rep_in,
        rep_out=good.rep_out,
    )
    action = it.action("O(5)")
    with pytest.raises(VerificationError, match="fails generator"):
        check_diagram_basis(bad, action)
    with pytest.raises(VerificationError, match="fails generator"):
        check_entries(bad, action)
    assert check_entries(good, action) < 1e-9
    s_good = it.solve("S(6)", "V**2", "V")
    assert check_entries(s_good, it.action("S(6)")) == 0.0


def test_cli_prints_diagrams_and_the_dimension_in_n(capsys):
    assert main(["solve", "S(50)", "V**2", "V**2"]) == 0
    out = capsys.readouterr().out
    assert "method:  diagram" in out and "15 (Bell(4)) for n >= 4" in out
    assert "out a b | in c d" in out
    assert main(["solve", "Z(5)", "V", "V", "--method", "diagram"]) == 2
    assert "S(n), O(n)" in capsys.readouterr().err
    assert main(["solve", "O(30)", "V**2", "V**2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dim"] == 3 and len(data["diagrams"]) == 3 and "basis" not in data


@pytest.mark.parametrize("group", ["S(60)", "O(40)"])
def test_layers_at_large_n_apply_diagrams(group):
    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear(group, "V**2", "V**2", channels=(2, 3))
    assert layer.layout.mode == "diagram"
    assert layer.layout.tying is None and not isinstance(layer.layout.plan, DensePlan)  # no W
    params = layer.init(jax.random.PRNGKey(0))
    params = jax.tree_util.tree_map(lambda p: p + 0.3, params)
    y = layer.apply(params, jnp.ones((2, 2, layer.layout.in_dim)))
    assert y.shape == (2, 3, layer.layout.out_dim)
    n = int(group[2:-1])
    perm = np.random.default_rng(0).permutation(n)
    sign = np.where(np.arange(n) == 0, -1.0, 1.0) if group.startswith("O") else np.ones(n)

    def act(z):  # g = a permutation (times a reflection for O(n)) on both axes of V**2
        z = z.reshape(z.shape[:-1] + (n, n))[..., perm, :][..., perm]
        z = z * np.outer(sign, sign).reshape((1,) * (z.ndim - 2) + (n, n))
        return z.reshape(z.shape[:-2] + (n * n,))

    x = jax.random.normal(jax.random.PRNGKey(2), (2, 2, n * n))
    apply = jax.jit(layer.apply)
    np.testing.assert_allclose(apply(params, act(x)), act(apply(params, x)), atol=1e-4)


@pytest.mark.parametrize("group", ["O(4)", "S(4)"])
def test_diagram_layer_equals_the_materialised_layer(group):
    from intertwine.codegen import equivariant_linear

    basis = it.solve(group, "V**2", "V**2")
    diag = equivariant_linear(basis, channels=(2, 2), mode="diagram")
    dense = equivariant_linear(basis, channels=(2, 2), mode="dense")
    params = jax.tree_util.tree_map(lambda p: p + 0.5, dense.init(jax.random.PRNGKey(0)))
    x = jax.random.normal(jax.random.PRNGKey(1), (3, 2, 16))
    np.testing.assert_allclose(diag.apply(params, x), dense.apply(params, x), rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("O(1,1)", "V**2", "V**2"),
        ("O(1,1)", "V**3", "V**3"),  # n = 2 < 3: an independent subset
        ("O(1,2)", "V + V**2", "V**2 + 1"),
        ("O(2,1)", "V**3", "V"),
        ("O(1,3)", "V**2", "V**2"),
        ("O(1,3)", "V**2", "1"),
        ("O(2,2)", "V**4", "1"),
    ],
)
def test_indefinite_orthogonal_diagrams_match_the_exact_method(group, a, b):
    diagram = it.solve(group, a, b)
    exact = it.solve(group, a, b, method="exact", cache=False)
    assert diagram.method == "diagram" and diagram.tensor == "form"
    assert diagram.dim == exact.dim
    assert _same_span(diagram.dense, exact.dense)


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("SO(1,1)", "V**2", "1"),
        ("SO(1,1)", "V**2", "V**2"),
        ("SO(1,2)", "V**2", "V"),
        ("SO(2,1)", "V", "V**2"),
        ("SO(1,2)", "V**3", "1"),
        ("SO(1,2)", "V**2 + V", "V + 1"),
        ("SO(1,3)", "V**2", "V**2"),
        ("SO(2,2)", "V**3", "V"),
    ],
)
def test_special_indefinite_orthogonal_diagrams_match_the_exact_method(group, a, b):
    """SO(p,q): η on pairs and η raising the outputs of the ε block."""
    diagram = it.solve(group, a, b, method="diagram")
    exact = it.solve(group, a, b, method="exact", cache=False)
    assert diagram.dim == exact.dim and diagram.tensor == "form"
    assert _same_span(diagram.dense, exact.dense)


def test_indefinite_orthogonal_at_large_n_and_in_files(tmp_path):
    basis = it.solve("O(20,30)", "V**2", "V**2")
    assert basis.dim == 3 and basis.signature == (20, 30)
    assert basis.to_json()["signature"] == [20, 30]
    basis.save(tmp_path / "opq.npz")
    back = it.Basis.load(tmp_path / "opq.npz")
    assert back.signature == (20, 30) and back.terms == basis.terms
    assert it.solve("O(1,3)", "V* * V", "1").method != "diagram"  # V* is not V for O(p,q)
    assert it.solve("SO(1,3)", "V**2", "1").method == "diagram"  # now with ε diagrams too


LAYER_CASES = [
    ("O(1,3)", "V**2", "V**2"),
    ("O(2,1)", "V + V**2", "V**2 + 1"),
    ("Sp(2)", "V**2", "V**2"),
    ("Sp(1)", "V**3 + V", "V"),
    ("SO(3)", "V**2", "V"),  # an ε diagram
    ("SO(1,2)", "V**2", "V + V**3"),  # ε diagrams raised by η
    ("SO(4)", "V**2 + 2*V", "V**2"),
    ("S(4)", "2*V + V**2", "V + 1"),
    ("O(3)", "3*V", "2*V + V**2"),
]


@pytest.mark.parametrize("group,a,b", LAYER_CASES)
def test_diagram_layers_for_every_family_and_sums(group, a, b):
    """The diagram plan (forms, ε operands, block pairs as channels) gives the materialised
    layer's outputs and gradients."""
    from intertwine.codegen import equivariant_linear

    basis = it.solve(group, a, b)
    diag = equivariant_linear(basis, channels=(2, 3), mode="diagram")
    dense = equivariant_linear(basis, channels=(2, 3), mode="dense")
    assert diag.layout.mode == "diagram"
    params = jax.tree_util.tree_map(lambda p: p + 0.5, dense.init(jax.random.PRNGKey(0)))
    x = jax.random.normal(jax.random.PRNGKey(1), (3, 2, basis.in_dim))
    y1, y2 = jax.jit(diag.apply)(params, x), jax.jit(dense.apply)(params, x)
    np.testing.assert_allclose(y1, y2, rtol=2e-5, atol=2e-5)
    g1 = jax.jit(jax.grad(lambda p: jnp.sum(diag.apply(p, x) ** 2)))(params)
    g2 = jax.jit(jax.grad(lambda p: jnp.sum(dense.apply(p, x) ** 2)))(params)
    np.testing.assert_allclose(g1["theta"], g2["theta"], rtol=1e-4, atol=1e-4)


def _symplectic_element(r: int, rng) -> np.ndarray:
    """diag(A, A^-T) J: an element of Sp(r) mixing all coordinates."""
    a = rng.standard_normal((r, r)) + 2 * np.eye(r)
    g = np.zeros((2 * r, 2 * r))
    g[:r, :r], g[r:, r:] = a, np.linalg.inv(a).T
    j = np.zeros((2 * r, 2 * r))
    j[:r, r:], j[r:, :r] = np.eye(r), -np.eye(r)
    return g @ j


def _indefinite_element(p: int, q: int, rng) -> np.ndarray:
    """A boost in the plane (0, p) composed with signed permutations inside each sign block."""
    t = 0.3
    g = np.eye(p + q)
    g[0, 0] = g[p, p] = np.cosh(t)
    g[0, p] = g[p, 0] = np.sinh(t)
    perm = np.concatenate([rng.permutation(p), p + rng.permutation(q)])
    signs = np.where(rng.random(p + q) < 0.5, -1.0, 1.0)
    return (np.eye(p + q)[perm] * signs[:, None]) @ g


@pytest.mark.parametrize("group", ["Sp(32)", "O(32,32)"])
def test_form_layers_at_large_n_without_w(group):
    """Sp(32) and O(32,32) on V**2 -> V**2 + V (n = 64): nothing of size n^4 is formed, and
    the layer commutes with a group element that mixes every coordinate."""
    from intertwine.codegen import equivariant_linear

    layer = equivariant_linear(group, "V**2", "V**2 + 1", channels=(2, 3))
    assert layer.layout.mode == "diagram" and layer.layout.tying is None
    rng = np.random.default_rng(0)
    g = _symplectic_element(32, rng) if group.startswith("Sp") else _indefinite_element(32, 32, rng)
    params = jax.tree_util.tree_map(lambda p: p + 0.3, layer.init(jax.random.PRNGKey(0)))
    params["bias"] = params["bias"] * 0  # the bias on 1 is invariant anyway

    def act(z, square=True):
        if not square:
            return z
        z = np.asarray(z).reshape(z.shape[:-1] + (64, 64))
        return np.einsum("ij,...jk,lk->...il", g, z, g).reshape(z.shape[:-2] + (4096,))

    x = np.asarray(jax.random.normal(jax.random.PRNGKey(2), (2, 2, 4096)), dtype=np.float64)
    with jax.enable_x64():
        p64 = jax.tree_util.tree_map(lambda p: jnp.asarray(p, jnp.float64), params)
        y = np.asarray(layer.apply(p64, act(x)))
        y0 = np.asarray(layer.apply(p64, x))
    np.testing.assert_allclose(y[..., :4096], act(y0[..., :4096]), atol=1e-8 * np.abs(y).max())
    np.testing.assert_allclose(y[..., 4096:], y0[..., 4096:], atol=1e-8 * np.abs(y).max())


SO_CASES = [
    (n, k, l)
    for n in range(2, 7)
    for k in range(0, 4)
    for l in range(0, 4)
    if 0 < k + l <= 6 and n ** (k + l) <= 50_000
]


@pytest.mark.parametrize("n,k,l", SO_CASES)
def test_special_orthogonal_diagrams_match_the_exact_method(n, k, l):
    """SO(n): the Brauer diagrams and, where k + l ≥ n and k + l − n is even, the ε diagrams;
    an independent subset of the certified size spans what the exact solver finds."""
    a, b = f"V**{k}" if k else "1", f"V**{l}" if l else "1"
    exact = it.solve(f"SO({n})", a, b, method="exact", cache=False)
    diagram = it.solve(f"SO({n})", a, b, method="diagram")
    assert diagram.dim == exact.dim
    epsilon = k + l >= n and (k + l - n) % 2 == 0
    assert any(t.epsilon >= 0 for t in diagram.terms) == (epsilon and diagram.dim > 0)
    if diagram.dim:
        assert _same_span(diagram.dense, exact.dense)


SP_CASES = [
    (r, k, l)
    for r in (1, 2, 3)
    for k in range(0, 4)
    for l in range(0, 4)
    if 0 < k + l <= 6 and (k + l) % 2 == 0 and (2 * r) ** (k + l) <= 5_000
]


@pytest.mark.parametrize("r,k,l", SP_CASES)
def test_symplectic_diagrams_match_the_exact_method(r, k, l):
    """Sp(r) on R^2r: Brauer diagrams with J on input pairs and −J on output pairs; below
    r = (k + l)/2 they are dependent and an independent subset is chosen."""
    a, b = f"V**{k}" if k else "1", f"V**{l}" if l else "1"
    exact = it.solve(f"Sp({r})", a, b, method="exact", cache=False)
    diagram = it.solve(f"Sp({r})", a, b, method="diagram")
    assert diagram.dim == exact.dim and diagram.tensor == "symplectic"
    assert _same_span(diagram.dense, exact.dense)


@pytest.mark.parametrize("group", ["O(2)", "O(3)", "SO(3)", "SO(4)", "Sp(1)", "O(1,2)"])
def test_dependent_diagrams_beyond_the_small_cases(group):
    """V**4 -> V**4 (105 Brauer diagrams, fewer independent at these n): the chosen subset
    spans the exact solver's space."""
    diagram = it.solve(group, "V**4", "V**4", method="diagram")
    exact = it.solve(group, "V**4", "V**4", method="exact", cache=False)
    spanning = 105 + 210 * (group == "SO(4)")  # and C(8, 4) * 3 ε diagrams for SO(4)
    assert diagram.dim == exact.dim < spanning
    assert _same_span(diagram.dense, exact.dense)


def test_certified_dimension_guards_the_subset(monkeypatch):
    """A subset is returned only at the certified dimension: a rank that falls short is a
    refusal (SolverError), more independent diagrams than the dimension is a bug."""
    from intertwine.solver.diagrams import _rank as _diagram_rank
    from intertwine.solver.diagrams import _rules as _diagram_basis

    monkeypatch.setattr(_diagram_rank, "PRIMES", ())
    with pytest.raises(SolverError, match="could not certify"):
        it.solve("O(2)", "V**3", "V**3", method="diagram", cache=False)
    monkeypatch.undo()
    monkeypatch.setattr(_diagram_rank, "MAX_WORK", 1000)  # a selection too large to run
    with pytest.raises(SolverError, match="multiply-adds"):
        it.solve("O(2)", "V**3", "V**3", method="diagram", cache=False)
    monkeypatch.undo()
    true = _diagram_basis.invariant_dimension
    monkeypatch.setattr(_diagram_basis, "invariant_dimension", lambda *a: true(*a) - 1)
    with pytest.raises(InternalError, match="a bug"):
        it.solve("O(2)", "V**3", "V**3", method="diagram", cache=False)


@pytest.mark.parametrize("family,n", [("O", 3), ("SO", 3), ("SO", 4), ("Sp", 2), ("Sp", 4)])
def test_walk_counts_are_the_exact_dimensions(family, n):
    """The Pieri walk counts equal the nullities the exact solver finds, for every m ≤ 6."""
    from intertwine.solver.diagrams import invariant_dimension

    group = f"{family}({n // 2 if family == 'Sp' else n})"
    for m in range(1, 7):
        if n**m > 50_000:
            continue
        exact = it.solve(group, f"V**{m}", "1", method="exact", cache=False)
        assert invariant_dimension(m, n, family) == exact.dim, m


@pytest.mark.parametrize("group,a,b", [("SO(3)", "V**3", "V**2"), ("Sp(2)", "V**2", "V + V**2")])
def test_epsilon_and_symplectic_bases_in_files_and_json(tmp_path, group, a, b):
    basis = it.solve(group, a, b, method="diagram")
    path = tmp_path / "b.npz"
    basis.save(path)
    loaded = it.Basis.load(path)
    assert isinstance(loaded, DiagramBasis) and loaded.terms == basis.terms
    np.testing.assert_array_equal(loaded.dense, basis.dense)
    data = json.loads(json.dumps(basis.to_json()))
    assert len(data["epsilon_blocks"]) == basis.dim
    eps = [t.epsilon for t in basis.terms]
    assert data["epsilon_blocks"] == [e if e >= 0 else None for e in eps]
    assert (group == "SO(3)") == any(e >= 0 for e in eps)


def test_forged_epsilon_blocks_are_refused(tmp_path):
    """An ε label on an O(n) diagram, or an ε block of the wrong size, is not loaded."""
    basis = it.solve("SO(3)", "V**3", "V**2", method="diagram")
    for family, label in (("O", 0), ("SO", 1)):
        forged = DiagramBasis(
            family=family,
            n=3,
            in_degrees=(3,),
            out_degrees=(2,),
            terms=[DiagramTerm(0, 0, t.diagram, label) for t in basis.terms],
            group="SO(3)",
            kind="group",
            rep_in="V**3",
            rep_out="V**2",
        )
        path = tmp_path / f"{family}.npz"
        forged.save(path)
        with pytest.raises(IntertwineError, match="not a valid intertwine basis file"):
            it.Basis.load(path)


def test_epsilon_diagrams_stop_at_large_n():
    with pytest.raises(SolverError, match="Levi-Civita"):
        it.solve("SO(8)", "V**4", "V**4", method="diagram")
    assert it.solve("SO(9)", "V**2", "V**2", method="diagram").dim == 3  # no ε diagram


def test_auto_falls_back_when_the_diagrams_are_too_many(monkeypatch):
    from intertwine.solver import _solve
    from intertwine.solver.diagrams import _enumerate as _diagrams

    monkeypatch.setattr(_diagrams, "MAX_DIAGRAMS", 10)
    monkeypatch.setattr(_solve._Progress, "DELAY", 0.0)  # report every stage at once
    notes: list[str] = []
    basis = it.solve("O(2)", "V**3", "V**3", progress=notes.append)  # 15 diagrams > 10
    exact = it.solve("O(2)", "V**3", "V**3", method="exact")
    assert basis.method != "diagram" and basis.dim == exact.dim
    deadline = time.time() + 5
    while not any("diagram method stops here" in n for n in notes) and time.time() < deadline:
        time.sleep(0.01)  # the first lines come from the progress timer's thread
    assert any("diagram method stops here" in n for n in notes)
    with pytest.raises(it.SolverError):
        it.solve("O(2)", "V**3", "V**3", method="diagram")


@pytest.mark.parametrize(
    "family,a,b,ns",
    [
        ("S", "V**2", "V**2", range(1, 6)),
        ("S", "V + V**2", "V**2 + 1", range(1, 5)),
        ("O", "V**2", "V**2", range(1, 5)),
        ("O", "V**3", "V**3", range(1, 5)),
        ("SO", "V**2 + V", "V", range(2, 6)),
        ("SO", "V**2", "V**2", range(2, 6)),
        ("Sp", "V**2", "V**2", range(1, 4)),
        ("Sp", "V**3", "V + V**3", range(1, 3)),
    ],
)
def test_symbolic_n_dimensions_are_the_solved_ones(family, a, b, ns):
    """S(n), O(n), SO(n), Sp(n) with the letter n: the dimension formula at each n is the
    dimension the solver returns at that n, and it is constant from stable_from() on."""
    from intertwine.solver import every_n

    generic = every_n(f"{family}(n)", a, b)
    for n in ns:
        assert generic.dimension(n) == it.solve(f"{family}({n})", a, b).dim, n
    top = generic.stable_from()
    assert generic.dimension(top) == generic.dimension(top + 3)
    assert generic.dimension(top) == it.solve(f"{family}({top + 1})", a, b).dim


def test_cli_solves_for_the_letter_n(capsys):
    assert main(["solve", "S(n)", "V**2", "V**2"]) == 0
    out = capsys.readouterr().out
    assert "15 for n >= 4; 1 for n = 1, 8 for n = 2, 14 for n = 3" in out
    assert out.count("out ") == 15  # every diagram drawn
    assert main(["solve", "SO(n)", "V**2", "V"]) == 0
    assert "1 for n = 3" in capsys.readouterr().out  # the cross product's ε diagram
    assert main(["solve", "O(n)", "V**2", "V**2", "--format", "json"]) == 2
    assert "give a number for n" in capsys.readouterr().err
    assert main(["solve", "Sp(n)", "V*", "V"]) == 2
    assert main(["solve", "S(n)", "(V + 1) * V", "V"]) == 2
