"""The embedding of a rep into plain tensor powers: ρ(X) = P ρ_parent(X) E, with P E = I.

``Sym``, ``Alt`` and index-symmetric tensors are subreps of tensor powers (see ``_powers.py``).
:func:`embedding` replaces each of them, wherever it occurs in an expression, by the tensor power
it lives in, and returns the matrices that go between the two:

- E (parent.dim × dim) with ρ_parent(X) E = E ρ(X): a rep vector x is the parent vector E x;
- P (dim × parent.dim) with P E = I and ρ(X) = P ρ_parent(X) E.

So a layer on ``Sym(V, 2)`` is a layer on ``V**2`` composed with E (input) and P (output).
Composition rules: sums and copies give block-diagonal E and P; tensor products and powers give
Kronecker products (ρ⊗ρ' = (P⊗P')(ρ_par⊗ρ'_par)(E⊗E'), also for Lie generators, whose tensor
rule is linear in each factor); a dual gives E' = Pᵀ, P' = Eᵀ (then P'ρ*E' = (Pρ(g⁻¹)E)ᵀ).
Reps without such a node (V, 1, det, R, ...) embed in themselves with E = P = I.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from ..errors import RepError
from ._matrix import Matrix
from ._matrix_build import block_diag, kron
from ._powers import FixedTensors
from ._rep import Copies, Dual, Power, Rep, Sum, Tensor


@dataclass(frozen=True)
class Embedding:
    """``rep`` inside ``parent`` (a rep with no Sym/Alt/Tensor(...) node): E, and P with P E = I.

    Shapes: E is ``parent.dim × rep.dim``; P is ``rep.dim × parent.dim``.
    """

    rep: Rep
    parent: Rep
    E: Matrix
    P: Matrix

    @property
    def is_identity(self) -> bool:
        return self.parent is self.rep


MAX_IDENTITY = 10**7  # the largest identity block an embedding builds


def embedding(rep: Rep) -> Embedding:
    """The :class:`Embedding` of ``rep`` into plain tensor powers (module docstring).

    Raises :class:`RepError` when ``rep`` is not a Rep, or when a plain part of it is above
    ``MAX_IDENTITY`` dimensions (its identity block is not built).

    >>> import intertwine as it
    >>> emb = it.embedding(it.rep("SO(3)", "Sym(V, 2)"))
    >>> str(emb.parent), emb.E.shape, (emb.P @ emb.E) == it.Matrix.identity(6)
    ('V**2', (9, 6), True)
    """
    if not isinstance(rep, Rep):
        raise RepError(f"embedding takes a Rep, not {type(rep).__name__}")
    if not _has_fixed(rep):
        if rep.dim > MAX_IDENTITY:
            raise RepError(
                f"the embedding of {rep} would hold a {rep.dim} x {rep.dim} identity block, above "
                f"the limit of {MAX_IDENTITY}; embed its Sym/Alt/Tensor(...) parts alone"
            )
        eye = Matrix.identity(rep.dim)
        return Embedding(rep, rep, eye, eye)
    node = rep.node
    if isinstance(node, FixedTensors):
        fb = node.basis()
        inner = embedding(node.parent)
        if inner.is_identity:
            return Embedding(rep, node.parent, fb.E, fb.P)
        return Embedding(rep, inner.parent, inner.E @ fb.E, fb.P @ inner.P)
    if isinstance(node, (Sum, Copies)):
        parts = [embedding(r) for r in (node.parts if isinstance(node, Sum) else [node.base])]
        if isinstance(node, Copies):
            parts = parts * node.count
        parent = reduce(lambda a, b: a + b, (p.parent for p in parts))
        return Embedding(
            rep, parent, block_diag([p.E for p in parts]), block_diag([p.P for p in parts])
        )
    if isinstance(node, (Tensor, Power)):
        factors = list(node.parts) if isinstance(node, Tensor) else [node.base] * node.exponent
        embs = [embedding(r) for r in factors]
        parent = (
            embs[0].parent ** node.exponent
            if isinstance(node, Power)
            else reduce(lambda a, b: a * b, (e.parent for e in embs))
        )
        return Embedding(
            rep, parent, reduce(kron, (e.E for e in embs)), reduce(kron, (e.P for e in embs))
        )
    if isinstance(node, Dual):
        inner = embedding(node.base)
        return Embedding(rep, inner.parent.dual(), inner.P.T, inner.E.T)
    raise RepError(f"{rep} has no embedding into tensor powers")  # pragma: no cover


def is_subrep(rep: Rep) -> bool:
    """Whether ``rep`` has a Sym/Alt/Tensor(...) part, i.e. a nontrivial :func:`embedding`
    (a check that builds no matrix, so it is cheap for reps of any dimension).

    >>> import intertwine as it
    >>> is_subrep(it.rep("SO(3)", "V + Sym(V, 2)")), is_subrep(it.rep("SO(3)", "V**40"))
    (True, False)
    """
    return _has_fixed(rep)


def _has_fixed(rep: Rep) -> bool:
    """A Sym/Alt/Tensor(...) node reached through sums, tensors, powers and duals (det and R
    are reps of their own, not subreps, so their insides do not count)."""
    node = rep.node
    if isinstance(node, FixedTensors):
        return True
    if isinstance(node, (Sum, Copies, Tensor, Power, Dual)):
        return any(_has_fixed(r) for r in rep.children())
    return False
