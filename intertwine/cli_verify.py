"""``intertwine verify TARGET GROUP IN OUT``: exit 0 equivariant, 1 not equivariant, 2 bad input.

TARGET is ``package.module:function`` (imported from the current directory or the path), a
``.npy`` weight matrix (loaded without pickle), or an exported ``.onnx`` model or ``.pt2``
package (``intertwine codegen --target onnx|pt2``; run by onnxruntime or AOTInductor).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys

from .errors import IntertwineError

_TARGET = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")


def load_target(target: str):
    """A weight matrix from .npy, a loaded .onnx or .pt2 artifact, or the callable named by
    module:function."""
    from .codegen.deploy import SUFFIX, load_artifact

    if target.endswith(tuple(SUFFIX.values())):
        return load_artifact(target), os.path.basename(target)
    if target.endswith(".npy"):
        import numpy as np

        from .cli_files import environment_message

        try:
            return np.load(target, allow_pickle=False), os.path.basename(target)
        except OSError as exc:
            raise IntertwineError(environment_message(exc, target)) from None
        except ValueError as exc:
            raise IntertwineError(f"cannot load {target}: {exc}") from None
    if not _TARGET.match(target):
        raise IntertwineError(
            f"target {target!r} is neither a .npy, {', '.join(SUFFIX.values())} file nor "
            f"module:function "
            f"(e.g. mylayers:conv)"
        )
    module_name, _, attr = target.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj = importlib.import_module(module_name)
    except ImportError as exc:
        raise IntertwineError(f"cannot import {module_name!r}: {exc}") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise IntertwineError(f"{module_name} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise IntertwineError(f"{target} is not callable")
    return obj, target


def _cmd_verify(args: argparse.Namespace) -> int:
    from .verify import verify

    obj, name = load_target(args.target)
    report = verify(
        obj,
        args.group,
        args.rep_in,
        args.rep_out,
        tol=args.tol,
        samples=args.samples,
        seed=args.seed,
        name=name,
        channels=tuple(args.channels) if args.channels else None,
        framework=args.framework,
    )
    print(json.dumps(report.to_dict()) if args.format == "json" else str(report))
    return 0 if report else 1


def register(sub) -> None:
    v = sub.add_parser(
        "verify",
        help="check a function or weight matrix for equivariance (exit 0 yes, 1 no, 2 bad input)",
    )
    v.add_argument("target", help="module:function or weights.npy (out x in)")
    v.add_argument("group", help='group or monoid spec, e.g. "S(5)" (see intertwine groups)')
    v.add_argument("rep_in", metavar="IN", help='input rep of the target, e.g. "V**2"')
    v.add_argument("rep_out", metavar="OUT", help='output rep of the target, e.g. "V"')
    v.add_argument(
        "--tol",
        type=float,
        default=None,
        help="relative tolerance (default 1e-9 for matrices, 1e-5 for functions)",
    )
    v.add_argument(
        "--samples", type=int, default=8, help="random inputs a function is checked on (8)"
    )
    v.add_argument("--seed", type=int, default=0, help="seed of the random inputs and words")
    v.add_argument(
        "--channels",
        type=int,
        nargs=2,
        metavar=("CIN", "COUT"),
        help="the function maps (n, CIN, in) to (n, COUT, out); the group acts on the last axis",
    )
    v.add_argument(
        "--framework",
        choices=("jax", "torch", "numpy"),
        default=None,
        help="how to call a plain function (default: from its type, or from what it returns on "
        "a NumPy batch); torch for a function that takes torch tensors",
    )
    v.add_argument(
        "--format", choices=("text", "json"), default="text", help="a readable report or JSON"
    )
    v.set_defaults(func=_cmd_verify)
