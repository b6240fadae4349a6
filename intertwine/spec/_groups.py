"""Parse a group or monoid spec: ``S(5)``, ``O(1,3)``, ``S(3) x Z(4)``, ``@file.json``.

Grammar (whitespace ignored)::

    spec    := factor ('x' factor)*
    factor  := NAME '(' INT (',' INT)* ')' | '@' PATH

A recursive-descent reader over a token list; user text is never evaluated.
"""

from __future__ import annotations

import difflib
import os
import re

from ..core import Action, direct_product
from ..errors import IntertwineError, SpecError
from ._custom import load_custom_action
from ._registry import GROUP_ALIASES, REGISTRY

_TOKEN = re.compile(r"\s*(?:(@[^\s]+)|([A-Za-z]+)|(\d+)|([(),×]))")
MAX_SPEC_LENGTH = 1000


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise SpecError(
                f"unexpected character {text[pos]!r} at position {pos} in group "
                f"spec {text!r}; write e.g. 'S(5)', 'O(1,3)' or 'S(3) x Z(4)'"
            )
        out.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return out


def parse_action(text: str) -> Action:
    """Build the :class:`Action` a spec string names (see ``intertwine groups``)."""
    if not isinstance(text, str):
        raise SpecError(f"a group spec is a string, not {type(text).__name__}")
    if len(text) > MAX_SPEC_LENGTH:
        raise SpecError(
            f"group spec is {len(text)} characters long; the limit is {MAX_SPEC_LENGTH}"
        )
    if not text.strip():
        raise SpecError("empty group spec; write e.g. 'S(5)' (see 'intertwine groups')")
    if text.startswith("@") and os.path.isfile(text[1:]):  # a path, spaces and all
        return load_custom_action(text[1:])
    toks = _tokens(text)
    factors: list[list[str]] = [[]]
    for t in toks:
        if t in ("x", "×"):
            factors.append([])
        else:
            factors[-1].append(t)
    actions = [_factor(f, text) for f in factors]
    return actions[0] if len(actions) == 1 else direct_product(actions)


def _factor(toks: list[str], text: str) -> Action:
    if not toks:
        raise SpecError(f"missing factor around 'x' in {text!r}; write e.g. 'S(3) x Z(4)'")
    if toks[0].startswith("@"):
        if len(toks) != 1:
            raise SpecError(f"unexpected {' '.join(toks[1:])!r} after {toks[0]} in {text!r}")
        return load_custom_action(toks[0][1:])
    name = toks[0]
    entry = REGISTRY.get(name)
    if entry is None:
        if name in GROUP_ALIASES:
            hint = f"did you mean {GROUP_ALIASES[name]}? "
        else:
            close = [k for k in REGISTRY if k.lower() == name.lower()]
            close = close or difflib.get_close_matches(name, list(REGISTRY), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
        raise SpecError(
            f"unknown group or monoid {name!r}; {hint}run 'intertwine groups' for the list"
        )
    if len(toks) < 3 or toks[1] != "(" or toks[-1] != ")":
        raise SpecError(f"{name} needs arguments in parentheses: {entry.signature}")
    args: list[int] = []
    inner = toks[2:-1]
    if "(" in inner or ")" in inner:
        raise SpecError(
            f"unbalanced or extra parentheses after {name} in {text!r}; write {entry.signature}"
        )
    for i, t in enumerate(inner):
        if i % 2 == 1:
            if t != ",":
                raise SpecError(f"expected ',' between the arguments of {name}, got {t!r}")
            continue
        if not t.isdigit():
            raise SpecError(f"{name} takes integer arguments: {entry.signature}, got {t!r}")
        if len(t) > 9:
            raise SpecError(f"argument {t[:12]}... of {name} is far too large")
        args.append(int(t))
    if not inner or inner[-1] == ",":
        raise SpecError(f"{name} needs arguments: {entry.signature}")
    builder = entry.builders.get(len(args))
    if builder is None:
        raise SpecError(
            f"{name} takes {' or '.join(map(str, entry.builders))} argument(s): {entry.signature}"
        )
    try:
        return builder(*args)
    except IntertwineError:
        raise
    except (ValueError, TypeError) as exc:  # pragma: no cover - defensive
        raise SpecError(f"cannot build {name}{tuple(args)}: {exc}") from None
