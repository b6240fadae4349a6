"""Structural recursion: the functor language, and the fold, unfold and Mealy laws."""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

import intertwine as it
from intertwine.errors import IntertwineError, SpecError
from intertwine.recursion import (
    Cell,
    Node,
    dense_cell,
    dense_mealy_cell,
    dense_stream_cell,
    equivariant_cell,
    fold,
    list_batch,
    mealy,
    parse_functor,
    tree_batch,
    unfold,
)


# ----------------------------------------------------------------- the functor language
@pytest.mark.parametrize(
    "text, normal",
    [
        ("1 + A*X", "1 + A*X"),
        ("A + X**2", "A + X**2"),
        ("(1 + A) * X + 1", "X + A*X + 1"),
        ("X*A", "A*X"),
        ("B*A*X**1", "A*B*X"),
        ("(A + X)*(1 + X)", "A + A*X + X + X**2"),
    ],
)
def test_functors_in_normal_form(text, normal):
    assert str(parse_functor(text)) == normal
    assert parse_functor(normal) == parse_functor(str(parse_functor(text)))


@pytest.mark.parametrize(
    "text, needle",
    [
        ("", "empty"),
        ("1 + a*X", "unexpected"),
        ("A**2", "only X takes a power"),
        ("X**99", "at most"),
        ("(1 + A", "ends too early"),
        ("1 + A)", "unexpected ')'"),
        ("(" * 40 + "X" + ")" * 40, "nests too deeply"),
    ],
)
def test_bad_functors_are_named(text, needle):
    with pytest.raises(SpecError, match=re.escape(needle)):
        parse_functor(text)


def test_list_and_tree_shapes():
    assert parse_functor("1 + A*X").is_list and parse_functor("A*X + 1").is_list
    assert not parse_functor("A + X**2").is_list
    assert parse_functor("A*B + X**3 + X").alphabet == ("A", "B")


# ----------------------------------------------------------------- exact cells for the laws
def _horner(scale: float) -> tuple[Cell, Cell]:
    """nil = 1, cons(a, x) = scale·x + a: integer arithmetic, exact in float32 here."""
    nil = Cell(
        lambda k: {"c": jnp.array([1.0])},
        lambda p, a, ch: jnp.ones((ch.shape[0], 1)) * p["c"][None, :],
    )
    cons = Cell(lambda k: {"s": jnp.array(scale)}, lambda p, a, ch: p["s"] * ch[:, 0, :] + a)
    return nil, cons


def _depth_cells() -> tuple[Cell, Cell]:
    """leaf(a) = a, node(l, r) = max(l, r) + 1 (tree depth plus the leaf label)."""
    leaf = Cell(lambda k: {}, lambda p, a, ch: a)
    node = Cell(lambda k: {}, lambda p, a, ch: jnp.max(ch, axis=1) + 1.0)
    return leaf, node


def _as_list_tree(seq) -> Node:
    t = Node(0, None, ())
    for a in seq[::-1]:
        t = Node(1, np.asarray(a, np.float32), (t,))
    return t


lists = st.lists(st.lists(st.integers(0, 2), min_size=0, max_size=7), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None)
@given(seqs=lists, head=st.integers(0, 2))
def test_list_fold_is_the_algebra_homomorphism(seqs, head):
    """fold(nil) = c_nil and fold(cons(a, l)) = c_cons(a, fold(l)), exactly."""
    nil, cons = _horner(3.0)
    f = fold("1 + A*X", [nil, cons])
    params = f.init(jax.random.PRNGKey(0))
    tails = [np.array(s, np.float32).reshape(-1, 1) for s in seqs]
    longer = [np.concatenate([[[head]], t]).astype(np.float32) for t in tails]
    folded_tails = f.apply(params, list_batch(tails, 1))
    folded_longer = f.apply(params, list_batch(longer, 1))
    expected = cons.apply(params[1], jnp.full((len(seqs), 1), float(head)), folded_tails[:, None])
    np.testing.assert_array_equal(np.asarray(folded_longer), np.asarray(expected))
    empty = f.apply(params, list_batch([np.zeros((0, 1))], 1))
    np.testing.assert_array_equal(np.asarray(empty), [[1.0]])
    # and by the closed form: Horner's rule
    for s, value in zip(seqs, np.asarray(folded_tails)[:, 0]):
        want = 1.0
        for a in reversed(s):
            want = 3 * want + a
        assert value == want


