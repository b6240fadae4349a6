"""The source room: standalone layer modules for PyTorch, NumPy, JAX, Equinox and Flax, written
from the layout with the same plans as the JAX layers. Imports no framework.

Each plan type is emitted from one :class:`Recipe` (its arrays, constants and cores), chosen by
:func:`recipe_for`; :func:`source_mode` names the kind of core.
"""

from ._emit import RESERVED as RESERVED
from ._emit import TARGETS as TARGETS
from ._emit import Emitted as Emitted
from ._emit import emit as emit
from ._network import emit_network as emit_network
from ._network import plan_of as plan_of
from ._recipe import Recipe as Recipe
from ._recipes import recipe_for as recipe_for
from ._recipes import source_mode as source_mode
from ._tensor_product import emit_tensor_product as emit_tensor_product
