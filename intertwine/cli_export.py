"""``intertwine codegen GROUP IN OUT --target onnx|pt2 -o FILE``: a deployable artifact.

The artifact is written atomically (``cli_files.atomic_output``): a missing folder or a file
that cannot be written is refused before the solve, and a failure leaves nothing behind. A
missing optional dependency (the ``onnx`` or ``pt2`` extra, or a C++ compiler for pt2) is an
environment error: exit 2 with the install command.
"""

from __future__ import annotations

import argparse
import sys

from .cli_files import atomic_output
from .errors import IntertwineError


def export_command(args: argparse.Namespace) -> int:
    from .codegen.deploy import SUFFIX, check_path, export_target, require

    target = export_target(args.target)
    if not args.output:
        raise IntertwineError(
            f"--target {target.value} writes a binary file: add -o layer{SUFFIX[target]}"
        )
    require(target)
    if target.value == "pt2":
        check_path(args.output, target)  # the *.pt2 name, before the temporary file
    with atomic_output(args.output) as written:
        from .codegen.deploy import export
        from .solver import solve

        basis = solve(args.group, args.rep_in, args.rep_out)
        out = export(
            basis,
            target=target,
            path=written,
            channels=tuple(args.channels),
            bias=not args.no_bias,
            mode=args.mode,
            normalize=args.normalize,
            seed=args.seed,
        )
    print(
        f"wrote {args.output}: {target.value}, plan {out.plan}, x (batch, {out.in_shape[0]}, "
        f"{out.in_shape[1]}) -> y (batch, {out.out_shape[0]}, {out.out_shape[1]}) float32, "
        f"{out.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0