@settings(max_examples=20, deadline=None)
@given(seqs=lists)
def test_list_fold_by_scan_equals_the_tree_fold(seqs):
    f = fold("1 + A*X", [dense_cell(0, 3, 0), dense_cell(1, 3, 1)])
    params = f.init(jax.random.PRNGKey(2))
    arrays = [np.array(s, np.float32).reshape(-1, 1) for s in seqs]
    by_scan = f.apply(params, list_batch(arrays, 1))
    by_levels = f.apply(params, tree_batch("1 + A*X", [_as_list_tree(a) for a in arrays], 1))
    np.testing.assert_allclose(np.asarray(by_scan), np.asarray(by_levels), atol=1e-6)


def _trees(max_leaves: int = 8):
    leaf = st.integers(0, 3).map(lambda a: Node(0, np.array([float(a)], np.float32), ()))
    return st.recursive(
        leaf,
        lambda kids: st.tuples(kids, kids).map(lambda lr: Node(1, None, lr)),
        max_leaves=max_leaves,
    )


def _depth(t: Node) -> float:
    if t.summand == 0:
        return float(t.label[0])
    return max(_depth(c) for c in t.children) + 1.0


@pytest.mark.slow  # 30 tree shapes, each compiled: CI runs it with -m slow
@settings(max_examples=30, deadline=None)
@given(trees=st.lists(_trees(), min_size=1, max_size=4))
def test_tree_fold_of_different_shapes_in_one_batch(trees):
    """fold(leaf a) = c_leaf(a), fold(node(l, r)) = c_node(fold l, fold r), level by level."""
    leaf, node = _depth_cells()
    f = fold("A + X**2", [leaf, node])
    params = f.init(jax.random.PRNGKey(0))
    batch = tree_batch("A + X**2", trees, 1)
    got = np.asarray(f.apply(params, batch))[:, 0]
    assert got.tolist() == [_depth(t) for t in trees]
    node_trees = [t for t in trees if t.summand == 1]
    if node_trees:  # the node law, against the folds of the children
        kids = tree_batch("A + X**2", [c for t in node_trees for c in t.children], 1)
        folded = f.apply(params, kids).reshape(len(node_trees), 2, 1)
        whole = f.apply(params, tree_batch("A + X**2", node_trees, 1))
        np.testing.assert_array_equal(np.asarray(whole), np.asarray(node.apply({}, None, folded)))


def test_neural_tree_fold_matches_recursion_by_hand():
    leaf_cell, node_cell = dense_cell(2, 5, 0), dense_cell(0, 5, 2)
    f = fold("A + X**2", [leaf_cell, node_cell])
    params = f.init(jax.random.PRNGKey(3))

    def by_hand(t: Node):
        if t.summand == 0:
            return leaf_cell.apply(params[0], jnp.asarray(t.label)[None], jnp.zeros((1, 0, 5)))
        kids = jnp.stack([by_hand(c)[0] for c in t.children])[None]
        return node_cell.apply(params[1], None, kids)

    leaf = lambda a: Node(0, np.array(a, np.float32), ())  # noqa: E731
    node = lambda l, r: Node(1, None, (l, r))  # noqa: E731
    trees = [node(leaf([1, 0]), node(leaf([0, 1]), leaf([2, 1]))), leaf([3, 3])]
    got = f.apply(params, tree_batch("A + X**2", trees, 2))
    want = jnp.concatenate([by_hand(t) for t in trees])
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)


def test_padding_never_changes_a_fold():
    f = fold("1 + A*X", [dense_cell(0, 4, 0), dense_cell(2, 4, 1)])
    params = f.init(jax.random.PRNGKey(1))
    short = np.arange(6, dtype=np.float32).reshape(3, 2)
    alone = f.apply(params, list_batch([short], 2))
    padded = f.apply(params, list_batch([short, np.ones((9, 2))], 2))
    np.testing.assert_allclose(np.asarray(alone[0]), np.asarray(padded[0]), rtol=1e-6)


