"""Structural recursion with tied weights: folds, unfolds and Mealy machines over polynomial
functors, in JAX (see ``_fold`` for the mathematics).

>>> from intertwine.recursion import parse_functor
>>> str(parse_functor("(1 + A) * X + 1"))
'X + A*X + 1'
"""

from ._cells import Cell as Cell
from ._cells import dense_cell as dense_cell
from ._cells import dense_mealy_cell as dense_mealy_cell
from ._cells import dense_stream_cell as dense_stream_cell
from ._cells import equivariant_cell as equivariant_cell
from ._fold import Fold as Fold
from ._fold import fold as fold
from ._functor import Functor as Functor
from ._functor import Monomial as Monomial
from ._functor import parse_functor as parse_functor
from ._structures import ListBatch as ListBatch
from ._structures import Node as Node
from ._structures import TreeBatch as TreeBatch
from ._structures import list_batch as list_batch
from ._structures import tree_batch as tree_batch
from ._unfold import mealy as mealy
from ._unfold import unfold as unfold
