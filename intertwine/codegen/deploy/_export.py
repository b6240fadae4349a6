"""Deployable artifacts of a layer: an ONNX model, or a torch.export + AOTInductor package.

Both go through the generated PyTorch module (:mod:`intertwine.codegen.source`, target
"torch") and PyTorch's own exporters, so an artifact computes what the PyTorch source computes,
with the layout's plan (diagrams, gather, scatter, irreps, convolution):

- ONNX: ``torch.onnx.export(..., dynamo=True)`` (torch.export, then onnxscript's translation),
  one self-contained file; the FFT convolution is exported in its real-valued direct form (ONNX
  has no complex FFT; see ``_module``);
- pt2: ``torch.export.export`` and ``torch._inductor.aoti_compile_and_package``: C++ compiled
  ahead of time into a package that ``torch._inductor.aoti_load_package`` runs without Python
  source (the FFT convolution stays an FFT).

Both take x of shape (batch, c_in, in) in float32, any batch, and return (batch, c_out, out).
The action, the reps and the channels are written into the artifact's metadata (ONNX
``metadata_props``; the package's AOTInductor metadata) under ``intertwine.*`` keys, so that
:func:`~intertwine.verify.verify` knows the channels of a loaded artifact.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import IntertwineError
from ..layers import Network
from ..layout import LayerLayout, Normalization, layout_from_basis
from ..source import plan_of, source_mode
from ._extras import ExportTarget, export_target, require
from ._module import real_convolution, torch_layer

SUFFIX = {ExportTarget.ONNX: ".onnx", ExportTarget.PT2: ".pt2"}


@dataclass(frozen=True)
class Exported:
    """An artifact written: where, its target, the plan it runs, its input and output shapes
    (without the batch axis: (c_in, in) for a layer, (in,) for a network) and the seconds the
    export took (compilation included)."""

    path: str
    target: ExportTarget
    plan: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    seconds: float


def metadata(layout: LayerLayout, plan: str) -> dict[str, str]:
    """The ``intertwine.*`` keys written into every artifact."""
    return {
        "intertwine.group": layout.group,
        "intertwine.rep_in": layout.rep_in,
        "intertwine.rep_out": layout.rep_out,
        "intertwine.c_in": str(layout.c_in),
        "intertwine.c_out": str(layout.c_out),
        "intertwine.in_dim": str(layout.in_dim),
        "intertwine.out_dim": str(layout.out_dim),
        "intertwine.plan": plan,
    }


def check_path(path: str, target: ExportTarget) -> None:
    """Refuse at once, in one line, a path the artifact cannot be written to."""
    if not isinstance(path, (str, os.PathLike)):
        raise IntertwineError(f"path must be a file name, not {type(path).__name__}")
    path = os.fspath(path)
    if target is ExportTarget.PT2 and not path.endswith(".pt2"):
        raise IntertwineError(
            f"a pt2 package must be named *.pt2 (AOTInductor requires it), not {path!r}"
        )
    if target is ExportTarget.ONNX and not path.endswith(".onnx"):
        raise IntertwineError(
            f"an ONNX model must be named *.onnx (load_artifact reads the format from it), not "
            f"{path!r}"
        )
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IntertwineError(f"cannot write {path}: it is a folder; give a file name")
    if not os.path.isdir(folder):
        raise IntertwineError(
            f"cannot write {path}: the folder {folder} does not exist; create it first "
            f"(mkdir -p {folder}) or choose another path"
        )
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise IntertwineError(
            f"cannot write {path}: permission denied; check the permissions or choose another path"
        )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """PyTorch's exporters print progress to stdout, log warnings about packages we do not use
    (torchvision) and warn about their own internals: none of it is the user's to act on."""
    loggers = [logging.getLogger(name) for name in ("torch", "torch.__trace", "onnxscript")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def write_artifact(module: Any, example: Any, kind: ExportTarget, path: str, meta: dict) -> None:
    """Export the torch ``module`` (called on ``example``, batch axis 0 dynamic) to ``path``
    with PyTorch's own exporters, ``meta`` in the artifact's metadata."""
    import torch

    dynamic = ({0: torch.export.Dim("batch", min=1)},)
    if kind is ExportTarget.ONNX:
        program = torch.onnx.export(
            module,
            (example,),
            dynamo=True,
            dynamic_shapes=dynamic,
            input_names=["x"],
            output_names=["y"],
            external_data=False,
            verbose=False,
        )
        assert program is not None
        program.model.metadata_props.update(meta)
        program.save(path, external_data=False)
    else:
        from torch._inductor import aoti_compile_and_package

        exported = torch.export.export(module, (example,), dynamic_shapes=dynamic)
        aoti_compile_and_package(
            exported, package_path=path, inductor_configs={"aot_inductor.metadata": meta}
        )


def export(
    basis_or_action,
    rep_in=None,
    rep_out=None,
    *,
    target: ExportTarget | str,
    path: str,
    params: Mapping[str, Any] | None = None,
    channels=(1, 1),
    bias: bool = True,
    mode: str | None = None,
    normalize: Normalization | str = Normalization.MEAN,
    seed: int = 0,
) -> Exported:
    """Write the layer as a deployable artifact: ``target`` "onnx" or "pt2".

    ``basis_or_action`` is a Basis or a LayerLayout (e.g. ``layer.layout`` of a JAX layer), or
    an action followed by the two reps, as for :func:`~intertwine.codegen.emit`; ``channels``,
    ``bias``, ``mode`` and ``normalize`` as there. ``params`` are the layer's coefficients
    ({"theta": (c_out, c_in, dim), "bias": (c_out, bias_dim)}, JAX or NumPy arrays, e.g. a
    trained JAX layer's params); without them θ ~ N(0, THETA_STD²) from a NumPy generator
    seeded by ``seed`` and a zero bias. The artifact maps x (batch, c_in, in) to (batch, c_out,
    out) in float32; load it with :func:`load_artifact` and check it with ``verify``.

    Raises IntertwineError for an unknown target, a missing optional dependency (naming the
    extra: ``pip install 'intertwine[onnx]'`` or ``'intertwine[pt2]'``; pt2 also needs a C++
    compiler), a path whose folder is missing or not writable (or a pt2 path not named
    ``*.pt2``), or params of the wrong shape.

    An invariant-theory network (``invariant_network(...)``, with its ``params``, e.g. trained)
    exports the same way: the artifact maps x (batch, dim IN) to (batch, dim OUT).

    Example (needs the onnx extra, so not run as a doctest)::

        out = export("S(4)", "V", "V", target="onnx", path="layer.onnx", channels=(2, 3))
        session = load_artifact(out.path)  # x: (batch, 2, 4) float32 -> y: (batch, 3, 4)
        assert verify(session, "S(4)", "V", "V")
    """
    kind = export_target(target)
    require(kind)
    check_path(path, kind)
    if isinstance(basis_or_action, Network):
        from ._network import export_network

        plan_of(basis_or_action)  # an invariant network with the default activation
        return export_network(basis_or_action, kind, os.fspath(path), params, seed)
    if isinstance(basis_or_action, LayerLayout):
        layout = basis_or_action
    else:
        layout = layout_from_basis(
            basis_or_action,
            rep_in,
            rep_out,
            backend="cpu",
            channels=channels,
            bias=bias,
            mode=mode,
            normalize=normalize,
        )
    import torch

    start = time.perf_counter()
    plan = source_mode(layout)
    with tempfile.TemporaryDirectory() as folder, _quiet():
        layer = torch_layer(layout, folder, params, seed)
        if kind is ExportTarget.ONNX and plan == "convolution":
            real_convolution(layer)
            plan = "convolution (real direct form)"
        example = torch.zeros(2, layout.c_in, layout.in_dim)
        write_artifact(layer, example, kind, os.fspath(path), metadata(layout, plan))
    return Exported(
        os.fspath(path),
        kind,
        plan,
        (layout.c_in, layout.in_dim),
        (layout.c_out, layout.out_dim),
        time.perf_counter() - start,
    )
