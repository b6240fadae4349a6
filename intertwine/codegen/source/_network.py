"""Standalone source of an invariant-theory network (``invariant_network``) for PyTorch, NumPy,
JAX, Equinox and Flax, with its weights embedded.

The module holds the network's plan (index arrays, forms, signs; ``_network_core``) and its
parameters (given, e.g. trained, or the network's ``init`` at a seed) as a compressed .npz in
base64 (no pickle), or in a side .npz file beyond ``INLINE_LIMIT`` bytes. NumPy and JAX define
``init()`` (the embedded parameters, a fresh copy, in the JAX network's structure) and
``NAME(params, x)``; Equinox and Flax a module over the JAX function; PyTorch an ``nn.Module``
whose parameters start at the embedded values.
"""

from __future__ import annotations

import builtins
import re
import string
import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np

from ...errors import IntertwineError
from ..layout import InvariantNetworkPlan
from . import _network_wrappers as W
from ._emit import TARGETS, Emitted, _imports, _npz_bytes, check_name, side_file
from ._network_core import network_recipe
from ._text import data_block, safe, string_constant

_BUILTINS = frozenset(dir(builtins))
# names the module defines besides the plan's constants
_OWN = frozenset(
    "IN_DIM OUT_DIM LAYERS RANK BILINEAR PARAMS DESCRIPTION init _apply _p _embedded _network "
    "_features _vector _matrix _crosses _tdets _monomials _DATA _BLOB _DATA_FILE".split()
)


