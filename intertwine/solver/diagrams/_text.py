"""A diagram basis as text: the dimension in n for each block pair, the diagrams, the summary."""

from __future__ import annotations

from .._basis_text import _letters
from ._draw import draw, power_name
from ._enumerate import blocks, partition_count_formula


def dimension_text(basis) -> str:
    """The dimension as a function of n for each block pair: its value for every n
    (certified walk counts, ``_every_n``), not only this one."""
    from ._every_n import pair_text
    from ._rules import SymmetricRules

    rules = basis.rules
    pairs = sorted({(k, l) for k in basis.in_degrees for l in basis.out_degrees})
    parts = []
    for k, l in pairs:
        pair = f"{power_name(k)} -> {power_name(l)}"
        if isinstance(rules, SymmetricRules):
            parts.append(f"{pair}: {partition_count_formula(k + l)}")
            continue
        text = pair_text(rules, k, l)
        if basis.signature is not None:  # O(p,q) has O(p + q)'s dimensions
            text = text.replace("n >=", "p + q >=").replace("n =", "p + q =")
        parts.append(f"{pair}: {text}")
    return " | ".join(parts)


def diagram_text(basis, limit: int = 60) -> str:
    """The diagrams, one a line, with the dimension in n as the heading."""
    lines = [f"diagrams ({basis.tensor} tensors, n = {basis.n}; {basis.dimension_text()}):"]
    many = len(basis.in_degrees) > 1 or len(basis.out_degrees) > 1
    for t, term in enumerate(basis.terms[:limit]):
        k, l = basis.in_degrees[term.in_block], basis.out_degrees[term.out_block]
        where = f" (out block {term.out_block} <- in block {term.in_block})" if many else ""
        drawing = draw(term.diagram, k, l, term.epsilon)
        lines.append(f"  {_letters(t):>3}: {drawing:<28} {blocks(term.diagram)}{where}")
    if basis.dim > limit:
        lines.append(f"  ... and {basis.dim - limit} more")
    return "\n".join(lines)


def to_text(basis, max_pattern: int = 30) -> str:
    """The summary of a diagram basis, its diagrams and (up to max_pattern) the pattern."""
    head = [
        f"group:   {basis.group} ({basis.kind})",
        f"map:     {basis.rep_in} ({basis.in_dim}) -> {basis.rep_out} ({basis.out_dim})",
        f"dim:     {basis.dim}",
        "method:  diagram (exact, valid for every n)",
        f"time:    {basis.seconds:.3f} s",
    ]
    tail = []
    if (
        basis.out_dim <= max_pattern
        and basis.in_dim <= max_pattern
        and basis.signed_tying is not None
    ):
        kind = "tying pattern" if basis.tying is not None else "signed tying pattern"
        tail = [f"tying:   {kind}", basis.pattern_text()]
    return "\n".join(head + [basis.diagram_text()] + tail)
