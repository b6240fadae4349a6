"""What an emitted layer needs from its plan: a :class:`Recipe`.

Every plan is emitted from one recipe: the arrays it embeds, the constants it defines, and the
core ``_linear(theta, x)`` (W x for x of shape (b, C_IN, IN_DIM)) in each array library: NumPy,
JAX (shared by Equinox and Flax) and PyTorch (methods of the module, with typed attributes for
TorchScript). ``_emit`` assembles the module around it: docstring, imports, data, the shared
constants, the core and the target's wrapper. ``_recipes`` chooses the recipe by the plan's type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Recipe:
    """One emitted plan.

    ``kind`` names the emitted core ("tying", "sparse", "convolution", "diagram_pair",
    "diagram_classes", "irrep"); ``arrays`` are embedded in the module's data (read as
    ``_DATA[key]``); ``constants`` are lines of Python after the shared ones; the three cores
    define ``_linear``; ``torch_attributes`` and ``torch_assign`` declare and set the PyTorch
    module's typed attributes; every array becomes a buffer of the same name.
    """

    kind: str
    arrays: dict[str, np.ndarray]
    constants: tuple[str, ...]
    numpy_core: str
    jax_core: str
    torch_core: str
    torch_attributes: str = ""
    torch_assign: str = ""
