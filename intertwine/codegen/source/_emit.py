"""Standalone source for PyTorch, NumPy, JAX, Equinox and Flax, from one :class:`LayerLayout`.

Every target reads the same layout and gets the same plan as the JAX layer on a CPU: diagrams
for a diagram basis (the plain core of one block pair without forms or ε, "diagram_pair", or
the general core for sums of tensor powers, invariant forms and ε operands, one application per
class of block pairs, "diagram_classes"), an FFT convolution for tyings that depend only on
i − j, irrep blocks for reps written as irreps, otherwise a gather (tying) or a scatter-add
(general sparse basis):

    W[o, c].flat = sign · θ̃[o, c][index]    (tying; θ̃ = θ with one zero appended)
    W[o, c].flat[cols] += θ[o, c][rows] · vals    (general sparse basis)
    y[..., o, :] = Σ_c W[o, c] x[..., c, :] + β[o] @ bias_basis

The plan's arrays are embedded compactly as a base64 string of a compressed .npz (no pickle), or
beyond ``INLINE_LIMIT`` bytes in a side .npz file next to the module; the diagram plan's einsum
subscripts are literals. Each plan's part (arrays, constants, cores) is its :class:`Recipe`
(``_recipes`` chooses it by the plan's type); the wrappers are in ``_wrappers``, the text
around them in ``_text``. Exporting never imports JAX. User-given names are validated
identifiers; every other user text that reaches the source goes through a whitelist of
characters.
"""

from __future__ import annotations

import io
import keyword
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...errors import IntertwineError
from ...solver import Basis, DiagramBasis
from ..layout import LayerLayout, Normalization, layout_from_basis
from . import _wrappers as W
from ._irrep import RESERVED as IRREP_RESERVED
from ._recipe import Recipe
from ._recipes import recipe_for
from ._text import data_block, description, docstring, safe, string_constant

TARGETS = ("torch", "numpy", "jax", "equinox", "flax")
INLINE_LIMIT = 256 * 1024


@dataclass(frozen=True)
class Emitted:
    """Generated source, and the side data file's bytes when the data is too large to inline."""

    source: str
    data_file: str | None
    data: bytes | None


# Names the generated module defines or imports itself: a layer of that name would shadow them.
RESERVED = frozenset(
    "np jax jnp eqx nn torch os io base64 zlib init weight _linear _gather _forward _DATA _BLOB "
    "_DATA_FILE _npz _theta_init C_IN C_OUT IN_DIM OUT_DIM DIM BIAS_DIM THETA_STD INDEX SIGN ROWS "
    "COLS VALS BIAS_BASIS MOBIUS REDUCE SHAPE DUPS N K L LENGTH KERNEL_INDEX KERNEL_SIGN SCALE "
    "DESCRIPTION PLANS TERMS IN_STARTS OUT_SIZES IN_MAPS OUT_MAPS EPS DIAGRAMS SOURCES LEVI "
    "IN_GATHER IN_SIGN OUT_GATHER OUT_SIGN _apply_plan _map_axes".split()
)
RESERVED |= IRREP_RESERVED


def check_name(name: str) -> str:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise IntertwineError(
            f"the name (--name) must be a Python identifier (letters, digits, _), not {name!r}"
        )
    if name in RESERVED:
        raise IntertwineError(
            f"the name (--name) {name!r} would shadow a name the generated module uses; choose "
            "another (e.g. EquivariantLinear)"
        )
    return name


