"""Representations: irreps, Clebsch–Gordan coefficients, decomposition."""

from ._clebsch_gordan import ClebschGordan as ClebschGordan
from ._clebsch_gordan import clebsch_gordan as clebsch_gordan
