"""Standalone source for PyTorch, NumPy, JAX, Equinox and Flax, from one :class:`LayerLayout`.

Every target reads the same layout and gets the same plan as the JAX layer on a CPU: diagrams
for a diagram basis ("diagram" for one block pair without forms or ε; "diagrams" for sums of
tensor powers, invariant forms and ε operands, one application per class of block pairs), an
FFT convolution for tyings that depend only on i − j, otherwise a gather (tying) or a
scatter-add (general sparse basis):

    W[o, c].flat = sign · θ̃[o, c][index]    (tying; θ̃ = θ with one zero appended)
    W[o, c].flat[cols] += θ[o, c][rows] · vals    (general sparse basis)
    y[..., o, :] = Σ_c W[o, c] x[..., c, :] + β[o] @ bias_basis

The plan's arrays are embedded compactly as a base64 string of a compressed .npz (no pickle), or
beyond ``INLINE_LIMIT`` bytes in a side .npz file next to the module; the diagram plan's einsum
subscripts are literals. The module is assembled from the small templates in ``_templates``.
Exporting never imports JAX. User-given names are validated identifiers; every other user text
that reaches the source goes through a whitelist of characters.
"""

from __future__ import annotations

import base64
import io
import keyword
import re
import string
import textwrap
import zlib
from dataclasses import dataclass

import numpy as np

from ...errors import IntertwineError
from ...solver import Basis, DiagramBasis
from ...solver.diagrams import levi_civita
from ..layout import LayerLayout, Normalization, layout_from_basis
from . import _irrep as I
from . import _templates as T

TARGETS = ("torch", "numpy", "jax", "equinox", "flax")
INLINE_LIMIT = 256 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9 ()*+,.@_/='-]")


@dataclass(frozen=True)
class Emitted:
    """Generated source, and the side data file's bytes when the data is too large to inline."""

    source: str
    data_file: str | None
    data: bytes | None


def _safe(text: str) -> str:
    """Text for a docstring and a double-quoted shell word: Tensor("ij=ji", V) is written with
    single quotes, which the rep parser reads alike; anything else unusual becomes '?'."""
    return _SAFE.sub("?", str(text).replace('"', "'"))


# Names the generated module defines or imports itself: a layer of that name would shadow them.
RESERVED = frozenset(
    "np jax jnp eqx nn torch os io base64 zlib init weight _linear _gather _forward _DATA _BLOB "
    "_npz _theta_init C_IN C_OUT IN_DIM OUT_DIM DIM BIAS_DIM THETA_STD INDEX SIGN ROWS COLS VALS "
    "BIAS_BASIS MOBIUS REDUCE SHAPE DUPS N K L LENGTH KERNEL_INDEX KERNEL_SIGN SCALE "
    "DESCRIPTION".split()
)
RESERVED |= I.RESERVED


def check_name(name: str) -> str:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise IntertwineError(
            f"--name must be a Python identifier (letters, digits, _), not {name!r}"
        )
    if name in RESERVED:
        raise IntertwineError(
            f"--name {name!r} would shadow a name the generated module uses; choose another "
            f"(e.g. EquivariantLinear)"
        )
    return name


def source_mode(lay: LayerLayout) -> str:
    """The plan an emitted layer uses: the layout's, with "dense" emitted as a gather (when the
    basis is a tying) or a scatter, whose data is far smaller than a dense basis."""
    if lay.mode == "diagram" and lay.diagram.plain is None:
        return "diagrams"  # sums of tensor powers, invariant forms or ε operands
    if lay.mode in ("diagram", "convolution", "tying", "sparse", "irrep"):
        return lay.mode
    return "tying" if lay.index is not None else "sparse"


