"""The source room: standalone layer modules for PyTorch, NumPy, JAX, Equinox and Flax, written
from the layout with the same plans as the JAX layers. Imports no framework."""

from ._emit import RESERVED as RESERVED
from ._emit import TARGETS as TARGETS
from ._emit import Emitted as Emitted
from ._emit import emit as emit
from ._tensor_product import emit_tensor_product as emit_tensor_product
