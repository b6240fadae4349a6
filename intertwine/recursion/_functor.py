"""Polynomial endofunctors F(X) = Σ_i A_i × X^{k_i}, as values with a compact string form.

An algebra F(X) → X is a weight-tying scheme for structural recursion (Gavranović et al.,
*Categorical Deep Learning*, ICML 2024): one map per summand, applied at every node of every
structure, so its parameters are shared by all of them. ``1 + A*X`` gives list folds (an RNN cell
and its initial state), ``A + X**2`` folds over binary trees with labelled leaves, ``A*X`` the
stream coalgebras (unfolds), and a Mealy machine is a coalgebra X → (O × X)^I.

The language: ``1`` (the unit), ``X`` (the carrier), alphabet names (``A``, ``B``, ``O``, ...: an
uppercase letter then letters or digits, never X), ``+``, ``*``, ``X**k`` and parentheses. A
functor is kept in normal form, a sum of monomials ``A_1 × ... × A_m × X^k`` (products distributed
over sums, factors sorted), so ``(1 + A)*X`` equals ``X + A*X``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SpecError

MAX_FUNCTOR_LENGTH = 500
MAX_ARITY = 16
MAX_SUMMANDS = 64
_TOKEN = re.compile(r"\s*(\*\*|[+*()]|[0-9]+|[A-Z][A-Za-z0-9_]*)")


@dataclass(frozen=True, order=True)
class Monomial:
    """A_1 × ... × A_m × X^arity: the labels a node carries and how many children it has."""

    labels: tuple[str, ...]
    arity: int

    def __str__(self) -> str:
        parts = list(self.labels)
        if self.arity == 1:
            parts.append("X")
        elif self.arity > 1:
            parts.append(f"X**{self.arity}")
        return "*".join(parts) if parts else "1"


@dataclass(frozen=True)
class Functor:
    """F(X) = Σ_i A_i × X^{k_i}, summands in the order first written (duplicates kept: 1 + 1
    is two constructors)."""

    summands: tuple[Monomial, ...]

    def __str__(self) -> str:
        return " + ".join(str(m) for m in self.summands)

    def __repr__(self) -> str:
        return f"Functor({str(self)!r})"

    @property
    def alphabet(self) -> tuple[str, ...]:
        """The label names, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.summands:
            for a in m.labels:
                seen.setdefault(a, None)
        return tuple(seen)

    @property
    def max_arity(self) -> int:
        return max((m.arity for m in self.summands), default=0)

    @property
    def is_list(self) -> bool:
        """1 + A×X (in either order): the list functor, folded by a scan."""
        shapes = sorted((len(m.labels), m.arity) for m in self.summands)
        return shapes == [(0, 0), (1, 1)]

    @property
    def has_base_case(self) -> bool:
        """Some constructor has no children, so finite structures exist."""
        return any(m.arity == 0 for m in self.summands)


def parse_functor(text: str | Functor) -> Functor:
    """``"1 + A*X"`` → Functor; a clear SpecError for anything else."""
    if isinstance(text, Functor):
        return text
    if not isinstance(text, str):
        raise SpecError(f"a functor is a string such as '1 + A*X', not {type(text).__name__}")
    if len(text) > MAX_FUNCTOR_LENGTH:
        raise SpecError(f"functor is {len(text)} characters; the limit is {MAX_FUNCTOR_LENGTH}")
    tokens, pos = [], 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if m is None:
            raise SpecError(
                f"unexpected {stripped[pos:].strip()[:1]!r} in functor {text!r}; use 1, X, "
                f"alphabet names such as A, +, *, X**k and parentheses"
            )
        tokens.append(m.group(1))
        pos = m.end()
    if not tokens:
        raise SpecError("empty functor; write e.g. '1 + A*X' (lists) or 'A + X**2' (trees)")
    parser = _Parser(tokens, text)
    terms = parser.sum()
    if parser.pos != len(tokens):
        raise SpecError(f"unexpected {tokens[parser.pos]!r} in functor {text!r}")
    return Functor(tuple(Monomial(tuple(sorted(labels)), arity) for labels, arity in terms))


Term = tuple[tuple[str, ...], int]


class _Parser:
    def __init__(self, tokens: list[str], text: str):
        self.tokens, self.text, self.pos, self.depth = tokens, text, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise SpecError(f"functor {self.text!r} ends too early")
        self.pos += 1
        return tok

    def sum(self) -> list[Term]:
        self.depth += 1
        if self.depth > 32:
            raise SpecError(f"functor {self.text[:40]!r} nests too deeply")
        terms = self.product()
        while self.peek() == "+":
            self.take()
            terms = terms + self.product()
        if len(terms) > MAX_SUMMANDS:
            raise SpecError(f"functor {self.text!r} has over {MAX_SUMMANDS} summands")
        self.depth -= 1
        return terms

    def product(self) -> list[Term]:
        terms = self.power()
        while self.peek() == "*":
            self.take()
            right = self.power()
            terms = [(a + b, j + k) for a, j in terms for b, k in right]
            if len(terms) > MAX_SUMMANDS:
                raise SpecError(f"functor {self.text!r} has over {MAX_SUMMANDS} summands")
            if any(k > MAX_ARITY for _, k in terms):
                raise SpecError(f"arity above {MAX_ARITY} in functor {self.text!r}")
        return terms

    def power(self) -> list[Term]:
        terms = self.atom()
        if self.peek() == "**":
            self.take()
            tok = self.take()
            if not tok.isdigit() or len(tok) > 3:
                raise SpecError(f"'**' needs a small integer exponent in {self.text!r}")
            k = int(tok)
            if terms != [((), 1)]:
                raise SpecError(
                    f"only X takes a power in {self.text!r} (X**k: k children); write A*A for "
                    f"two labels"
                )
            if k > MAX_ARITY:
                raise SpecError(f"X**{k}: at most {MAX_ARITY} children")
            terms = [((), k)]
        return terms

    def atom(self) -> list[Term]:
        tok = self.take()
        if tok == "(":
            terms = self.sum()
            if self.take() != ")":
                raise SpecError(f"missing ')' in functor {self.text!r}")
            return terms
        if tok == "1":
            return [((), 0)]
        if tok == "X":
            return [((), 1)]
        if tok[0].isupper():
            return [((tok,), 0)]
        raise SpecError(f"unexpected {tok!r} in functor {self.text!r}; expected 1, X, a name or (")