def _arrays(lay: LayerLayout, mode: str) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    if mode == "tying":
        arrays["index"] = lay.index.astype(np.int64)
        arrays["sign"] = lay.sign.astype(np.float32)
    elif mode == "sparse":
        arrays["rows"] = lay.rows.astype(np.int64)
        arrays["cols"] = lay.cols.astype(np.int64)
        arrays["vals"] = lay.vals.astype(np.float32)
    elif mode == "irrep":
        arrays.update(I.irrep_arrays(lay.irrep))
    elif mode == "diagram":
        arrays["mobius"] = lay.diagram.plain.mobius.astype(np.float32)  # small integers: exact
    elif mode == "diagrams":
        layout = lay.diagram
        for i, plan in enumerate(layout.plans):
            arrays[f"terms{i}"] = plan.terms.astype(np.int64)
            arrays[f"mobius{i}"] = plan.mobius.astype(np.float32)
        forms = layout.plans[0].forms
        if forms is not None and not forms.trivial:
            inverse = np.argsort(forms.in_perm)
            arrays["in_gather"] = inverse.astype(np.int64)
            arrays["in_sign"] = forms.in_sign[inverse].astype(np.float32)
            arrays["out_gather"] = forms.out_perm.astype(np.int64)
            arrays["out_sign"] = forms.out_sign.astype(np.float32)
        if any(any(plan.eps) for plan in layout.plans):
            arrays["levi"] = levi_civita(layout.n).astype(np.float32)
    else:
        arrays["kernel_index"] = lay.convolution.index.astype(np.int64)
        arrays["kernel_sign"] = lay.convolution.sign.astype(np.float32)
    if lay.bias_basis is not None:
        arrays["bias_basis"] = lay.bias_basis.astype(np.float32)
    if lay.scale is not None:
        arrays["scale"] = np.asarray(lay.scale, np.float64)
    return arrays


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _pattern(lay: LayerLayout) -> str:
    if lay.index is None or lay.out_dim > 12 or lay.in_dim > 12:
        return ""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    rows = []
    for j in range(lay.out_dim):
        cells = []
        for i in range(lay.in_dim):
            k = int(lay.index[j * lay.in_dim + i])
            s = lay.sign[j * lay.in_dim + i]
            cells.append(
                "."
                if k == lay.dim
                else ("-" if s < 0 else "") + (letters[k] if k < 52 else f"p{k}")
            )
        rows.append(" ".join(f"{c:>3}" for c in cells))
    return (
        "\nTying pattern of W (one letter per tied weight, '.' is a forced zero)::\n\n"
        + "\n".join("    " + r for r in rows)
        + "\n"
    )


def _docstring(lay: LayerLayout, target: str, name: str, command: str) -> str:
    text = (
        f"{_safe(lay.group)}-equivariant linear layer {_safe(lay.rep_in)} -> "
        f"{_safe(lay.rep_out)} ({target}).\n\n"
        f"W rho_in(g) = rho_out(g) W for every generator g of {_safe(lay.group)}. Input "
        f"x has shape (..., {lay.c_in}, {lay.in_dim}); output (..., {lay.c_out}, "
        f"{lay.out_dim}). The trainable parameters are the tied weights theta "
        f"({lay.c_out}, {lay.c_in}, {lay.dim}) and "
        + (
            f"the bias coefficients ({lay.c_out}, {lay.bias_dim})"
            if lay.bias_basis is not None
            else "no bias"
        )
        + "; theta ~ N(0, THETA_STD**2) gives W the "
        "fan-in variance of a dense layer.\n"
        + (
            "\nMean aggregation: W = sum_k theta_k SCALE[k] B_k, each basis element B_k divided "
            "by its number of summed terms (SCALE = 1 / terms), so that sums over rows, columns "
            "or the whole input are means and outputs stay O(1) on inputs with a nonzero mean "
            "(0/1 adjacency matrices) at any n.\n"
            if lay.scale is not None
            else ""
        )
        + (
            "\nThe first few calls are slower than the rest (FFT buffers and plans are set up): "
            "time the layer after a warm-up batch of the real size. --mode tying gives a real "
            "gather and matrix product instead (no complex operations, for ONNX export).\n"
            if target == "torch" and lay.mode == "convolution"
            else ""
        )
    )
    body = "\n".join(textwrap.fill(p, 84) for p in text.split("\n"))
    body += _pattern(lay)
    body += f"\nGenerated by intertwine; regenerate with::\n\n    {command}\n"
    # raw, so that the regenerate command can continue its line with a backslash as in a shell;
    # user text reaches it only through _safe (no quotes, no backslashes)
    return 'r"""' + body.replace('"""', "'''") + '"""'


