"""Plans and layouts as values: equal, and hashed, by content.

A layer's layout is a static field of Equinox modules and a static argument of ``jax.jit``; JAX
keys its compiled functions on such fields by ``==`` and ``hash``. A layout compared by identity
makes two equal layers compile twice; compared by value, they share one compiled function. The
layouts hold NumPy arrays (tying indices, bases, index plans), which NumPy compares elementwise,
so :class:`Value` compares every field by content, an array by its dtype, shape and entries.
The arrays are made read-only when a value is built (:func:`frozen`), so the key cannot go stale,
and the hash is computed once (a BLAKE2 digest of the contents).

>>> import numpy as np
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, eq=False)
... class Pair(Value):
...     n: int
...     index: np.ndarray
>>> a, b = Pair(2, frozen(np.arange(3))), Pair(2, frozen(np.arange(3)))
>>> a == b, hash(a) == hash(b), a == Pair(2, frozen(np.arange(4)))
(True, True, False)
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import numpy as np


def frozen(array: Any, dtype: Any = None) -> np.ndarray:
    """A read-only NumPy copy of ``array`` (in ``dtype`` when given): a plan's arrays never
    change after it is built, so its hash stays true."""
    out = np.array(array, dtype=dtype, copy=True)
    out.flags.writeable = False
    return out


def same(a: Any, b: Any) -> bool:
    """Whether two field values are equal by content (arrays by dtype, shape and entries)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and bool(np.array_equal(a, b))
        )
    if isinstance(a, Value):
        return a == b
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _feed(h: Any, obj: Any) -> None:
    """Feed a hasher with what :func:`same` compares."""
    if isinstance(obj, np.ndarray):
        h.update(f"array {obj.dtype.str} {obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).view(np.uint8).reshape(-1).data)
    elif isinstance(obj, Value):
        h.update(hash(obj).to_bytes(8, "little", signed=True))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, (tuple, list)):
        h.update(f"{type(obj).__name__} {len(obj)}".encode())
        for x in obj:
            _feed(h, x)
    else:
        h.update(repr(obj).encode())


class Value:
    """Base of frozen dataclasses compared and hashed by value (see the module docstring).
    Subclasses are declared ``@dataclass(frozen=True, eq=False)`` so that these methods stand."""

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        return hash(self) == hash(other) and all(
            same(getattr(self, f.name), getattr(other, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        )

    def __hash__(self) -> int:
        cached = self.__dict__.get("_value_hash")
        if cached is None:
            h = hashlib.blake2b(digest_size=8)
            h.update(type(self).__qualname__.encode())
            for f in dataclasses.fields(self):  # type: ignore[arg-type]
                _feed(h, getattr(self, f.name))
            cached = int.from_bytes(h.digest(), "little", signed=True)
            object.__setattr__(self, "_value_hash", cached)
        return cached
