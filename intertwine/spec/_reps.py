"""Parse a representation expression: ``V**2``, ``V + V**2``, ``V* * V``, ``3*V``, ``V1*V2``,
``Sym(V, 2)``, ``Alt(V**2, 3)``, ``Tensor("ij=-ji", V)``, ``V * det``, ``R``.

Grammar (whitespace ignored)::

    sum      := product ('+' product)*
    product  := [INT '*'] postfix ('*' postfix)*     INT '*' A means k copies of A
    postfix  := atom ('**' INT | '*')*                a '*' not followed by an operand is the dual
    atom     := 'V' | 'V' DIGITS | '1' | '(' sum ')' | IRREPS | NAME [ '(' arg (',' arg)* ')' ]
    arg      := sum | INT | STRING                    as the name's entry in REP_NAMES says
    IRREPS   := [INT 'x'] NAME      irreps notation where the action names its irreps:
                                    e3nn's 2x0e, 1o for SO(3)/O(3); 1x2 for SO(2)/O(2)

A '*' followed by an operand (V…, a number, '(') is the tensor product; any other '*' is the dual,
so ``V* * V`` is V*⊗V and ``(V*)**2`` the square of the dual. Recursive descent; never eval.
"""

from __future__ import annotations

import re

from ..core import Action, Irrep, Rep
from ..errors import RepError, SpecError
from ..groups import has_irrep_names, irrep_named
from ._rep_names import REP_NAMES, RepName, unknown_name

_IRREPS = re.compile(r"(?:(\d+)x)?(\d+[eo]?)")
_TOKEN = re.compile(
    r"""\s*(?:([A-Za-z][A-Za-z0-9]*)|(\d+x\d+[eo]?|\d+[eo])|(\d+)|("[^"]*"|'[^']*')|(\*\*|[*+(),]))"""
)
MAX_REP_LENGTH = 2000
MAX_POWER = 64
MAX_DEPTH = 64


