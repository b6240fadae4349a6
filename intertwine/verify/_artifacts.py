"""Deployed artifacts as verify targets, recognised by type: an onnxruntime ``InferenceSession``
and an AOTInductor compiled model (``torch._inductor.aoti_load_package``).

As in ``_frameworks``, a type is tested only when its library is already imported: an object
cannot be an ``InferenceSession`` unless onnxruntime was imported. Both artifacts run in float32
(the float32 tolerances apply). Their channels come from the artifact: the ONNX input and output
shapes (batch, c, dim), or the ``intertwine.c_in``/``intertwine.c_out`` metadata that
:func:`intertwine.codegen.deploy.export` writes into a pt2 package.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ._frameworks import Framework, Target

_ONNX_FLOATS = {"tensor(float)": np.float32, "tensor(double)": np.float64}


def artifact_target(obj: Any) -> Target | None:
    """The :class:`Target` of a loaded ONNX session or pt2 package; None for anything else."""
    ort = sys.modules.get("onnxruntime")
    if ort is not None and isinstance(obj, ort.InferenceSession):
        return _onnx_target(obj)
    package = sys.modules.get("torch._inductor.package")
    compiled = getattr(package, "AOTICompiledModel", None)
    if compiled is not None and isinstance(obj, compiled):
        import torch

        meta = obj.get_metadata()
        channels = None
        if "intertwine.c_in" in meta and "intertwine.c_out" in meta:
            channels = (int(meta["intertwine.c_in"]), int(meta["intertwine.c_out"]))
        return Target(obj, Framework.TORCH, np.dtype(np.float32), channels, torch.float32)
    return None


def _onnx_target(session: Any) -> Target:
    inputs, outputs = session.get_inputs(), session.get_outputs()
    name = inputs[0].name
    dtype = np.dtype(_ONNX_FLOATS.get(inputs[0].type, np.float32))
    shape_in, shape_out = inputs[0].shape, outputs[0].shape
    channels = None
    if len(shape_in) == 3 and len(shape_out) == 3:
        c_in, c_out = shape_in[1], shape_out[1]
        if isinstance(c_in, int) and isinstance(c_out, int):
            channels = (c_in, c_out)

    def run(x: np.ndarray) -> np.ndarray:
        return session.run(None, {name: np.ascontiguousarray(x, dtype)})[0]

    return Target(run, Framework.NUMPY, dtype, channels)