def _data_block(blob: bytes, data_file: str | None) -> str:
    tail = ") as _npz:\n    _DATA = dict(_npz)\n"
    if data_file is not None:
        return (
            "with np.load(\n"
            f'    os.path.join(os.path.dirname(os.path.abspath(__file__)), "{data_file}"),\n'
            "    allow_pickle=False,\n" + tail
        )
    encoded = base64.b64encode(zlib.compress(blob, 9)).decode("ascii")
    chunks = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    if len(chunks) == 1:
        literal = f'_BLOB = "{chunks[0]}"\n'
    else:
        literal = "_BLOB = (\n" + "".join(f'    "{c}"\n' for c in chunks) + ")\n"
    return literal + (
        "with np.load(\n"
        "    io.BytesIO(zlib.decompress(base64.b64decode(_BLOB))), allow_pickle=False\n" + tail
    )


def _list_literal(name: str, items: list[str]) -> str:
    """``NAME = [...]`` one item a line (a trailing comma keeps ruff's formatting as written)."""
    return f"{name} = [\n" + "".join(f"    {item},\n" for item in items) + "]"


def _constants(lay: LayerLayout, mode: str) -> str:
    lines = [
        f"C_IN, C_OUT = {lay.c_in}, {lay.c_out}",
        f"IN_DIM, OUT_DIM = {lay.in_dim}, {lay.out_dim}",
        f"DIM = {lay.dim}",
        f"BIAS_DIM = {lay.bias_dim}",
        f"THETA_STD = {float(lay.theta_std)!r}",
        'SCALE = _DATA["scale"]' if lay.scale is not None else "SCALE = None",
        _string_constant("DESCRIPTION", _description(lay)),
    ]
    if mode == "tying":
        lines += ['INDEX = _DATA["index"]', 'SIGN = _DATA["sign"]']
    elif mode == "sparse":
        lines += ['ROWS = _DATA["rows"]', 'COLS = _DATA["cols"]', 'VALS = _DATA["vals"]']
    elif mode == "diagram":
        plan = lay.diagram.plain
        lines += [
            f"N, K, L = {plan.n}, {plan.k}, {plan.l}",
            'MOBIUS = _DATA["mobius"]',
            "# per partition diagram: einsum that reduces x, output shape, diagonal pairs",
            _list_literal("REDUCE", [f'"{r}"' for r in plan.reduce]),
            _list_literal("SHAPE", [str(list(shape)) for shape in plan.shape]),
            _list_literal("DUPS", [str([list(pq) for pq in d]) for d in plan.dups]),
        ]
    elif mode == "diagrams":
        lines += _general_constants(lay.diagram)
    elif mode == "irrep":
        lines += I.irrep_constants(lay.irrep)
    else:
        lines += [
            f"LENGTH = {lay.convolution.length}",
            'KERNEL_INDEX = _DATA["kernel_index"]',
            'KERNEL_SIGN = _DATA["kernel_sign"]',
        ]
    lines.append(
        'BIAS_BASIS = _DATA["bias_basis"]' if lay.bias_basis is not None else "BIAS_BASIS = None"
    )
    return "\n".join(lines) + "\n"


def _string_constant(name: str, text: str) -> str:
    """``NAME = "text"``, split into pieces of 80 characters when the line would run long
    (``text`` has passed _safe: no double quotes, no backslashes)."""
    if len(name) + len(text) + 5 <= 88:
        return f'{name} = "{text}"'
    pieces = [text[i : i + 80] for i in range(0, len(text), 80)]  # as ruff format keeps it
    return f"{name} = (\n" + "".join(f'    "{p}"\n' for p in pieces) + ")"


