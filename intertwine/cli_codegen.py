"""``intertwine codegen GROUP IN OUT --target T``: standalone layer source for another stack."""

from __future__ import annotations

import argparse
import contextlib
import os

from .cli_files import atomic_output
from .errors import IntertwineError


def _cmd_codegen(args: argparse.Namespace) -> int:
    from .codegen.deploy import EXPORT_TARGETS

    if args.target in EXPORT_TARGETS:  # a binary artifact, not source
        from .cli_export import export_command

        return export_command(args)
    with contextlib.ExitStack() as files:  # the files appear together on success, or none
        source = files.enter_context(atomic_output(args.output)) if args.output else None
        return _codegen(args, source, files)


def _codegen(args: argparse.Namespace, source: str | None, files: contextlib.ExitStack) -> int:
    from .codegen import emit
    from .solver import solve

    basis = solve(args.group, args.rep_in, args.rep_out)
    data_file = None
    if args.output:
        stem = os.path.splitext(os.path.basename(args.output))[0]
        data_file = f"{stem}_data.npz" if stem.replace("_", "a").isalnum() else None
    out = emit(
        basis,
        target=args.target,
        channels=tuple(args.channels),
        name=args.name,
        bias=not args.no_bias,
        data_file=data_file,
        mode=args.mode,
        normalize=args.normalize,
        output=args.output,
    )
    if source is None:
        if out.data is not None:
            raise IntertwineError(
                "this layer's data is too large to inline: add -o layer.py "
                "to write it beside the module"
            )
        print(out.source, end="")
        return 0
    if out.data is not None and out.data_file is not None:
        folder = os.path.dirname(os.path.abspath(args.output))
        data = files.enter_context(atomic_output(os.path.join(folder, out.data_file)))
        with open(data, "wb") as fh:
            fh.write(out.data)
    with open(source, "w", encoding="utf-8") as fh:
        fh.write(out.source)
    return 0


def register(sub) -> None:
    from .codegen import TARGETS
    from .codegen.deploy import EXPORT_TARGETS
    from .codegen.layout import MODES, Normalization

    c = sub.add_parser(
        "codegen",
        help="write a standalone layer for torch, numpy, jax, equinox or flax, or export it "
        "(onnx, pt2)",
    )
    c.add_argument("group", help='the group or monoid, e.g. "S(5)" (see intertwine groups)')
    c.add_argument("rep_in", metavar="IN", help='the input rep, e.g. "V**2"')
    c.add_argument("rep_out", metavar="OUT", help='the output rep, e.g. "V**2"')
    c.add_argument(
        "--target",
        choices=TARGETS + EXPORT_TARGETS,
        required=True,
        help="the framework of the generated module, or a deployable artifact: onnx (an "
        "ONNX model) or pt2 (a torch.export + AOTInductor package); these need -o and the "
        "extra of their name",
    )
    c.add_argument(
        "--channels",
        nargs=2,
        type=int,
        default=(1, 1),
        metavar=("CIN", "COUT"),
        help="input and output channels (copies of IN and OUT); default 1 1",
    )
    c.add_argument("--name", default="EquivariantLinear", help="class or function name")
    c.add_argument("--no-bias", action="store_true", help="leave out the invariant bias")
    c.add_argument(
        "--mode",
        choices=MODES,
        default=None,
        help="force the plan, as mode= in Python (default: the cheapest on a CPU); "
        "'tying' gives shifts and cycles a real gather instead of the FFT (no complex "
        "operations: exports to ONNX)",
    )
    c.add_argument(
        "--normalize",
        choices=[m.value for m in Normalization],
        default=Normalization.MEAN.value,
        help="mean (default): each basis element divided by its number of summed terms, "
        "stable on inputs with a nonzero mean such as adjacency matrices; sum: the basis as "
        "solved",
    )
    c.add_argument(
        "--seed",
        type=int,
        default=0,
        help="onnx and pt2: the seed of the exported coefficients theta (default 0)",
    )
    c.add_argument("-o", "--output", help="write the module here (default: stdout)")
    c.set_defaults(func=_cmd_codegen)
