"""Monoids: truncating shifts, transformation monoids, user matrix monoids."""

from ._shift import shift as shift
from ._shift import shift2d as shift2d
from ._transformation import full_transformations as full_transformations
from ._transformation import matrix_monoid as matrix_monoid
from ._transformation import transformation_monoid as transformation_monoid
