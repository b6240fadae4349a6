"""Representations as immutable values, built with the algebra ``+``, ``*``, ``**``, ``k*``, dual.

A :class:`Rep` is an expression over the standard reps of an :class:`Action`; its generator
matrices are computed from the expression:

- sum ``A + B``: block diagonal, blocks in the order written;
- tensor ``A * B``: discrete ρ_A(g)⊗ρ_B(g), Lie dρ_A(X)⊗I + I⊗dρ_B(X) (row-major ``kron``);
- power ``A**k``: the k-fold tensor product (``A**0`` is ``1``); ``k*A``: k copies of A;
- trivial ``1``: [[1]] for discrete generators, [[0]] for Lie generators;
- dual ``A.dual()`` (``V*``): ρ(g⁻¹)ᵀ and −dρ(X)ᵀ. Groups only: a monoid element need not have
  an inverse (a truncating shift is nilpotent), so the dual of a monoid rep is an error.

Two reps are equal when their generator matrices are equal; the hash is a content hash, so reps
can be cache keys and static fields.
"""

from __future__ import annotations

from functools import reduce

from ..errors import RepError
from ._action import Action
from ._matrix import Matrix, block_diag, kron

_PRECEDENCE = {"sum": 1, "copies": 1.5, "tensor": 2, "pow": 3, "dual": 4, "V": 5, "1": 5}


class Rep:
    """A representation of an action: an expression and the generator matrices it yields."""

    __slots__ = ("action", "node", "_cache")

    action: Action
    node: tuple
    _cache: dict

    def __init__(self, action: Action, node: tuple):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "_cache", {})
        if node[0] == "dual" and not action.is_group:
            raise RepError(
                f"{action.name} is a monoid, so its reps have no dual: V* needs ρ(g⁻¹), which a "
                f"monoid element need not have (a truncating shift is nilpotent); use V instead"
            )

    def __setattr__(self, name, value):
        raise AttributeError("Rep is immutable")

    # ----------------------------------------------------------------- algebra
    def _check(self, other: object) -> Rep:
        if isinstance(other, int) and other == 1:
            return self.action.trivial()
        if not isinstance(other, Rep):
            raise RepError(f"cannot combine a Rep with {type(other).__name__}; use Rep values")
        if other.action != self.action:
            raise RepError(
                f"reps of different actions ({self.action.name} and "
                f"{other.action.name}) cannot be combined"
            )
        return other

    def __add__(self, other: object) -> Rep:
        other = self._check(other)
        parts = [p for r in (self, other) for p in (r.node[1] if r.node[0] == "sum" else (r,))]
        return Rep(self.action, ("sum", tuple(parts)))

    __radd__ = __add__

    def __mul__(self, other: object) -> Rep:
        other = self._check(other)
        parts = [p for r in (self, other) for p in (r.node[1] if r.node[0] == "tensor" else (r,))]
        return Rep(self.action, ("tensor", tuple(parts)))

    def __rmul__(self, k: object) -> Rep:
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise RepError(f"k*A needs a positive integer k, not {k!r}")
        return self if k == 1 else Rep(self.action, ("copies", k, self))

    def __pow__(self, k: object) -> Rep:
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            raise RepError(f"A**k needs a non-negative integer k, not {k!r}")
        if k == 0:
            return self.action.trivial()
        return self if k == 1 else Rep(self.action, ("pow", self, k))

    def dual(self) -> Rep:
        """V* = ρ(g⁻¹)ᵀ (Lie: −dρᵀ); groups only."""
        if self.node[0] == "dual":
            return self.node[1]
        return Rep(self.action, ("dual", self))

    # ----------------------------------------------------------------- facts
    @property
    def dim(self) -> int:
        kind = self.node[0]
        if kind == "V":
            return self.action.degrees[self.node[1]]
        if kind == "1":
            return 1
        if kind == "sum":
            return sum(r.dim for r in self.node[1])
        if kind == "tensor":
            return reduce(lambda a, b: a * b, (r.dim for r in self.node[1]), 1)
        if kind == "pow":
            return self.node[1].dim ** self.node[2]
        if kind == "copies":
            return self.node[1] * self.node[2].dim
        return self.node[1].dim  # dual

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

    def numpy(self) -> list:
        """The generator matrices as dense float64 numpy arrays."""
        return [m.to_numpy() for m in self.generators]

    def sparse(self) -> list:
        """The generator matrices as float64 scipy.sparse CSR arrays (never densified)."""
        return [m.to_scipy() for m in self.generators]

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

    def _has_dual(self) -> bool:
        kind = self.node[0]
        if kind == "dual":
            return True
        if kind in ("sum", "tensor"):
            return any(r._has_dual() for r in self.node[1])
        if kind == "pow":
            return self.node[1]._has_dual()
        if kind == "copies":
            return self.node[2]._has_dual()
        return False

    def _eval(self, kind: str, base: tuple[Matrix, ...], inv: tuple[Matrix, ...] | None) -> Matrix:
        node = self.node
        tag = node[0]
        if tag == "V":
            return base[node[1]]
        if tag == "1":
            return Matrix.identity(1) if kind == "discrete" else Matrix.zeros(1)
        if tag == "sum":
            return block_diag([r._eval(kind, base, inv) for r in node[1]])
        if tag == "copies":
            block = node[2]._eval(kind, base, inv)
            return block_diag([block] * node[1])
        if tag == "dual":
            if kind == "discrete":
                assert inv is not None
                return node[1]._eval(kind, inv, base).T
            return -node[1]._eval(kind, base, inv).T
        mats = (
            [r._eval(kind, base, inv) for r in node[1]]
            if tag == "tensor"
            else [node[1]._eval(kind, base, inv)] * node[2]
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
        return (self.dim, self.generator_kinds, tuple(m.digest() for m in self.generators))

    def digest(self) -> bytes:
        import hashlib

        h = hashlib.sha256(repr(self._key()[:2]).encode())
        for m in self.generators:
            h.update(m.digest())
        return h.digest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rep):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        return f"Rep({self._text()!r}, action={self.action.name!r}, dim={self.dim})"

    def _text(self, parent: float = 0) -> str:
        node = self.node
        tag = node[0]
        if tag == "V":
            text = self.action.factor_names[node[1]]
        elif tag == "1":
            text = "1"
        elif tag == "sum":
            text = " + ".join(r._text(1) for r in node[1])
        elif tag == "tensor":
            text = " * ".join(r._text(2) for r in node[1])
        elif tag == "copies":
            text = f"{node[1]}*{node[2]._text(3)}"
        elif tag == "pow":
            text = f"{node[1]._text(4)}**{node[2]}"
        else:
            text = f"{node[1]._text(5)}*"
        return f"({text})" if _PRECEDENCE[tag] < parent or (tag == "dual" and parent >= 4) else text


def _prod(xs) -> int:
    return reduce(lambda a, b: a * b, xs, 1)