def _arrays(lay: LayerLayout, recipe: Recipe) -> dict[str, np.ndarray]:
    arrays = dict(recipe.arrays)
    if lay.bias_basis is not None:
        arrays["bias_basis"] = lay.bias_basis.astype(np.float32)
    if lay.scale is not None:
        arrays["scale"] = np.asarray(lay.scale, np.float64)
    return arrays


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _constants(lay: LayerLayout, recipe: Recipe) -> str:
    lines = [
        f"C_IN, C_OUT = {lay.c_in}, {lay.c_out}",
        f"IN_DIM, OUT_DIM = {lay.in_dim}, {lay.out_dim}",
        f"DIM = {lay.dim}",
        f"BIAS_DIM = {lay.bias_dim}",
        f"THETA_STD = {float(lay.theta_std)!r}",
        'SCALE = _DATA["scale"]' if lay.scale is not None else "SCALE = None",
        string_constant("DESCRIPTION", description(lay)),
        *recipe.constants,
    ]
    lines.append(
        'BIAS_BASIS = _DATA["bias_basis"]' if lay.bias_basis is not None else "BIAS_BASIS = None"
    )
    return "\n".join(lines) + "\n"


_THIRD_PARTY = {
    "torch": ["numpy as np", "torch"],
    "numpy": ["numpy as np"],
    "jax": ["jax", "jax.numpy as jnp", "numpy as np"],
    "equinox": ["equinox as eqx", "jax", "jax.numpy as jnp", "numpy as np"],
    "flax": ["flax.linen as nn", "jax", "jax.numpy as jnp", "numpy as np"],
}


def _imports(target: str, inline: bool, table: Mapping[str, list[str]] = _THIRD_PARTY) -> str:
    """The generated module's imports: the standard library's for its data, then ``table``'s."""
    std = ["base64", "io", "zlib"] if inline else ["os"]
    return (
        "\n".join(f"import {m}" for m in std)
        + "\n\n"
        + "\n".join(f"import {m}" for m in table[target])
        + "\n"
    )


def side_file(name: str, data_file: str | None, blob: bytes, fallback: str) -> str | None:
    """Where the generated module's data goes: None (inline, base64 in the source) when the
    compressed .npz ``blob`` fits ``INLINE_LIMIT``, else ``data_file`` or ``NAME_data.npz``
    (``fallback`` where NAME is not plain ASCII). Raises IntertwineError for a ``data_file``
    that is not a plain *.npz name, inline or not."""
    plain = r"[A-Za-z0-9_-][A-Za-z0-9_.-]*\.npz"
    if data_file is not None and not re.fullmatch(plain, data_file):
        raise IntertwineError(f"the data file name {data_file!r} must be a plain *.npz name")
    if len(blob) <= INLINE_LIMIT:
        return None
    if data_file is None:
        data_file = f"{name}_data.npz"
        return data_file if re.fullmatch(plain, data_file) else fallback
    return data_file


_WRAPPERS = {
    "numpy": W.NUMPY_WRAPPER,
    "jax": W.JAX_WRAPPER,
    "equinox": W.EQUINOX_WRAPPER,
    "flax": W.FLAX_WRAPPER,
}


def _body(target: str, name: str, lay: LayerLayout, recipe: Recipe) -> str:
    """The core for the plan in the target's array library, then the target's wrapper."""
    scaled = lay.scale is not None
    if target == "numpy":
        forward = _fill(W.NUMPY_FORWARD, scale=W.NUMPY_SCALE if scaled else "")
        return recipe.numpy_core + forward + _fill(W.NUMPY_WRAPPER, name=name)
    if target != "torch":
        forward = _fill(W.JAX_FORWARD, scale=W.JAX_SCALE if scaled else "")
        return recipe.jax_core + forward + _fill(_WRAPPERS[target], name=name)
    keys = list(_arrays(lay, recipe))
    return _fill(
        W.TORCH_WRAPPER.lstrip("\n"),
        name=name,
        attributes=recipe.torch_attributes,
        bias_param=W.TORCH_BIAS_PARAM if lay.bias_basis is not None else "",
        buffers=_buffers(keys),
        assign=recipe.torch_assign,
        core=recipe.torch_core,
        scale=W.TORCH_SCALE if scaled else "",
        bias_add=W.TORCH_BIAS_ADD if lay.bias_basis is not None else "",
    )