class _Reader:
    def __init__(self, text: str, action: Action):
        self.text, self.action = text, action
        self.toks: list[str] = []
        pos, stripped = 0, text.rstrip()
        while pos < len(stripped):
            m = _TOKEN.match(stripped, pos)
            if not m or m.group(1) in ("x", "X"):  # 'V x V': a tensor product written as x
                while stripped[pos].isspace():  # blame the character, not the space before it
                    pos += 1
                bad = stripped[pos]
                hint = " (a tensor product is written V * V)" if bad in "xX×⊗" else ""
                raise SpecError(
                    f"unexpected character {bad!r} at position {pos} in rep "
                    f"{text!r}; use V, 1, +, *, **, parentheses and the names Sym, Alt, "
                    f"Tensor, det, R{hint}"
                )
            self.toks.append(next(g for g in m.groups() if g is not None))
            pos = m.end()
        self.i = 0
        self.depth = 0

    def is_int(self, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and tok.isdigit()

    def peek(self, k: int = 0) -> str | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise SpecError(f"rep {self.text!r} ends too early; complete the expression")
        self.i += 1
        return tok

    def operand_next(self, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and (tok[0].isalnum() or tok == "(" or tok[0] in "\"'")

    def sum(self) -> Rep:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SpecError(f"rep {self.text[:40]!r}... nests deeper than {MAX_DEPTH} levels")
        rep = self.product()
        while self.peek() == "+":
            self.take()
            rep = rep + self.product()
        self.depth -= 1
        return rep

    def product(self) -> Rep:
        copies = None
        if self.is_int() and self.peek(1) == "*" and self.operand_next(2):
            copies = self._int(self.take(), "multiplicity")
            self.take()
        rep = self.postfix()
        while self.peek() == "*" and self.operand_next(1):
            self.take()
            if self.is_int() and self.peek() != "1":
                raise SpecError(
                    f"a multiplicity goes on the left in {self.text!r}: write "
                    f"{self.peek()}*A for {self.peek()} copies of A"
                )
            rep = rep * self.postfix()
        if copies is not None:
            if copies < 1:
                raise SpecError(f"multiplicity must be at least 1 in {self.text!r}")
            rep = copies * rep
        return rep

    def postfix(self) -> Rep:
        rep = self.atom()
        while True:
            tok = self.peek()
            if tok == "**":
                self.take()
                exp_tok = self.take()
                if not exp_tok.isdigit():
                    raise SpecError(
                        f"'**' must be followed by an integer exponent in "
                        f"{self.text!r}, got {exp_tok!r}"
                    )
                k = self._int(exp_tok, "exponent")
                if k > MAX_POWER:
                    raise SpecError(f"exponent {k} is too large (the limit is {MAX_POWER})")
                rep = rep**k
            elif tok == "*" and not self.operand_next(1):
                self.take()
                if not self.action.is_group:
                    raise RepError(
                        f"{self.action.name} is a monoid, so its reps have no dual: V* needs "
                        f"ρ(g⁻¹), which a monoid element need not have (a truncating shift is "
                        f"nilpotent); use V instead"
                    )
                rep = rep.dual()
            else:
                return rep

    def atom(self) -> Rep:
        tok = self.take()
        if tok == "(":
            rep = self.sum()
            if self.take() != ")":
                raise SpecError(f"missing ')' in rep {self.text!r}")
            return rep
        if tok == "1":
            return self.action.trivial()
        if not tok.isdigit() and tok[0].isdigit():
            return _irreps(self.action, tok)
        if tok.isdigit():
            named = f", or 1x{tok} for the irrep {tok}" if has_irrep_names(self.action) else ""
            raise SpecError(
                f"{tok} is not a rep; write {tok}*A for {tok} copies of A, or 1 for the trivial "
                f"rep{named}"
            )
        names = self.action.factor_names
        if tok in names:
            return self.action.V(names.index(tok))
        if re.fullmatch(r"V\d*", tok):
            raise SpecError(
                f"{self.action.name} has no rep {tok!r}; its standard rep(s): {', '.join(names)}"
            )
        if tok in REP_NAMES:
            return self.call(REP_NAMES[tok])
        if tok[0].isalpha():
            raise unknown_name(tok, self.action, self.text)
        raise SpecError(f"unexpected {tok!r} in rep {self.text!r}; expected V, 1 or '('")

    def call(self, entry: RepName) -> Rep:
        """``NAME`` alone (det, R) or ``NAME(arg, ...)`` with the entry's argument kinds."""
        if self.peek() != "(":
            if entry.bare is None:
                raise SpecError(
                    f"{entry.name} needs arguments in {self.text!r}: write {entry.signature}, "
                    f"e.g. {entry.example}"
                )
            return entry.bare(self.action)
        if entry.build is None:
            raise SpecError(f"{entry.name} takes no arguments in {self.text!r}: write {entry.name}")
        form = f"write {entry.signature}, e.g. {entry.example}"
        count = self._count_args()
        if count < 0:
            raise SpecError(f"missing ')' after the arguments of {entry.name} in {self.text!r}")
        if count != len(entry.args):
            raise SpecError(
                f"{entry.name} takes {len(entry.args)} argument(s) in {self.text!r}: {form}"
            )
        self.take()
        args: list = []
        for i, kind in enumerate(entry.args):
            if i:
                self.take()  # the ',' counted above
            if kind == "rep":
                args.append(self.sum())
            elif kind == "int":
                tok = self.take()
                if not tok.isdigit():
                    raise SpecError(f"{entry.name} needs an integer here, not {tok!r}: {form}")
                k = self._int(tok, "power")
                if k > MAX_POWER:
                    raise SpecError(f"power {k} is too large (the limit is {MAX_POWER})")
                args.append(k)
            else:
                tok = self.take()
                if tok[0] not in "\"'":
                    raise SpecError(f"{entry.name} needs a quoted string, not {tok!r}: {form}")
                args.append(tok[1:-1])
        if self.take() != ")":
            raise SpecError(f"missing ')' after the arguments of {entry.name}: {form}")
        return entry.build(self.action, *args)

    def _count_args(self) -> int:
        """The number of top-level arguments between the '(' here and its ')'."""
        depth, count, j = 0, 0, self.i
        while j < len(self.toks):
            tok = self.toks[j]
            depth += tok == "("
            depth -= tok == ")"
            if depth == 0:
                return count + (j > self.i + 1)
            count += tok == "," and depth == 1
            j += 1
        return -1

    def _int(self, tok: str, what: str) -> int:
        if len(tok) > 6:
            raise SpecError(f"{what} {tok[:8]}... is too large")
        return int(tok)


def _irreps(action: Action, tok: str) -> Rep:
    """``2x1o``: copies of a named irrep (see ``intertwine.groups.irrep_named``)."""
    m = _IRREPS.fullmatch(tok)
    assert m is not None
    count = 1 if m.group(1) is None else int(m.group(1)[:7])
    if count < 1 or len(m.group(1) or "") > 6:
        raise SpecError(f"{tok!r}: the multiplicity must be between 1 and 999999")
    rep = Rep(action, Irrep(irrep_named(action, m.group(2))))
    return count * rep


def parse_rep(action: Action, text: str | Rep) -> Rep:
    """The :class:`Rep` of ``action`` that the expression names (a Rep is returned as it is).

    >>> from intertwine.spec import parse_action
    >>> parse_rep(parse_action("S(4)"), "V + V**2").dim
    20
    """
    if isinstance(action, str) and isinstance(text, Action):
        raise SpecError(
            f"parse_rep takes the action first: parse_rep(action, {action!r}), as every "
            f"entry point of intertwine does"
        )
    if not isinstance(action, Action):
        raise SpecError(f"parse_rep needs an Action first, not {type(action).__name__}")
    if isinstance(text, Rep):
        if text.action != action:
            raise RepError(f"rep {text} belongs to {text.action.name}, not {action.name}")
        return text
    if not isinstance(text, str):
        raise SpecError(f"a rep spec is a string, not {type(text).__name__}")
    if len(text) > MAX_REP_LENGTH:
        raise SpecError(f"rep spec is {len(text)} characters; the limit is {MAX_REP_LENGTH}")
    if not text.strip():
        raise SpecError("empty rep spec; write e.g. 'V', 'V**2' or '1'")
    reader = _Reader(text, action)
    rep = reader.sum()
    if reader.peek() is not None:
        raise SpecError(f"unexpected {reader.peek()!r} in rep {text!r} at token {reader.i + 1}")
    return rep
