"""Which framework a callable belongs to, decided from its type or its output, never by trying.

``verify`` calls a user's function on float64 NumPy batches; to do that it must know how to feed
it. The decision is made once, from facts about the value:

1. the type of the object: intertwine's own layers, MLPs and networks (pure ``init``/``apply``
   pairs, :class:`~intertwine.codegen.layers.Module`, with their layouts), Equinox and Flax
   modules and jitted JAX functions are JAX; a
   ``torch.nn.Module`` is PyTorch (its parameters' dtype is the dtype it is fed); a recursion
   cell or fold is refused with the fix (it maps labels and children, not one batch); a deployed
   artifact (an onnxruntime ``InferenceSession``, an AOTInductor package loaded by
   ``aoti_load_package``) is run as what it is, in float32 (``_artifacts``);
2. otherwise the type of its output on one float64 NumPy probe batch: a ``jax.Array`` means JAX, a
   ``torch.Tensor`` PyTorch, anything else NumPy;
3. or the caller says so: ``framework="torch"`` for a plain function that takes torch tensors
   (a NumPy probe cannot reach it).

A type is tested only when its library is already imported (``sys.modules``): an object cannot be
a torch module unless torch was imported, so nothing is imported to find out. A JAX function is
therefore never called with torch tensors, whether or not PyTorch is installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from ..errors import IntertwineError


class Framework(str, Enum):
    JAX = "jax"
    TORCH = "torch"
    NUMPY = "numpy"


@dataclass(frozen=True)
class Target:
    """A function on batches and how to call it: ``fn`` takes the framework's arrays, ``dtype`` is
    the float dtype it is fed (float32 for a float32 torch module), ``channels`` the (c_in, c_out)
    of the package's own layers (None for a plain function of (n, in))."""

    fn: Callable[[Any], Any]
    framework: Framework | None  # None: decide from the output on a probe
    dtype: np.dtype
    channels: tuple[int, int] | None = None
    torch_dtype: Any = None  # the dtype a torch module is fed (its parameters')


def _loaded(name: str) -> Any:
    return sys.modules.get(name)


def is_jax_array(value: Any) -> bool:
    jax = _loaded("jax")
    return jax is not None and isinstance(value, jax.Array)


def is_torch_tensor(value: Any) -> bool:
    torch = _loaded("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def framework_of_output(out: Any) -> Framework:
    if is_jax_array(out):
        return Framework.JAX
    if is_torch_tensor(out):
        return Framework.TORCH
    return Framework.NUMPY


def target_of(obj: Any, seed: int, framework: str | None) -> Target | None:
    """The :class:`Target` for a callable or a package object; None for a weight matrix."""
    from ..codegen.layers import MLP, Layer, Network
    from ..recursion import Cell, Fold
    from ._artifacts import artifact_target

    f64 = np.dtype(np.float64)
    match obj:
        case Layer() | MLP():
            layouts = obj.layouts
            return Target(
                _bind(obj.apply, obj.init(_key(seed))),
                Framework.JAX,
                f64,
                (layouts[0].c_in, layouts[-1].c_out),
            )
        case Network():
            return Target(_bind(obj.apply, obj.init(_key(seed))), Framework.JAX, f64)
        case Cell() | Fold():
            what = "cell" if isinstance(obj, Cell) else "fold"
            raise IntertwineError(
                f"a {what} maps labels and children (or structures), not one batch: verify a "
                f"function of one batch, e.g. lambda x: {what}.apply(params, ...), or the "
                f"layer inside it"
            )
    module = _module_target(obj, seed) or artifact_target(obj)
    if module is not None:
        return module
    if isinstance(obj, np.ndarray) or not callable(obj):
        return None
    if framework is not None:
        try:
            chosen = Framework(framework)
        except ValueError:
            raise IntertwineError(
                f"framework must be one of jax, torch, numpy, not {framework!r}"
            ) from None
        return Target(obj, chosen, f64)
    jitted = type(obj).__module__.startswith(("jax", "jaxlib"))
    return Target(obj, Framework.JAX if jitted else None, f64)


def _key(seed: int):
    import jax

    return jax.random.PRNGKey(seed)


def _bind(apply: Callable, params: Any) -> Callable:
    def fn(x):
        return apply(params, x)

    return fn


def _module_target(obj: Any, seed: int) -> Target | None:
    """Equinox, Flax linen and PyTorch modules, by type."""
    f64 = np.dtype(np.float64)
    eqx = _loaded("equinox")
    if eqx is not None and isinstance(obj, eqx.Module):
        import jax

        from ..codegen.layers import EquivariantLinear, EquivariantMLP

        if not isinstance(obj, (EquivariantLinear, EquivariantMLP)):
            # an EquivariantNetwork, or a user's module: called on batches
            return Target(obj, Framework.JAX, f64)
        # the package's Equinox layers take one example (c, d): vmapped over the batch
        layouts = obj.layouts
        return Target(jax.vmap(obj), Framework.JAX, f64, (layouts[0].c_in, layouts[-1].c_out))
    linen = _loaded("flax.linen")
    if linen is not None and isinstance(obj, linen.Module):
        from ..codegen.layers import EquivariantDense

        if not isinstance(obj, EquivariantDense):
            raise IntertwineError(
                "a Flax module needs its variables: verify lambda x: module.apply(variables, x)"
            )
        import jax.numpy as jnp

        layout = obj.layout
        probe = jnp.zeros((1, layout.c_in, layout.in_dim))
        variables = obj.init(_key(seed), probe)
        return Target(_bind(obj.apply, variables), Framework.JAX, f64, (layout.c_in, layout.c_out))
    torch = _loaded("torch")
    if torch is not None and isinstance(obj, torch.nn.Module):
        floats = [p.dtype for p in obj.parameters() if p.is_floating_point()]
        feed = floats[0] if floats else torch.float64
        precision = f64 if feed == torch.float64 else np.dtype(np.float32)
        return Target(obj, Framework.TORCH, precision, torch_dtype=feed)
    return None
