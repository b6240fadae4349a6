"""Load an exported artifact back: an ONNX model into an onnxruntime ``InferenceSession``, a pt2
package with ``torch._inductor.aoti_load_package``. Either is accepted by
:func:`~intertwine.verify.verify`, which reads the channels from the artifact."""

from __future__ import annotations

import os
from typing import Any

from ...errors import IntertwineError
from ._extras import ExportTarget, require


def load_artifact(path: str) -> Any:
    """The artifact at ``path`` (``*.onnx`` or ``*.pt2``), ready to run.

    Returns an ``onnxruntime.InferenceSession`` (CPU; input "x" (batch, c_in, in) float32) or an
    AOTInductor compiled model (called on a float32 torch tensor (batch, c_in, in)).

    Raises IntertwineError for a missing file, an unknown extension, or a missing optional
    dependency (naming the extra to install).
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IntertwineError(f"cannot read {path}: it is a folder; give the artifact's file")
    if not os.path.isfile(path):
        raise IntertwineError(f"cannot read {path}: no such file; check the path")
    if path.endswith(".onnx"):
        require(ExportTarget.ONNX)
        import onnxruntime

        try:
            return onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own (pybind) exception types
            reason = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            raise IntertwineError(f"cannot load {path} as an ONNX model: {reason}") from None
    if path.endswith(".pt2"):
        require(ExportTarget.PT2)
        from torch._inductor import aoti_load_package

        return aoti_load_package(path)
    raise IntertwineError(f"cannot tell the format of {path}: name it *.onnx or *.pt2")
