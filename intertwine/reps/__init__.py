"""Representations: irreps, Clebsch–Gordan coefficients, decomposition into irreducibles (groups)
and indecomposables (monoids), names, characters."""

from ._characters import MAX_TABLE_ORDER as MAX_TABLE_ORDER
from ._characters import CharacterTable as CharacterTable
from ._characters import character_table as character_table
from ._clebsch_gordan import ClebschGordan as ClebschGordan
from ._clebsch_gordan import clebsch_gordan as clebsch_gordan
from ._coordinates import IrrepCoordinates as IrrepCoordinates
from ._coordinates import to_irreps as to_irreps
from ._decompose import decompose as decompose
from ._decomposition import Decomposition as Decomposition
from ._decomposition import Irrep as Irrep
from ._given import GivenRep as GivenRep
from ._names import IrrepInfo as IrrepInfo
from ._names import register_namer as register_namer
