"""Folds (catamorphisms) with one shared parameter set (unfolds and Mealy machines: ``_unfold``).

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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..codegen.layers import Apply, Init
from ..errors import IntertwineError
from ._cells import Cell
from ._functor import Functor, parse_functor
from ._structures import ListBatch, TreeBatch


class Fold(NamedTuple):
    """A fold as a pure pair: ``init(key) -> params`` (one entry per summand's cell) and
    ``apply(params, batch) -> states`` (B, d) for a ListBatch or TreeBatch (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
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
