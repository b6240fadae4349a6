"""The named constructors of the rep language: ``Sym(A, k)``, ``Alt(A, k)``, ``Tensor("ij=ji", A)``,
``det``, ``det(A)``, ``R``; and suggestions for names that are not in it.

The parser (``_reps.py``) reads a name, then, if the entry takes arguments, ``(`` and the arguments
of the kinds listed (``rep``: a rep expression; ``int``: a non-negative integer; ``string``: a
quoted string), then ``)``. A new constructor is one more :class:`RepName` in :data:`REP_NAMES`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from ..core import Action, Rep, alt, det, index_tensor, regular, sym
from ..errors import SpecError


@dataclass(frozen=True)
class RepName:
    """One name of the rep language: its argument kinds, how to build it, and how it is written.

    ``bare`` builds the rep when the name stands alone (``det``, ``R``); ``build`` takes the
    action and the parsed arguments.
    """

    name: str
    signature: str
    example: str
    args: tuple[str, ...]  # "rep" | "int" | "string"
    build: Callable[..., Rep] | None
    bare: Callable[[Action], Rep] | None
    summary: str


def _det_of_v(action: Action) -> Rep:
    if len(action.degrees) != 1:
        names = action.factor_names
        raise SpecError(
            f"{action.name} has {len(names)} standard reps, so 'det' is ambiguous; write "
            f"{' or '.join(f'det({n})' for n in names)}"
        )
    return det(action.V())


REP_NAMES: dict[str, RepName] = {
    e.name: e
    for e in [
        RepName(
            "Sym",
            "Sym(A, k)",
            "Sym(V, 2)",
            ("rep", "int"),
            lambda action, a, k: sym(a, k),
            None,
            "symmetric power: the symmetric tensors in A**k",
        ),
        RepName(
            "Alt",
            "Alt(A, k)",
            "Alt(V, 2)",
            ("rep", "int"),
            lambda action, a, k: alt(a, k),
            None,
            "antisymmetric (exterior) power: the antisymmetric tensors in A**k",
        ),
        RepName(
            "Tensor",
            'Tensor("formula", A)',
            'Tensor("ijkl=jikl=klij", V)',
            ("string", "rep"),
            lambda action, f, a: index_tensor(f, a),
            None,
            'tensors with index symmetries, e3nn style ("ij=ji", "ij=-ji")',
        ),
        RepName(
            "det",
            "det | det(A)",
            "V * det",
            ("rep",),
            lambda action, a: det(a),
            _det_of_v,
            "g -> det rho_A(g) (Lie: trace); det alone is det of V; the sign for S(n)",
        ),
        RepName(
            "R",
            "R",
            "R",
            (),
            None,
            regular,
            "the regular rep of a finite group or monoid (basis: its elements)",
        ),
    ]
}

# names people reach for, and what this language calls them
REP_ALIASES: dict[str, str] = {
    "sign": "det",
    "sgn": "det",
    "Sign": "det",
    "pseudoscalar": "det",
    "Det": "det",
    "regular": "R",
    "Regular": "R",
    "Wedge": "Alt",
    "Lambda": "Alt",
    "Ext": "Alt",
    "Antisym": "Alt",
    "S": "Sym",
    "Symmetric": "Sym",
}


def unknown_name(word: str, action: Action, text: str) -> SpecError:
    """The error for a name that is neither a standard rep nor a constructor, with a suggestion."""
    names = list(action.factor_names) + list(REP_NAMES) + ["1"]
    if word in REP_ALIASES:
        hint = f"did you mean {REP_ALIASES[word]!r}? "
    else:
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
        close = close or [n for n in names if n.lower() == word.lower()]
        hint = f"did you mean {close[0]!r}? " if close else ""
    known = ", ".join([*action.factor_names, "1", *(e.signature for e in REP_NAMES.values())])
    return SpecError(f"unknown name {word!r} in rep {text!r}; {hint}the rep language has {known}")
