"""Representations as immutable values, built with the algebra ``+``, ``*``, ``**``, ``k*``, dual.

A :class:`Rep` is an expression over the standard reps of an :class:`Action`; its generator
matrices are computed from the expression:

- sum ``A + B``: block diagonal, blocks in the order written;
- tensor ``A * B``: discrete ρ_A(g)⊗ρ_B(g), Lie dρ_A(X)⊗I + I⊗dρ_B(X) (row-major ``kron``);
- power ``A**k``: the k-fold tensor product (``A**0`` is ``1``); ``k*A``: k copies of A;
- trivial ``1``: [[1]] for discrete generators, [[0]] for Lie generators;
- dual ``A.dual()`` (``V*``): ρ(g⁻¹)ᵀ and −dρ(X)ᵀ. Groups only: a monoid element need not have
  an inverse (a truncating shift is nilpotent), so the dual of a monoid rep is an error;
- derived nodes (:class:`Derived`), each in its own module: ``Sym``, ``Alt`` and index symmetries
  (``_powers.py``), ``det`` (``_det.py``), the regular rep ``R`` (``_regular.py``).

Two reps are equal when their generator matrices are equal; the hash is a content hash, so reps
can be cache keys and static fields.
"""

from __future__ import annotations

from functools import reduce
from typing import TYPE_CHECKING

from ..errors import RepError
from ._matrix import Matrix
from ._matrix_build import block_diag, kron
from ._rep_nodes import _PRECEDENCE
from ._rep_nodes import Copies as Copies
from ._rep_nodes import Derived as Derived
from ._rep_nodes import Dual as Dual
from ._rep_nodes import Irrep as Irrep
from ._rep_nodes import Node as Node
from ._rep_nodes import Power as Power
from ._rep_nodes import Standard as Standard
from ._rep_nodes import Sum as Sum
from ._rep_nodes import Tensor as Tensor
from ._rep_nodes import Trivial as Trivial

if TYPE_CHECKING:
    from ._action import Action