def _description(lay: LayerLayout) -> str:
    """What ``print(module)`` shows: the action, the reps, channels and parameters."""
    mean = ", mean aggregation" if lay.scale is not None else ""
    return (
        f"{_safe(lay.group)}: {_safe(lay.rep_in)} -> {_safe(lay.rep_out)}, channels "
        f"{lay.c_in} -> {lay.c_out}, {lay.num_parameters} parameters{mean}"
    )


def _field(key: str, items: list[str]) -> str:
    """``"key": [...]`` inside a plan's dict, one item a line when it would run long."""
    one_line = f'"{key}": [' + ", ".join(items) + "]"
    if len(one_line) <= 70:
        return one_line
    return f'"{key}": [\n' + "".join(f"            {x},\n" for x in items) + "        ]"


def _general_constants(layout) -> list[str]:
    """N, the block offsets, the forms and one dict per class of block pairs (see
    ``intertwine.codegen.layout.DiagramPlan`` for the steps)."""
    n = layout.n
    starts = np.cumsum([0] + [n**k for k in layout.in_degrees]).tolist()
    forms = layout.plans[0].forms
    has_forms = forms is not None and not forms.trivial
    lines = [
        f"N = {n}",
        f"IN_STARTS = {starts}",
        f"OUT_DEGREES = {list(layout.out_degrees)}",
        f"FORMS = {has_forms}",
        f"PERMUTES = {bool(has_forms and forms.permutes)}",
    ]
    if has_forms:
        lines += [
            'IN_GATHER, IN_SIGN = _DATA["in_gather"], _DATA["in_sign"]',
            'OUT_GATHER, OUT_SIGN = _DATA["out_gather"], _DATA["out_sign"]',
        ]
    else:
        lines.append("IN_GATHER = IN_SIGN = OUT_GATHER = OUT_SIGN = None")
    has_eps = any(any(plan.eps) for plan in layout.plans)
    lines.append('LEVI = _DATA["levi"]' if has_eps else "LEVI = None")
    lines.append("# per class of block pairs: its diagrams' einsums, shapes, diagonals, forms")
    plans = []
    for i, plan in enumerate(layout.plans):
        fields = [
            f'"k": {plan.k}',
            f'"l": {plan.l}',
            f'"in_blocks": {list(plan.in_blocks)}',
            f'"out_blocks": {list(plan.out_blocks)}',
            f'"terms": _DATA["terms{i}"]',
            f'"mobius": _DATA["mobius{i}"]',
            _field("reduce", [f'"{r}"' for r in plan.reduce]),
            _field("shape", [str(list(x)) for x in plan.shape]),
            _field("dups", [str([list(pq) for pq in d]) for d in plan.dups]),
            _field("in_maps", [str(list(x)) for x in plan.in_maps]),
            _field("out_maps", [str(list(x)) for x in plan.out_maps]),
            _field("eps", [str(bool(e)) for e in plan.eps]),
        ]
        plans.append("{\n" + "".join(f"        {f},\n" for f in fields) + "    }")
    lines.append(_list_literal("PLANS", plans))
    return lines


_THIRD_PARTY = {
    "torch": ["numpy as np", "torch"],
    "numpy": ["numpy as np"],
    "jax": ["jax", "jax.numpy as jnp", "numpy as np"],
    "equinox": ["equinox as eqx", "jax", "jax.numpy as jnp", "numpy as np"],
    "flax": ["flax.linen as nn", "jax", "jax.numpy as jnp", "numpy as np"],
}


def _imports(target: str, inline: bool) -> str:
    std = ["base64", "io", "zlib"] if inline else ["os"]
    return (
        "\n".join(f"import {m}" for m in std)
        + "\n\n"
        + "\n".join(f"import {m}" for m in _THIRD_PARTY[target])
        + "\n"
    )


