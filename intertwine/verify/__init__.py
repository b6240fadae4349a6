"""Equivariance checks of weight matrices and callables, with reports.

``intertwine.verify`` is this module; calling it calls :func:`verify`, so
``intertwine.verify(W, "S(5)", "V", "V")`` and ``from intertwine.verify import verify`` agree.
"""

import sys
import types

from ._nonlinearity import checked_nonlinearity as checked_nonlinearity
from ._report import Check as Check
from ._report import Report as Report
from ._verify import equivariant_to as equivariant_to
from ._verify import verify as verify


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs) -> Report:
        return verify(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
