"""Equivariance checks of weight matrices and callables, with reports."""

from ._report import Check as Check
from ._report import Report as Report
from ._verify import equivariant_to as equivariant_to
from ._verify import verify as verify
