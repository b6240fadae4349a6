"""``intertwine decompose G REP`` and ``intertwine characters G``."""

from __future__ import annotations

import argparse
import json


def _cmd_decompose(args: argparse.Namespace) -> int:
    from .reps import decompose

    result = decompose(args.group, args.rep)
    if args.format == "json":
        print(json.dumps(result.to_json()))
    else:
        print(result)
    return 0


def _cmd_characters(args: argparse.Namespace) -> int:
    from .reps import character_table

    table = character_table(args.group)
    if args.format == "json":
        print(json.dumps(table.to_json()))
    else:
        print(table)
    return 0


def register(sub) -> None:
    from .reps import MAX_TABLE_ORDER

    d = sub.add_parser(
        "decompose",
        help="split a rep into irreducibles (groups) or indecomposables (monoids)",
        description="Irreducible summands with multiplicity, type and change of basis "
        "(indecomposable summands for a monoid).",
    )
    d.add_argument("group", help='the group or monoid, e.g. "S(4)", "SO(3)", "Shift(4)"')
    d.add_argument("rep", help='the rep, e.g. "V**2"')
    d.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or one JSON object (the decompose contract)",
    )
    d.set_defaults(func=_cmd_decompose)
    c = sub.add_parser(
        "characters",
        help="the real character table of a small finite group",
        description=f"Characters of the real irreps on the conjugacy classes (order <= "
        f"{MAX_TABLE_ORDER}); a complex-type irrep's row is chi + conj(chi).",
    )
    c.add_argument("group", help='a finite group, e.g. "S(4)", "A(4)" or @q8.json')
    c.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or one JSON object",
    )
    c.set_defaults(func=_cmd_characters)
