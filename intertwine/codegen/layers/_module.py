"""One shape for every trainable thing: a pair of pure functions, ``init`` and ``apply``.

As optax's ``GradientTransformation(init, update)``, a layer, an MLP, a network, a recursion
cell and a fold are each a NamedTuple whose first two fields are

    init(key) -> params            (a JAX PRNG key in, a pytree of parameters out)
    apply(params, *inputs) -> y    (pure: no state, jit-able, differentiable in params)

followed by what describes it (a layout, a functor, a text). :class:`Module` is the protocol
they all satisfy, so that code written for one (a training loop, ``jax.jit(m.apply)``) takes
any; ``Init`` and ``Apply`` are the field types every declaration uses.

>>> from intertwine.codegen import equivariant_linear
>>> isinstance(equivariant_linear("S(4)", "V", "V"), Module)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeAlias, runtime_checkable

Init: TypeAlias = Callable[[Any], Any]
"""``init(key) -> params``."""

Apply: TypeAlias = Callable[..., Any]
"""``apply(params, *inputs) -> outputs``; the inputs depend on the module (a batch, a label and
children, a structure)."""


@runtime_checkable
class Module(Protocol):
    """A pair of pure functions: ``init(key) -> params`` and ``apply(params, ...) -> ...``."""

    @property
    def init(self) -> Init: ...

    @property
    def apply(self) -> Apply: ...