_WRAPPERS = {
    "numpy": T.NUMPY_WRAPPER,
    "jax": T.JAX_WRAPPER,
    "equinox": T.EQUINOX_WRAPPER,
    "flax": T.FLAX_WRAPPER,
}


def _body(target: str, name: str, lay: LayerLayout, mode: str) -> str:
    """The core for the plan in the target's array library, then the target's wrapper."""
    scaled = lay.scale is not None
    if target == "numpy":
        forward = _fill(T.NUMPY_FORWARD, scale=T.NUMPY_SCALE if scaled else "")
        core = I.NUMPY_IRREP_CORE if mode == "irrep" else T.NUMPY_CORE[mode]
        return core + forward + _fill(T.NUMPY_WRAPPER, name=name)
    if target != "torch":
        forward = _fill(T.JAX_FORWARD, scale=T.JAX_SCALE if scaled else "")
        core = I.JAX_IRREP_CORE if mode == "irrep" else T.JAX_CORE[mode]
        return core + forward + _fill(_WRAPPERS[target], name=name)
    # the general plan's arrays are flattened into buffers of their own in __init__
    keys = list(_arrays(lay, mode))
    if mode == "diagrams":
        keys = [k for k in keys if k in ("bias_basis", "scale")]
    attributes = {
        "diagram": T.TORCH_DIAGRAM_ATTRIBUTES,
        "diagrams": T.TORCH_DIAGRAMS_ATTRIBUTES,
        "irrep": I.TORCH_IRREP_ATTRIBUTES,
    }
    return _fill(
        T.TORCH_WRAPPER.lstrip("\n"),
        name=name,
        attributes=attributes.get(mode, ""),
        bias_param=T.TORCH_BIAS_PARAM if lay.bias_basis is not None else "",
        buffers=", ".join(f'"{k}"' for k in keys) + ("," if len(keys) == 1 else ""),
        assign={
            "diagram": T.TORCH_DIAGRAM_ASSIGN,
            "diagrams": T.TORCH_DIAGRAMS_ASSIGN,
            "convolution": T.TORCH_CONVOLUTION_ASSIGN,
            "irrep": I.TORCH_IRREP_ASSIGN,
        }.get(mode, ""),
        core=I.TORCH_IRREP_CORE if mode == "irrep" else T.TORCH_CORE[mode],
        scale=T.TORCH_SCALE if scaled else "",
        bias_add=T.TORCH_BIAS_ADD if lay.bias_basis is not None else "",
    )


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
    forced, mode = mode, source_mode(lay)
    blob = _npz_bytes(_arrays(lay, mode))
    if len(blob) <= INLINE_LIMIT:
        data_file = None
    elif data_file is None:
        data_file = f"{name}_data.npz"
    if data_file is not None and not re.fullmatch(r"[A-Za-z0-9_.-]+\.npz", data_file):
        raise IntertwineError(f"the data file name {data_file!r} must be a plain *.npz name")
    specs = " ".join(f'"{_safe(s)}"' for s in (lay.group, lay.rep_in, lay.rep_out))
    options = f"--target {target} --channels {lay.c_in} {lay.c_out}"
    if lay.bias_basis is None:
        options += " --no-bias"
    if forced is not None:
        options += f" --mode {lay.mode}"
    if lay.normalization is Normalization.SUM:
        options += " --normalize sum"
    target_file = _safe(output) if output else f"{name}.py"
    cmd = " \\\n        ".join(
        [f"intertwine codegen {specs}", options, f"--name {name} -o {target_file}"]
    )
    parts = [
        _docstring(lay, target, name, cmd),
        "",
        _imports(target, data_file is None),
        _data_block(blob, data_file),
        _constants(lay, mode),
        "",
        _body(target, name, lay, mode),
    ]
    source = "\n".join(parts)
    return Emitted(source, data_file, blob if data_file is not None else None)
