"""The structures a fold consumes, batched for JAX: padded lists and flattened trees.

- :class:`ListBatch`: lists of label vectors padded to a common length, with their lengths;
- :class:`TreeBatch`: structures of any polynomial functor built from :class:`Node` values,
  flattened into one array of nodes, children before parents, each with its level (0 for
  leaves, 1 + the largest child level otherwise), so that a fold runs level by level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import IntertwineError
from ._functor import Functor, parse_functor


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