def _parameters(plan: InvariantNetworkPlan, params: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The network's params as flat float32 arrays, checked against the plan's shapes."""
    sizes = plan.sizes
    n_poly = plan.n_poly
    poly_shape = (len(plan.head_rows),) if plan.head == "polynomial" else (n_poly, plan.n_coef)
    want: dict[str, tuple[int, ...]] = {
        f"mlp_w{i}": (a, b) for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))
    }
    want |= {f"mlp_b{i}": (b,) for i, b in enumerate(sizes[1:])}
    want["poly"] = poly_shape
    if plan.rank:
        n, r, c = sizes[0], plan.rank, plan.n_coef
        want |= {"bilinear_a": (n, r), "bilinear_b": (n, r), "bilinear_c": (r, c)}
    try:
        got = {f"mlp_w{i}": w for i, (w, _) in enumerate(params["mlp"])}
        got |= {f"mlp_b{i}": b for i, (_, b) in enumerate(params["mlp"])}
        got["poly"] = params["poly"]
        if plan.rank:
            got |= dict(zip(("bilinear_a", "bilinear_b", "bilinear_c"), params["bilinear"]))
    except (KeyError, TypeError, ValueError):
        raise IntertwineError(
            "params must be the network's own params dict ({'mlp': [(w, b), ...], 'poly': ..., "
            "'bilinear': (a, b, c)}), e.g. net.init(key) or a trained copy"
        ) from None
    out = {}
    for key, shape in want.items():
        raw = np.asarray(got.get(key, np.zeros(0)))
        if raw.dtype.kind not in "fiub":
            raise IntertwineError(
                f"params for {key} are {raw.dtype}, not real numbers; pass the network's float "
                "params"
            )
        if not np.all(np.isfinite(raw)):
            raise IntertwineError(
                f"params for {key} hold NaN or inf; export finite weights (check the training)"
            )
        value = raw.astype(np.float32)
        if value.shape != shape:
            raise IntertwineError(
                f"params for {key} have shape {value.shape}; this network needs {shape} "
                "(pass the params of this very network)"
            )
        out[key] = value
    return out


def network_params(net: Any, params: Mapping[str, Any] | None, seed: int) -> dict[str, np.ndarray]:
    """``params`` checked, or the network's ``init`` at ``seed`` (imports JAX)."""
    if params is None:
        import jax

        params = net.init(jax.random.PRNGKey(seed))
    return _parameters(net.plan, params)


def plan_of(net: Any) -> InvariantNetworkPlan:
    """The export plan of an invariant-theory network (IntertwineError for anything else)."""
    plan = getattr(net, "plan", None)
    if not isinstance(plan, InvariantNetworkPlan):
        raise IntertwineError(
            "only invariant_network(...) networks export as a whole; export a layer with "
            "emit(...) or train the network in JAX"
        )
    if not plan.swish:
        raise IntertwineError(
            "a network with a custom activation= cannot be exported (its code is not ours to "
            "write); build it with the default swish"
        )
    return plan


def _docstring(plan: InvariantNetworkPlan, target: str) -> str:
    text = (
        f"{safe(plan.group)}-equivariant invariant-theory network {safe(plan.rep_in)} -> "
        f"{safe(plan.rep_out)} ({target}).\n\n"
        f"x (..., {plan.in_dim}) -> y (..., {plan.out_dim}). The invariants of x (the forms "
        "<v_i, v_j> of its vectors, determinants for SO, power sums for S(n), its scalars) feed "
        "an MLP and polynomial heads, whose outputs are the coefficients of the equivariant "
        "basis maps of each output block (first fundamental theorem of invariant theory). "
        "Equivariant for any weights. The parameters start at the values embedded below.\n\n"
        "Generated by intertwine (intertwine.codegen.emit_network)."
    )
    body = "\n".join(textwrap.fill(p, 84) for p in text.split("\n"))
    return 'r"""' + body.replace('"""', "'''") + '"""'


def emit_network(
    net: Any,
    params: Mapping[str, Any] | None = None,
    *,
    target: str,
    name: str = "InvariantNetwork",
    seed: int = 0,
    data_file: str | None = None,
) -> Emitted:
    """Standalone source of an invariant-theory network for ``target`` (torch, numpy, jax,
    equinox, flax), with ``params`` (the network's params dict, e.g. trained; default its
    ``init`` at ``seed``) embedded as the starting values.

    x (..., dim IN) → y (..., dim OUT) as the JAX network computes it (the tests compare every
    target with it to 1e-5). Raises IntertwineError for a network that is not an
    ``invariant_network`` (or has a custom activation), params of another network, an unknown
    target or a name that is not an identifier.

    >>> from intertwine import invariant_network
    >>> net = invariant_network("O(3)", "2*V", "V", hidden=8, depth=1)
    >>> "def InvariantNetwork(params, x):" in emit_network(net, target="numpy").source
    True
    """
    plan = plan_of(net)
    if target not in TARGETS:
        raise IntertwineError(f"unknown target {target!r}; use one of {', '.join(TARGETS)}")
    name = check_name(name)
    if name in _BUILTINS:
        raise IntertwineError(
            f"name {name!r} would shadow the Python builtin the generated module uses; choose "
            "another (e.g. InvariantNetwork)"
        )
    recipe = network_recipe(plan)
    defined = {n for line in recipe.constants for n in line.partition(" = ")[0].split(", ")}
    if name in _OWN | defined:
        raise IntertwineError(
            f"name {name!r} would shadow a name the generated module uses; choose another "
            "(e.g. InvariantNetwork)"
        )
    weights = network_params(net, params, seed)
    arrays = dict(recipe.arrays) | weights
    blob = _npz_bytes(arrays)
    data_file = side_file(name, data_file, blob, "network_data.npz")
    layers = len(plan.sizes) - 1
    constants = [
        f"IN_DIM, OUT_DIM = {plan.in_dim}, {plan.out_dim}",
        f"LAYERS, RANK = {layers}, {plan.rank}",
        'BILINEAR = ("bilinear_a", "bilinear_b", "bilinear_c") if RANK else ()',
        _tuple("PARAMS", list(weights)),
        string_constant("DESCRIPTION", _description(plan)),
        *recipe.constants,
    ]
    values = {"name": name, "xp": "np" if target == "numpy" else "jnp"}
    fill = string.Template
    if target == "torch":
        keys = list(recipe.arrays)
        buffers = ", ".join(f'"{k}"' for k in keys) + ("," if len(keys) == 1 else "")
        body = fill(W.TORCH).substitute(
            values,
            attributes=recipe.torch_attributes,
            buffers="\n" + "".join(f'            "{k}",\n' for k in keys) + "        "
            if len(buffers) > 60
            else buffers,
            assign=recipe.torch_assign,
            core=recipe.torch_core,
        )
    else:
        core = recipe.numpy_core if target == "numpy" else recipe.jax_core
        load = "np.array(_DATA[key])" if target == "numpy" else "jnp.asarray(_DATA[key])"
        body = _tidy(core) + f"\n\ndef _p(key):\n    return {load}\n"
        body += fill(W.LOADS).substitute(values)
        wrapper = {"equinox": W.EQUINOX, "flax": W.FLAX}.get(target, W.FUNCTION)
        body += fill(wrapper).substitute(values)
    source = "\n".join(
        [
            _docstring(plan, target),
            "",
            _imports(target, data_file is None, _THIRD_PARTY),
            data_block(blob, data_file),
            "\n".join(constants) + "\n",
            "",
            body,
        ]
    )
    return Emitted(source, data_file, blob if data_file is not None else None)


def _description(plan: InvariantNetworkPlan) -> str:
    """What ``print(module)`` shows: the action, the reps and the network's sizes."""
    tail = plan.description.partition(", invariant-theory")[2]
    return (
        f"{safe(plan.group)}: {safe(plan.rep_in)} -> {safe(plan.rep_out)}, invariant-theory"
        + safe(tail)
    )


_THIRD_PARTY = {
    "torch": ["numpy as np", "torch"],
    "numpy": ["numpy as np"],
    "jax": ["jax.numpy as jnp", "numpy as np"],
    "equinox": ["equinox as eqx", "jax", "jax.numpy as jnp", "numpy as np"],
    "flax": ["flax.linen as nn", "jax.numpy as jnp", "numpy as np"],
}


def _tuple(name: str, items: list[str]) -> str:
    """``NAME = ("a", "b")``, one item a line when long (as ruff formats it)."""
    line = f"{name} = (" + ", ".join(f'"{k}"' for k in items) + ")"
    if len(line) <= 88:
        return line
    return f"{name} = (\n" + "".join(f'    "{k}",\n' for k in items) + ")"


def _tidy(core: str) -> str:
    """At most two blank lines between top-level definitions (features drop whole functions)."""
    return re.sub(r"\n{4,}", "\n\n\n", core).strip("\n") + "\n"