# ----------------------------------------------------------------- unfolds and Mealy machines
@settings(max_examples=20, deadline=None)
@given(x0=st.lists(st.integers(-3, 3), min_size=1, max_size=4), steps=st.integers(1, 6))
def test_unfold_head_and_tail(x0, steps):
    """unfold(x) = cons(head(c(x)), unfold(tail(c(x)))), exactly for x ↦ (x, 2x + 1)."""
    cell = Cell(lambda k: {}, lambda p, x: (x, 2 * x + 1))
    run = unfold(cell, steps)
    x = jnp.asarray(np.array(x0, np.float32).reshape(-1, 1))
    stream = np.asarray(run({}, x))
    head, tail_state = cell.apply({}, x)
    np.testing.assert_array_equal(stream[:, 0], np.asarray(head))
    np.testing.assert_array_equal(
        stream[:, 1:], np.asarray(unfold(cell, steps - 1)({}, tail_state))
    )


def test_unfold_with_stop_masks_after_the_first_stop():
    # state counts down; stop once it is negative
    cell = Cell(lambda k: {}, lambda p, x: (-x[:, 0], x, x - 1))
    outs, alive = unfold(cell, 6, stop=True)({}, jnp.array([[2.0], [0.0]]))
    assert np.asarray(alive).tolist() == [
        [True, True, True, False, False, False],
        [True, False, False, False, False, False],
    ]
    assert np.asarray(outs)[0, :3, 0].tolist() == [2.0, 1.0, 0.0]


def test_neural_stream_and_mealy_cells_run_step_by_step():
    stream = dense_stream_cell(4, 2)
    p = stream.init(jax.random.PRNGKey(0))
    x0 = jax.random.normal(jax.random.PRNGKey(1), (3, 4))
    outs = unfold(stream, 5)(p, x0)
    x = x0
    for t in range(5):
        o, x = stream.apply(p, x)
        np.testing.assert_allclose(np.asarray(outs[:, t]), np.asarray(o), rtol=1e-5, atol=1e-6)
    machine = dense_mealy_cell(3, 4, 2)
    q = machine.init(jax.random.PRNGKey(2))
    inputs = jax.random.normal(jax.random.PRNGKey(3), (3, 7, 3))
    outputs, final = mealy(machine)(q, inputs, x0)
    x = x0
    for t in range(7):
        o, x = machine.apply(q, inputs[:, t], x)
        np.testing.assert_allclose(np.asarray(outputs[:, t]), np.asarray(o), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(final), np.asarray(x), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------- equivariant cells
def test_fold_over_sequences_of_sets_is_permutation_equivariant():
    """Each list item is a set of 4 scalars; one equivariant cell pair for the whole fold, and
    verify confirms that permuting every set alike permutes the result (S(4) on 5*V -> V)."""
    n, length = 4, 5
    f = fold(
        "1 + A*X", [equivariant_cell("S(4)", None, "V", 0), equivariant_cell("S(4)", "V", "V", 1)]
    )
    params = f.init(jax.random.PRNGKey(0))
    params = jax.tree_util.tree_map(lambda v: v + 0.3, params)  # a nonzero bias as well

    def run(x):
        seqs = jnp.asarray(x).reshape(x.shape[0], length, n)
        return f.apply(params, (seqs, jnp.full(x.shape[0], length)))

    def run_batch(x):
        from intertwine.recursion import ListBatch

        seqs = jnp.asarray(x, jnp.float32).reshape(x.shape[0], length, n)
        return f.apply(params, ListBatch(seqs, jnp.full((x.shape[0],), length)))

    report = it.verify(run_batch, "S(4)", f"{length}*V", "V")
    assert report, str(report)
    unshared = fold("1 + A*X", [dense_cell(0, n, 0), dense_cell(n, n, 1)])
    q = unshared.init(jax.random.PRNGKey(0))

    def run_dense(x):
        from intertwine.recursion import ListBatch

        seqs = jnp.asarray(x, jnp.float32).reshape(x.shape[0], length, n)
        return unshared.apply(q, ListBatch(seqs, jnp.full((x.shape[0],), length)))

    assert not it.verify(run_dense, "S(4)", f"{length}*V", "V")


# ----------------------------------------------------------------- bad input
def test_bad_algebras_and_structures_are_named():
    with pytest.raises(IntertwineError, match="needs as many cells"):
        fold("1 + A*X", [dense_cell(0, 2, 0)])
    with pytest.raises(IntertwineError, match="nothing to fold"):
        fold("A*X", [dense_cell(1, 2, 1)])
    with pytest.raises(IntertwineError, match="takes 2 children"):
        tree_batch("A + X**2", [Node(1, None, (Node(0, np.ones(1), ()),))], 1)
    with pytest.raises(IntertwineError, match="carries no label"):
        tree_batch("A + X**2", [Node(1, np.ones(1), (Node(0, np.ones(1), ()),) * 2)], 1)
    with pytest.raises(IntertwineError, match="not a constructor"):
        tree_batch("A + X**2", [Node(5, None, ())], 1)
    with pytest.raises(IntertwineError, match="no lists"):
        list_batch([])
    f = fold("A + X**2", [dense_cell(1, 2, 0), dense_cell(0, 2, 2)])
    with pytest.raises(IntertwineError, match="list functor"):
        f.apply(f.init(jax.random.PRNGKey(0)), list_batch([np.ones((2, 1))]))
    with pytest.raises(IntertwineError, match="steps"):
        unfold(dense_stream_cell(2, 1), -1)


@pytest.mark.slow  # a training run: CI runs it with -m slow
def test_the_example_generalises_to_lists_32_times_longer():
    """examples/recursion_mod3.py: trained on lengths 1-8, right on every length up to 256."""
    import subprocess
    import sys

    script = ROOT / "examples" / "recursion_mod3.py"
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    rows = [line.split() for line in run.stdout.splitlines() if line[:6].strip().isdigit()]
    accuracy = {int(r[0]): float(r[1]) for r in rows}
    assert set(accuracy) == {1, 4, 8, 16, 32, 64, 128, 256}
    assert min(accuracy.values()) >= 0.95
    assert "cannot run" in run.stdout


# ----------------------------------------------------------------- folds under x64 and jit(grad)
def _x64():
    ctx = getattr(jax, "enable_x64", None)
    if ctx is None:  # older JAX
        from jax.experimental import enable_x64 as ctx
    return ctx(True)


def _binary_trees():
    leaf = lambda a: Node(0, np.array(a, np.float32), ())  # noqa: E731
    node = lambda l, r: Node(1, None, (l, r))  # noqa: E731
    return [node(leaf([1, 0]), node(leaf([0, 1]), leaf([2, 1]))), leaf([3, 3])]


def _fold_by_numpy(params, t: Node) -> np.ndarray:
    """The fold by its definition, in float64 NumPy: leaf(a) = tanh(W a + b), node(l, r) =
    tanh(W [fold l; fold r] + b)."""
    p = params[t.summand]
    w, b = np.asarray(p["w"], np.float64), np.asarray(p["b"], np.float64)
    if t.summand == 0:
        return np.tanh(w @ np.asarray(t.label, np.float64) + b)
    return np.tanh(w @ np.concatenate([_fold_by_numpy(params, c) for c in t.children]) + b)


def test_tree_fold_runs_in_float64_under_x64():
    with _x64():
        f = fold("A + X**2", [dense_cell(2, 4, 0), dense_cell(0, 4, 2)])
        params = f.init(jax.random.PRNGKey(0))
        trees = _binary_trees()
        got = f.apply(params, tree_batch("A + X**2", trees, 2))
        assert got.dtype == jnp.float64
        want = np.stack([_fold_by_numpy(params, t) for t in trees])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)


