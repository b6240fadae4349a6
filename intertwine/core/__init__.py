"""Actions, representations and exact sparse matrices: the values everything else builds on."""

from ._action import Action as Action
from ._action import Generator as Generator
from ._action import direct_product as direct_product
from ._matrix import Matrix as Matrix
from ._matrix import as_matrix as as_matrix
from ._matrix import block_diag as block_diag
from ._matrix import kron as kron
from ._rep import Copies as Copies
from ._rep import Dual as Dual
from ._rep import Power as Power
from ._rep import Rep as Rep
from ._rep import Standard as Standard
from ._rep import Sum as Sum
from ._rep import Tensor as Tensor
from ._rep import Trivial as Trivial
