"""What an export target needs installed, checked before any work starts, never by trying.

``onnx`` needs PyTorch (the generated module is exported by ``torch.onnx.export(...,
dynamo=True)``), onnx and onnxscript (the exporter's own dependencies) and onnxruntime (the
artifact is loaded back and checked); ``pt2`` needs PyTorch and a C++ compiler, which
AOTInductor calls to build the package's shared library. Each missing piece is one
:class:`~intertwine.errors.IntertwineError` naming the extra to install.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from enum import Enum

from ...errors import IntertwineError


class ExportTarget(str, Enum):
    """A deployable artifact: an ONNX model, or a torch.export + AOTInductor package."""

    ONNX = "onnx"
    PT2 = "pt2"


EXPORT_TARGETS = tuple(t.value for t in ExportTarget)
_MODULES = {
    ExportTarget.ONNX: ("torch", "onnx", "onnxscript", "onnxruntime"),
    ExportTarget.PT2: ("torch",),
}


def export_target(target: ExportTarget | str) -> ExportTarget:
    """The target as an :class:`ExportTarget`, or an error naming the choices."""
    try:
        return ExportTarget(target)
    except ValueError:
        raise IntertwineError(
            f"unknown export target {target!r}; use one of {', '.join(EXPORT_TARGETS)}"
        ) from None


def missing_modules(target: ExportTarget) -> list[str]:
    """The Python packages ``target`` needs that are not installed (found by import specs)."""
    return [m for m in _MODULES[target] if importlib.util.find_spec(m) is None]


def cxx_compiler() -> str | None:
    """The C++ compiler AOTInductor would call: $CXX, else g++ or clang++ on PATH."""
    for name in (os.environ.get("CXX"), "g++", "clang++"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def require(target: ExportTarget) -> None:
    """Raise IntertwineError, naming the extra to install, when ``target`` cannot run here."""
    missing = missing_modules(target)
    if missing:
        raise IntertwineError(
            f"the {target.value} export needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed: "
            f"pip install 'intertwine[{target.value}]'"
        )
    if target is ExportTarget.PT2 and cxx_compiler() is None:
        raise IntertwineError(
            "the pt2 export compiles C++ (AOTInductor) and found no compiler: install g++ "
            "(e.g. apt-get install g++) or set CXX to a C++ compiler"
        )
