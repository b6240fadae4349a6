"""The ``intertwine`` command line.

Exit status: 0 success; 1 "not equivariant" (verify only); 2 bad input or an environment error
(a missing folder, a full disk, an unreadable file), with one line on stderr naming the problem
and the fix; 3 an internal error (a bug, said as one); 130 interrupted (Ctrl-C), with one line
and no partial output file. Never a traceback.

Run as a program, the first lines of this module take over Ctrl-C (``intertwine/__init__.py``
loads its names lazily, so nothing heavy runs before them); ``main`` then hands Ctrl-C back to
Python so that it unwinds and removes partial output. Only the interpreter's own start-up, before
any intertwine code runs, is out of reach.
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_at_start_up(signum, frame) -> None:  # noqa: ARG001 - a signal handler
    os.write(2, b"intertwine: interrupted\n")
    os._exit(130)


# Run as a program (``intertwine ...`` or ``python -m intertwine.cli``), a Ctrl-C before ``main``
# has set up its own handling (the imports below, a second or more on a busy machine) exits 130
# with one line; imported as a library, nothing changes.
_PROGRAM = __name__ == "__main__" or os.path.basename(sys.argv[0]) in (
    "intertwine",
    "intertwine.exe",
)
if _PROGRAM and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _interrupted_at_start_up)

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from .cli_files import environment_message  # noqa: E402
from .errors import IntertwineError  # noqa: E402

EXIT_BAD_INPUT = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(EXIT_BAD_INPUT, f"intertwine: error: {message} (see 'intertwine --help')\n")


def _cmd_groups(args: argparse.Namespace) -> int:
    from .spec import CUSTOM_EXAMPLE, PRODUCT_EXAMPLE, REGISTRY, REP_NAMES

    width = max(len(e.signature) for e in REGISTRY.values())
    for e in REGISTRY.values():
        print(f"{e.signature:<{width}}  {e.kind:<6}  {e.summary}")
        print(f"{'':<{width}}          e.g. {e.example}")
    pad = " " * (width + 10)
    print(f"{'G x H':<{width}}          direct product; its reps are V1, V2")
    print(f"{pad}e.g. {PRODUCT_EXAMPLE}")
    print(f"{'@file.json':<{width}}          custom group or monoid from JSON")
    print(f"{pad}e.g. {CUSTOM_EXAMPLE}")
    print("\nreps: V (V1, V2, ... for G x H), 1, A + B, A * B, A**k, k*A, V* (groups), and")
    for r in REP_NAMES.values():
        print(f"  {r.signature:<24} {r.summary}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from .spec import parse_rep, resolve_action

    action = resolve_action(args.group)
    print(f"action:     {action.name} ({action.kind}): {action.description}")
    order = action.order() if action.degrees[0] <= 20 or action._order is not None else None
    if order is not None:
        print(f"order:      {order}")
    factors = zip(action.factor_names, action.degrees)
    print(f"factors:    {', '.join(f'{n} (dim {d})' for n, d in factors)}")
    if args.rep is None:
        for g in action.generators:
            print(f"  {g.name:<14} {g.kind}")
        return 0
    rep = parse_rep(action, args.rep)
    print(f"rep:        {rep}")
    print(f"dimension:  {rep.dim}")
    _print_embedding(rep)
    kinds = rep.generator_kinds
    print(
        f"generators: {len(kinds)} ({kinds.count('discrete')} discrete, {kinds.count('lie')} lie)"
    )
    if rep.dim > 4096:
        print("  (generator matrices not shown for reps of dimension above 4096)")
        return 0
    for g, m in zip(action.generators, rep.generators):
        print(
            f"  {g.name:<14} {g.kind:<8} {m.shape[0]}x{m.shape[1]}  nnz {m.nnz:<6} "
            f"entries {m.domain}"
        )
        if rep.dim <= 6:
            cells = m.entry_strings()
            w = max(len(c) for row in cells for c in row)
            for row in cells:
                print("      [" + " ".join(f"{c:>{w}}" for c in row) + "]")
    return 0


def _print_embedding(rep) -> None:
    """For Sym, Alt and Tensor(...) reps: the tensor power they live in (E and P, P E = I)."""
    from .core import embedding, is_subrep
    from .errors import RepError

    if not is_subrep(rep):
        return
    try:
        emb = embedding(rep)
    except RepError as exc:  # beyond the tensor-power limit: no E is built, the rep still is
        print(f"embedding:  not built: {exc}")
        return
    if not emb.is_identity:
        (n, d), dom = emb.E.shape, emb.E.domain
        print(f"embedding:  into {emb.parent} by E ({n}x{d}, {dom}); rho' = P rho E, P E = I")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="intertwine",
        description="Equivariant linear maps (intertwiners) for group and monoid actions.",
    )
    from . import __version__

    p.add_argument("--version", action="version", version=f"intertwine {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    g = sub.add_parser("groups", help="list the available groups and monoids")
    g.set_defaults(func=_cmd_groups)
    i = sub.add_parser("info", help="describe an action, or one of its reps")
    i.add_argument("group", help='group or monoid spec, e.g. "S(5)", "O(1,3)", @file.json')
    i.add_argument("rep", nargs="?", help='rep expression, e.g. "V**2"')
    i.set_defaults(func=_cmd_info)
    _add_more_commands(sub)
    return p


def _add_more_commands(sub) -> None:
    """Commands defined in their own modules (solve, cache, verify, codegen, decompose)."""
    from . import cli_codegen, cli_decompose, cli_solve, cli_verify

    cli_solve.register(sub)
    cli_verify.register(sub)
    cli_codegen.register(sub)
    cli_decompose.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (see the module docstring)."""
    try:
        if signal.getsignal(signal.SIGINT) is _interrupted_at_start_up:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # unwind: files cleaned up
        return _main(argv)
    except KeyboardInterrupt:  # at any moment, the imports in build_parser included
        return _interrupted()


def _interrupted() -> int:
    """One line for a Ctrl-C, and 130; a second Ctrl-C while saying so is ignored. Output files
    in progress have been removed by then (``cli_files.atomic_output``). Run as a program, the
    process ends here: CPython turns a Ctrl-C that interrupted an ``eval`` during an import into
    a SIGINT exit status even when it was caught."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("intertwine: interrupted", file=sys.stderr)
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except IntertwineError as exc:
        print(f"intertwine: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(
            "intertwine: error: out of memory; try a smaller rep or --method iterative",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a user's file, a full disk, a missing folder: the environment
        print(f"intertwine: error: {environment_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        if os.environ.get("INTERTWINE_DEBUG"):
            raise
        print(
            f"intertwine: internal error (a bug in intertwine, not in your input): "
            f"{type(exc).__name__}: {exc}; please report it with the command line, and run it "
            f"again with INTERTWINE_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
