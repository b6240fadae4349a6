"""Deployable artifacts: ONNX models and torch.export + AOTInductor packages, made from the
generated PyTorch module. Imports no framework until an export or a load runs."""

from ._export import SUFFIX as SUFFIX
from ._export import Exported as Exported
from ._export import check_path as check_path
from ._export import export as export
from ._extras import EXPORT_TARGETS as EXPORT_TARGETS
from ._extras import ExportTarget as ExportTarget
from ._extras import export_target as export_target
from ._extras import require as require
from ._load import load_artifact as load_artifact