def _buffers(keys: list[str]) -> str:
    """The buffer names in ``for key in (...):``, one a line when they would run long."""
    line = ", ".join(f'"{k}"' for k in keys) + ("," if len(keys) == 1 else "")
    if len(line) <= 64:
        return line
    return "\n" + "".join(f'            "{k}",\n' for k in keys) + "        "


def _fill(template: str, **values: str) -> str:
    return string.Template(template).substitute(values)


def _as_layout(basis_or_action, rep_in, rep_out, **options) -> LayerLayout:
    if isinstance(basis_or_action, LayerLayout):
        return basis_or_action
    return layout_from_basis(basis_or_action, rep_in, rep_out, backend="cpu", **options)


def emit(
    basis_or_action,
    rep_in=None,
    rep_out=None,
    *,
    target: str | None = None,
    channels=(1, 1),
    name: str = "EquivariantLinear",
    bias: bool = True,
    data_file: str | None = None,
    mode: str | None = None,
    normalize: Normalization | str = Normalization.MEAN,
    output: str | None = None,
) -> Emitted:
    """Standalone source for ``target`` (one of torch, numpy, jax, equinox, flax).

    ``basis_or_action`` is a Basis or LayerLayout, or an action followed by the two reps (values
    or spec strings), as for every entry point. Returns an :class:`Emitted`; when the layer data
    exceeds ``INLINE_LIMIT`` bytes it must be written to ``data_file`` (a name next to the
    module) and ``Emitted.data`` holds its bytes. Never imports JAX.

    ``mode`` forces the plan as for :func:`~intertwine.codegen.equivariant_linear`: e.g.
    "tying" gives a shift or cycle layer a real gather and matrix product instead of the FFT
    convolution (no complex operations, so the PyTorch module exports to ONNX). ``normalize``
    is the layer's :class:`~intertwine.codegen.layout.Normalization` (mean by default, as the
    JAX layers). ``output`` is the module's file name, for the regenerate command in its
    docstring (default ``NAME.py``). Raises IntertwineError for an unknown target, mode or
    normalisation, or a name that is not an identifier.

    >>> out = emit("S(4)", "V", "V", target="numpy", name="Layer")
    >>> "def Layer(params, x):" in out.source
    True
    """
    listed = (Basis, DiagramBasis, LayerLayout)
    if isinstance(basis_or_action, listed) and rep_out is None and rep_in in TARGETS:
        raise IntertwineError(f"the target is a keyword argument: emit(basis, target={rep_in!r})")
    if target not in TARGETS:
        raise IntertwineError(f"unknown target {target!r}; use one of {', '.join(TARGETS)}")
    assert target is not None
    name = check_name(name)
    lay = _as_layout(
        basis_or_action,
        rep_in,
        rep_out,
        channels=channels,
        bias=bias,
        mode=mode,
        normalize=normalize,
    )
    forced, recipe = mode, recipe_for(lay)
    blob = _npz_bytes(_arrays(lay, recipe))
    data_file = side_file(name, data_file, blob, "layer_data.npz")
    specs = " ".join(f'"{safe(s)}"' for s in (lay.group, lay.rep_in, lay.rep_out))
    options = f"--target {target} --channels {lay.c_in} {lay.c_out}"
    if lay.bias_basis is None:
        options += " --no-bias"
    if forced is not None:
        options += f" --mode {lay.mode}"
    if lay.normalization is Normalization.SUM:
        options += " --normalize sum"
    target_file = safe(output) if output else f"{name}.py"
    cmd = " \\\n        ".join(
        [f"intertwine codegen {specs}", options, f"--name {name} -o {target_file}"]
    )
    parts = [
        docstring(lay, target, name, cmd),
        "",
        _imports(target, data_file is None),
        data_block(blob, data_file),
        _constants(lay, recipe),
        "",
        _body(target, name, lay, recipe),
    ]
    source = "\n".join(parts)
    return Emitted(source, data_file, blob if data_file is not None else None)