def test_jit_of_grad_through_a_tree_fold_takes_the_batch_as_an_argument():
    f = fold("A + X**2", [dense_cell(2, 3, 0), dense_cell(0, 3, 2)])
    params = f.init(jax.random.PRNGKey(1))
    trees = _binary_trees()
    batch = tree_batch("A + X**2", trees, 2)
    assert len(jax.tree_util.tree_leaves(batch)) == 5  # the arrays; depth is static

    def loss(p, b):
        return jnp.sum(f.apply(p, b) ** 2)

    got = jax.jit(jax.grad(loss))(params, batch)
    # the same gradient by central differences of the float64 NumPy fold, one entry at a time
    w = np.asarray(params[1]["w"], np.float64)
    h = 1e-5
    for i, j in [(0, 0), (1, 4), (2, 5)]:
        up, down = [dict(p) for p in params], [dict(p) for p in params]
        up[1]["w"] = w.copy()
        up[1]["w"][i, j] += h
        down[1]["w"] = w.copy()
        down[1]["w"][i, j] -= h
        fd = sum(
            (np.sum(_fold_by_numpy(up, t) ** 2) - np.sum(_fold_by_numpy(down, t) ** 2)) / (2 * h)
            for t in trees
        )
        assert abs(float(got[1]["w"][i, j]) - fd) < 1e-4
