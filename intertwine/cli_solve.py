"""``intertwine solve`` and ``intertwine cache``."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import warnings

from .cli_files import atomic_output
from .errors import IntertwineError


def _cmd_solve(args: argparse.Namespace) -> int:
    from .solver import every_n, solve
    from .spec import is_symbolic

    if args.format == "npz" and not args.output:
        raise IntertwineError("--format npz writes a binary file: add --output FILE.npz")
    if args.full and args.format != "json":
        raise IntertwineError("--full lists the whole basis in JSON: add --format json")
    if args.full and not is_symbolic(args.group):  # refused before the work, by the dimension
        from .solver import refuse_before_solving

        refuse_before_solving(args.group, args.rep_in, args.rep_out)
    with contextlib.ExitStack() as files:  # output files are created first, renamed on success
        output = files.enter_context(atomic_output(args.output)) if args.output else None
        plot = files.enter_context(atomic_output(args.plot)) if args.plot else None
        if is_symbolic(args.group):
            if args.format != "text" or args.plot or args.method not in ("auto", "diagram"):
                raise IntertwineError(
                    f"{args.group.strip()} with the letter n prints the diagrams and the "
                    f"dimension in n as text; give a number for n for JSON, npz, plots or other "
                    f"methods"
                )
            return _write(output, every_n(args.group, args.rep_in, args.rep_out).to_text())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            basis = solve(
                args.group,
                args.rep_in,
                args.rep_out,
                method=args.method,
                cache=not args.no_cache,
                quiet=args.quiet,
                tol=args.tol,
                accept_lower_bound=args.accept_lower_bound,
            )
        for w in caught:  # rank decisions without a clear gap: always said, even with --quiet
            print(f"intertwine: warning: {w.message}", file=sys.stderr, flush=True)
        if basis.lower_bound:
            print(
                f"intertwine: warning: the dimension {basis.dim} is a lower bound only "
                f"(accepted with --accept-lower-bound)",
                file=sys.stderr,
                flush=True,
            )
        if plot is not None:
            basis.plot(plot)
        if args.format == "npz":
            basis.save(output)
            return 0
        if args.format == "json":
            data = basis.to_json(full=args.full)
            if data.get("omitted"):
                hint = "; --full lists the basis" if "basis" in data["omitted"] else ""
                keys = ", ".join(data["omitted"])
                print(
                    f'note: the JSON leaves out {keys} (too large): see its "omitted" key{hint}',
                    file=sys.stderr,
                )
            return _write(output, json.dumps(data))
        return _write(output, basis.to_text())


def _write(output: str | None, text: str) -> int:
    """Print ``text``, or write it to ``output`` (a path from :func:`atomic_output`)."""
    if output is None:
        print(text)
        return 0
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return 0


def _cmd_cache(args: argparse.Namespace) -> int:
    from .solver import cache_dir, clear_cache

    if args.action == "clear":
        print(f"removed {clear_cache()} entries from {cache_dir()}")
    else:
        print(cache_dir())
    return 0


def register(sub) -> None:
    from .solver import DEFAULT_TOL, METHODS

    s = sub.add_parser("solve", help="basis of the equivariant maps IN -> OUT")
    s.add_argument("group", help='group or monoid spec, e.g. "S(5)"')
    s.add_argument("rep_in", metavar="IN", help='input rep, e.g. "V**2"')
    s.add_argument("rep_out", metavar="OUT", help='output rep, e.g. "V**2"')
    s.add_argument(
        "--format",
        choices=("text", "json", "npz"),
        default="text",
        help="text (readable, the default), json (the documented contract) or npz (a binary "
        "file for Basis.load; needs --output)",
    )
    s.add_argument("--output", "-o", help="write to this file instead of stdout")
    s.add_argument(
        "--full",
        action="store_true",
        help="with --format json, list the basis beyond 10^6 numbers (up to 5*10^7; refused "
        "before solving when larger); without it a larger basis is left out and the JSON says "
        'so in its "omitted" key',
    )
    s.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="auto (the default: diagrams where they apply, else orbit, exact, numeric or "
        "iterative by size), or force one for a cross-check",
    )
    s.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    s.add_argument(
        "--tol",
        type=float,
        default=DEFAULT_TOL,
        help=f"for float generators: singular values below TOL times the largest count as zero "
        f"(default {DEFAULT_TOL:g}); the result reports the gap around the decision",
    )
    s.add_argument(
        "--accept-lower-bound",
        action="store_true",
        help="when the iterative method cannot certify that no intertwiner is missing, print "
        "what it found (marked as a lower bound) instead of failing",
    )
    s.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also draw the basis (tying pattern, matrices or diagrams) to this image file; "
        "needs intertwine[plot]",
    )
    s.add_argument(
        "--quiet", "-q", action="store_true", help="no progress lines on stderr for long solves"
    )
    s.set_defaults(func=_cmd_solve)
    c = sub.add_parser("cache", help="show ('path') or empty ('clear') the basis cache")
    c.add_argument(
        "action",
        choices=("path", "clear"),
        help="path: print the cache directory; clear: remove the entries the cache wrote",
    )
    c.set_defaults(func=_cmd_cache)
