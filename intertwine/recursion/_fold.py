"""Folds (catamorphisms), unfolds (anamorphisms) and Mealy machines with one shared parameter set.

For a polynomial functor F(X) = Σ_i A_i × X^{k_i}, an F-algebra is one cell per summand,
c_i : A_i × X^{k_i} → X. The fold of a structure t = con_i(a, t_1, ..., t_k) is the unique algebra
homomorphism out of the initial algebra:

    fold(con_i(a, t_1, ..., t_k)) = c_i(a, fold(t_1), ..., fold(t_k)),

so every node of every structure reuses the same parameters (the weight tying of recursion).

- Lists (1 + A × X): a ``lax.scan`` from the end of each list to its start, with a mask for a
  batch of different lengths: fold(nil) = c_nil, fold(cons(a, l)) = c_cons(a, fold(l)).
- Any polynomial functor (binary trees A + X², rose-like A × X³ + 1, ...): the structures of a
  batch are flattened into one array of nodes with their level (0 for leaves, 1 + the largest
  child level otherwise); one ``fori_loop`` over levels computes every node of a level at once,
  reading its children's states, already final. Cost O(depth × nodes), no Python loop per node.
- Unfolds: a coalgebra x ↦ (a, x') for A × X generates a stream of a fixed length; with a stop
  logit (1 + A × X) every step after the first stop is masked.
- Mealy machines X → (O × X)^I: (i, x) ↦ (o, x') over an input stream, by ``lax.scan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import IntertwineError
from ._cells import Cell
from ._functor import Functor, parse_functor


# ----------------------------------------------------------------- structures
class ListBatch(NamedTuple):
    """Lists of labels padded to a common length: ``labels`` (B, T, a), ``lengths`` (B,)."""

    labels: Any
    lengths: Any


class Node(NamedTuple):
    """One constructor application: summand index, its label vector (None if it has none), and
    its children."""

    summand: int
    label: Any
    children: tuple


@dataclass(frozen=True)
class TreeBatch:
    """Structures flattened into nodes, children before parents.

    ``summand`` (N,), ``labels`` (N, a) (zeros where a node has none), ``children`` (N, K)
    node indices (−1 past a node's arity), ``level`` (N,), ``roots`` (B,), and ``depth``, the
    number of levels: a static field of the pytree (not a leaf), so that ``jax.jit`` of a
    gradient through the fold sees a fixed loop length."""

    summand: Any
    labels: Any
    children: Any
    level: Any
    roots: Any
    depth: int

    def __post_init__(self) -> None:
        _register_tree_batch()


_REGISTERED: list[bool] = []


def _register_tree_batch() -> None:
    """Register :class:`TreeBatch` with JAX (arrays as leaves, ``depth`` as static metadata) on
    first construction, so that ``import intertwine.recursion`` does not import JAX."""
    if _REGISTERED:
        return
    import jax

    _REGISTERED.append(True)
    jax.tree_util.register_dataclass(
        TreeBatch,
        data_fields=["summand", "labels", "children", "level", "roots"],
        meta_fields=["depth"],
    )


def list_batch(sequences: Sequence[Any], label_dim: int | None = None) -> ListBatch:
    """Pad lists of label vectors (each of shape (length, a)) into a :class:`ListBatch`."""
    if not len(sequences):
        raise IntertwineError("no lists given; pass at least one (it may be empty)")
    arrays = [np.asarray(s, dtype=np.float32) for s in sequences]
    dims = {a.shape[1] for a in arrays if a.ndim == 2 and a.shape[0]}
    if label_dim is None:
        if len(dims) != 1:
            raise IntertwineError("give label_dim: the lists are empty or disagree on it")
        label_dim = dims.pop()
    longest = max(a.shape[0] for a in arrays)
    labels = np.zeros((len(arrays), max(longest, 1), label_dim), np.float32)
    for b, a in enumerate(arrays):
        if a.size and (a.ndim != 2 or a.shape[1] != label_dim):
            raise IntertwineError(f"list {b} has shape {a.shape}; expected (length, {label_dim})")
        labels[b, : a.shape[0]] = a.reshape(a.shape[0], label_dim) if a.size else 0
    return ListBatch(labels, np.array([a.shape[0] for a in arrays], np.int32))


def tree_batch(functor: Functor | str, trees: Sequence[Node], label_dim: int = 0) -> TreeBatch:
    """Flatten structures built from :class:`Node` values (checked against the functor)."""
    functor = parse_functor(functor)
    summand: list[int] = []
    labels: list[np.ndarray] = []
    children: list[list[int]] = []
    level: list[int] = []
    roots: list[int] = []
    width = max(functor.max_arity, 1)

    def visit(node: Any, depth: int) -> int:
        if depth > 100_000:
            raise IntertwineError("a structure is deeper than 100000 levels")
        if not isinstance(node, Node):
            raise IntertwineError(f"a structure is built from Node values, not {node!r}")
        if not 0 <= node.summand < len(functor.summands):
            raise IntertwineError(f"summand {node.summand} is not a constructor of {functor}")
        mono = functor.summands[node.summand]
        if len(node.children) != mono.arity:
            raise IntertwineError(
                f"constructor {mono} takes {mono.arity} children, got {len(node.children)}"
            )
        kids = [visit(c, depth + 1) for c in node.children]
        vec = np.zeros(label_dim, np.float32)
        if mono.labels:
            lab = np.asarray(node.label, np.float32).reshape(-1)
            if lab.size != label_dim:
                raise IntertwineError(f"a label has {lab.size} entries; label_dim is {label_dim}")
            vec = lab
        elif node.label is not None:
            raise IntertwineError(f"constructor {mono} carries no label, got {node.label!r}")
        summand.append(node.summand)
        labels.append(vec)
        children.append(kids + [-1] * (width - len(kids)))
        level.append(1 + max((level[k] for k in kids), default=-1))
        return len(summand) - 1

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        for t in trees:
            roots.append(visit(t, 0))
    except RecursionError:
        raise IntertwineError(
            "a structure is too deep to flatten; the limit is about 10^4"
        ) from None
    finally:
        sys.setrecursionlimit(limit)
    if not roots:
        raise IntertwineError("no structures given; pass at least one")
    return TreeBatch(
        np.array(summand, np.int32),
        np.array(labels, np.float32).reshape(len(summand), label_dim),
        np.array(children, np.int32).reshape(len(summand), width),
        np.array(level, np.int32),
        np.array(roots, np.int32),
        int(max(level)) + 1,
    )


# ----------------------------------------------------------------- folds
class Fold(NamedTuple):
    """A fold as a pure pair: ``init(key) -> params`` (one entry per summand's cell) and
    ``apply(params, batch) -> states`` (B, d) for a ListBatch or TreeBatch."""

    init: Any
    apply: Any
    functor: Functor

    def __repr__(self) -> str:
        return f"Fold({self.functor})"


def fold(functor: Functor | str, cells: Sequence[Cell]) -> Fold:
    """The fold of an F-algebra given by one cell per summand of F (in the functor's order)."""
    functor = parse_functor(functor)
    cells = tuple(cells)
    if len(cells) != len(functor.summands):
        raise IntertwineError(
            f"{functor} has {len(functor.summands)} summands, so the algebra needs as many "
            f"cells; got {len(cells)}"
        )
    if not functor.has_base_case:
        raise IntertwineError(f"{functor} has no constructor without children: nothing to fold")

    def init(key):
        import jax

        keys = jax.random.split(key, len(cells))
        return tuple(c.init(k) for c, k in zip(cells, keys))

    def apply(params, batch):
        if isinstance(batch, ListBatch):
            if not functor.is_list:
                raise IntertwineError(f"a ListBatch folds the list functor 1 + A*X, not {functor}")
            return _fold_list(functor, cells, params, batch)
        if isinstance(batch, TreeBatch):
            return _fold_tree(functor, cells, params, batch)
        raise IntertwineError(f"fold a ListBatch or a TreeBatch, not {type(batch).__name__}")

    return Fold(init, apply, functor)


def _fold_list(functor: Functor, cells, params, batch: ListBatch):
    import jax
    import jax.numpy as jnp

    nil = next(i for i, m in enumerate(functor.summands) if m.arity == 0)
    cons = 1 - nil
    labels = jnp.asarray(batch.labels)
    lengths = jnp.asarray(batch.lengths, dtype=jnp.int32)  # one index dtype, x64 or not
    b, t = labels.shape[0], labels.shape[1]
    dtype = labels.dtype if jnp.issubdtype(labels.dtype, jnp.floating) else jnp.float32
    labels = labels.astype(dtype)
    state = cells[nil].apply(params[nil], None, jnp.zeros((b, 0, 0), dtype))

    def step(x, inputs):
        a, position = inputs
        y = cells[cons].apply(params[cons], a, x[:, None, :])
        return jnp.where((position < lengths)[:, None], y, x), None

    positions = jnp.arange(t, dtype=jnp.int32)[::-1]
    steps = (jnp.swapaxes(labels, 0, 1)[::-1], positions)
    state, _ = jax.lax.scan(step, state, steps)
    return state


def _fold_tree(functor: Functor, cells, params, batch: TreeBatch):
    import jax
    import jax.numpy as jnp

    labels = jnp.asarray(batch.labels)
    dtype = _float_dtype(params, labels)
    labels = labels.astype(dtype)
    summand = jnp.asarray(batch.summand)
    children = jnp.asarray(batch.children)
    level = jnp.asarray(batch.level)
    n = labels.shape[0]
    d = _state_dim(functor, cells, params, labels)
    states = jnp.zeros((n, d), dtype)

    def one_level(ell, states):
        new = states
        for i, (mono, cell) in enumerate(zip(functor.summands, cells)):
            kids = states[jnp.maximum(children[:, : mono.arity], 0)]  # (N, k, d)
            out = cell.apply(params[i], labels if mono.labels else None, kids)
            new = jnp.where(((summand == i) & (level == ell))[:, None], out.astype(dtype), new)
        return new

    states = jax.lax.fori_loop(0, batch.depth, one_level, states)
    return states[jnp.asarray(batch.roots)]


def _float_dtype(params, labels):
    """The states' dtype: the promotion of the parameters' and the labels' floating dtypes
    (float64 under ``jax_enable_x64`` with float64 parameters, float32 by default)."""
    import jax
    import jax.numpy as jnp

    dtypes = [jnp.result_type(leaf) for leaf in [*jax.tree_util.tree_leaves(params), labels]]
    floats = [d for d in dtypes if jnp.issubdtype(d, jnp.floating)]
    # the widest, chosen by hand: strict dtype promotion refuses float32 with float64
    return max(floats, key=lambda d: d.itemsize) if floats else jnp.dtype(jnp.float32)


def _state_dim(functor: Functor, cells, params, labels) -> int:
    """The state size, from the first nullary constructor's cell."""
    import jax.numpy as jnp

    i = next(i for i, m in enumerate(functor.summands) if m.arity == 0)
    mono = functor.summands[i]
    out = cells[i].apply(params[i], labels[:1] if mono.labels else None, jnp.zeros((1, 0, 0)))
    return int(out.shape[-1])


# ----------------------------------------------------------------- unfolds and Mealy machines
def unfold(cell: Cell, steps: int, stop: bool = False):
    """The anamorphism of a stream coalgebra x ↦ (a, x') as ``apply(params, x0) -> (B, steps, a)``;
    with ``stop=True`` the cell returns (stop_logit, a, x') (a coalgebra for 1 + A × X) and the
    result is ``(outputs, alive)`` with alive[b, t] false from the first positive stop logit on."""
    import jax
    import jax.numpy as jnp

    if not isinstance(steps, int) or steps < 0:
        raise IntertwineError(f"steps must be a non-negative integer, not {steps!r}")

    def apply(params, x0):
        def step(carry, _):
            x, alive = carry
            if stop:
                logit, a, nxt = cell.apply(params, x)
                alive = alive & (logit.reshape(-1) <= 0)
                return (nxt, alive), (a, alive)
            a, nxt = cell.apply(params, x)
            return (nxt, alive), (a, alive)

        alive0 = jnp.ones(x0.shape[0], bool)
        _, (outs, alive) = jax.lax.scan(step, (x0, alive0), None, length=steps)
        outs = jnp.swapaxes(outs, 0, 1)
        return (outs, jnp.swapaxes(alive, 0, 1)) if stop else outs

    return apply


def mealy(cell: Cell):
    """Run a Mealy machine (i, x) ↦ (o, x') over inputs (B, T, i) from states x0 (B, d):
    ``apply(params, inputs, x0) -> (outputs (B, T, o), final states (B, d))``."""
    import jax
    import jax.numpy as jnp

    def apply(params, inputs, x0):
        def step(x, i):
            o, nxt = cell.apply(params, i, x)
            return nxt, o

        final, outs = jax.lax.scan(step, x0, jnp.swapaxes(jnp.asarray(inputs), 0, 1))
        return jnp.swapaxes(outs, 0, 1), final

    return apply