class Rep:
    """A representation of an action: an expression node and the generator matrices it yields."""

    __slots__ = ("action", "node", "_cache")

    action: Action
    node: Node
    _cache: dict

    def __init__(self, action: Action, node: Node):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "_cache", {})
        if isinstance(node, Dual) and not action.is_group:
            raise RepError(
                f"{action.name} is a monoid, so its reps have no dual: V* needs ρ(g⁻¹), which a "
                f"monoid element need not have (a truncating shift is nilpotent); use V instead"
            )

    def __setattr__(self, name, value):
        raise AttributeError("Rep is immutable")

    # ----------------------------------------------------------------- algebra
    def _check(self, other: object) -> Rep:
        if isinstance(other, int) and not isinstance(other, bool) and other == 1:
            return self.action.trivial()
        if not isinstance(other, Rep):
            raise RepError(f"cannot combine a Rep with {type(other).__name__}; use Rep values")
        if other.action != self.action:
            raise RepError(
                f"reps of different actions ({self.action.name} and "
                f"{other.action.name}) cannot be combined"
            )
        return other

    @staticmethod
    def _sum(first: Rep, second: Rep) -> Rep:
        parts = [
            p for r in (first, second) for p in (r.node.parts if isinstance(r.node, Sum) else (r,))
        ]
        return Rep(first.action, Sum(tuple(parts)))

    def __add__(self, other: object) -> Rep:
        return Rep._sum(self, self._check(other))

    def __radd__(self, other: object) -> Rep:
        """``1 + V``: the blocks stay in the order written (the trivial block first)."""
        return Rep._sum(self._check(other), self)

    def __mul__(self, other: object) -> Rep:
        other = self._check(other)
        parts = [
            p for r in (self, other) for p in (r.node.parts if isinstance(r.node, Tensor) else (r,))
        ]
        return Rep(self.action, Tensor(tuple(parts)))

    def __rmul__(self, k: object) -> Rep:
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise RepError(f"k*A needs a positive integer k, not {k!r}")
        return self if k == 1 else Rep(self.action, Copies(k, self))

    def __pow__(self, k: object) -> Rep:
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            raise RepError(f"A**k needs a non-negative integer k, not {k!r}")
        if k == 0:
            return self.action.trivial()
        return self if k == 1 else Rep(self.action, Power(self, k))

    def dual(self) -> Rep:
        """V* = ρ(g⁻¹)ᵀ (Lie: −dρᵀ); groups only."""
        if isinstance(self.node, Dual):
            return self.node.base
        return Rep(self.action, Dual(self))

    # ----------------------------------------------------------------- facts
    @property
    def dim(self) -> int:
        node = self.node
        if isinstance(node, Standard):
            return self.action.degrees[node.factor]
        if isinstance(node, Trivial):
            return 1
        if isinstance(node, Irrep):
            return node.irrep.dim
        if isinstance(node, Sum):
            return sum(r.dim for r in node.parts)
        if isinstance(node, Tensor):
            return _prod(r.dim for r in node.parts)
        if isinstance(node, Power):
            return node.base.dim**node.exponent
        if isinstance(node, Copies):
            return node.count * node.base.dim
        if isinstance(node, Derived):
            return node.dim()
        return node.base.dim  # Dual

    @property
    def generators(self) -> tuple[Matrix, ...]:
        """ρ(X) for each generator X of the action, in the action's order."""
        if "gens" not in self._cache:
            acts = self.action
            out = []
            for i, g in enumerate(acts.generators):
                inv = acts.inverses[i] if (g.kind == "discrete" and self._has_dual()) else None
                out.append(self._eval(g.kind, g.matrices, inv))
            self._cache["gens"] = tuple(out)
        return self._cache["gens"]

    def to_numpy(self) -> list:
        """The generator matrices as dense float64 numpy arrays."""
        return [m.to_numpy() for m in self.generators]

    def to_scipy(self) -> list:
        """The generator matrices as float64 scipy.sparse CSR arrays (never densified)."""
        return [m.to_scipy() for m in self.generators]

    numpy = to_numpy  # older names, kept as aliases
    sparse = to_scipy

    @property
    def helpers(self) -> tuple[Matrix, ...]:
        """ρ(h) for each helper element of the action (known members of the group)."""
        if "helpers" not in self._cache:
            acts = self.action
            self._cache["helpers"] = tuple(
                self._eval("discrete", h, acts.helper_inverses[i] if self._has_dual() else None)
                for i, h in enumerate(acts.helpers)
            )
        return self._cache["helpers"]

    @property
    def generator_kinds(self) -> tuple[str, ...]:
        return tuple(g.kind for g in self.action.generators)

    def children(self) -> tuple[Rep, ...]:
        """The reps this one is built from (empty for V and 1)."""
        node = self.node
        if isinstance(node, (Sum, Tensor)):
            return node.parts
        if isinstance(node, (Power, Copies, Dual)):
            return (node.base,)
        if isinstance(node, Derived):
            return node.children()
        return ()

    def _has_dual(self) -> bool:
        return isinstance(self.node, Dual) or any(r._has_dual() for r in self.children())

    def _eval(self, kind: str, base: tuple[Matrix, ...], inv: tuple[Matrix, ...] | None) -> Matrix:
        node = self.node
        if isinstance(node, Standard):
            return base[node.factor]
        if isinstance(node, Trivial):
            return Matrix.identity(1) if kind == "discrete" else Matrix.zeros(1)
        if isinstance(node, Irrep):
            return node.irrep.matrix(kind, base)
        if isinstance(node, Sum):
            return block_diag([r._eval(kind, base, inv) for r in node.parts])
        if isinstance(node, Copies):
            return block_diag([node.base._eval(kind, base, inv)] * node.count)
        if isinstance(node, Derived):
            return node.evaluate(kind, base, inv)
        if isinstance(node, Dual):
            if kind == "discrete":
                assert inv is not None
                return node.base._eval(kind, inv, base).T
            return -node.base._eval(kind, base, inv).T
        mats = (
            [r._eval(kind, base, inv) for r in node.parts]
            if isinstance(node, Tensor)
            else [node.base._eval(kind, base, inv)] * node.exponent
        )
        if kind == "discrete":
            return reduce(kron, mats)
        total = None
        dims = [m.shape[0] for m in mats]
        for i, m in enumerate(mats):
            left = Matrix.identity(_prod(dims[:i]))
            right = Matrix.identity(_prod(dims[i + 1 :]))
            term = kron(kron(left, m), right)
            total = term if total is None else total + term
        assert total is not None
        return total

    # ----------------------------------------------------------------- identity and text
    def _key(self) -> tuple:
        return (self.dim, self.generator_kinds, self.generators)

    def digest(self) -> bytes:
        import hashlib

        h = hashlib.sha256(repr((self.dim, self.generator_kinds)).encode())
        for m in self.generators:
            h.update(m.digest())
        return h.digest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rep):
            return NotImplemented
        if self.dim != other.dim or self.generator_kinds != other.generator_kinds:
            return False  # without listing generator matrices (V**4 at n = 100 has 10^8 rows)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        return f"Rep({self._text()!r}, action={self.action.name!r}, dim={self.dim})"

    def _repr_html_(self) -> str:
        import html

        return (
            f"<code>{html.escape(self._text())}</code>: a rep of {html.escape(self.action.name)} "
            f"({self.action.kind}), dimension {self.dim}"
        )

    def _text(self, parent: float = 0) -> str:
        node = self.node
        if isinstance(node, Standard):
            text = self.action.factor_names[node.factor]
        elif isinstance(node, Trivial):
            text = "1"
        elif isinstance(node, Sum):
            text = " + ".join(r._text(1) for r in node.parts)
        elif isinstance(node, Tensor):
            text = " * ".join(r._text(2) for r in node.parts)
        elif isinstance(node, Irrep):
            text = f"1x{node.irrep.name}" if parent < 1.5 else node.irrep.name
        elif isinstance(node, Copies) and isinstance(node.base.node, Irrep):
            text, node = f"{node.count}x{node.base.node.irrep.name}", node.base.node
        elif isinstance(node, Copies):
            text = f"{node.count}*{node.base._text(3)}"
        elif isinstance(node, Power):
            text = f"{node.base._text(4)}**{node.exponent}"
        elif isinstance(node, Derived):
            text = node.text()  # an atom: a name, or a call such as Sym(V, 2)
        else:
            text = f"{node.base._text(5)}*"
        prec = _PRECEDENCE.get(type(node), 5)
        dual_in_power = isinstance(node, Dual) and parent >= 4
        return f"({text})" if prec < parent or dual_in_power else text


def _prod(xs) -> int:
    return reduce(lambda a, b: a * b, xs, 1)
