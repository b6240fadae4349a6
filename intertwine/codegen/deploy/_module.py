"""The generated PyTorch module, live: the torch source target written to a folder, imported,
and given the layer's coefficients.

The module comes from :func:`intertwine.codegen.emit` (``target="torch"``), so an exported
artifact runs exactly the code a PyTorch user would get, with the layout's plan. One change is
made for ONNX, which has no complex FFT: a convolution plan (W[i, j] = g[i − j], applied by
``rfft``/``irfft`` over a length L ≥ in + out − 1) is applied instead by its real-valued direct
form. The FFT product computes the cyclic convolution of x zero-padded to L, so

    y[i] = Σ_j g[(i − j) mod L] x[j],    i < out, j < in,

i.e. W[o, c, i, j] = g[o, c, T[i, j]] with the integer matrix T[i, j] = (i − j) mod L: one gather
of the kernel and one matrix product, no complex operations (the same kernel g, so the same
parameters θ).
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from ...errors import IntertwineError
from ..layout import LayerLayout
from ..source import Emitted, emit

_COUNTER = itertools.count()


def import_emitted(out: Emitted, folder: str, stem: str) -> Any:
    """Write generated source ``out`` as ``folder/stem.py`` (and its side data file beside it)
    and import it; the module is not entered in ``sys.modules``."""
    path = os.path.join(folder, f"{stem}.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(out.source)
    if out.data is not None and out.data_file is not None:
        with open(os.path.join(folder, out.data_file), "wb") as fh:
            fh.write(out.data)
    spec = importlib.util.spec_from_file_location(f"_intertwine_{stem}_{next(_COUNTER)}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_source_module(layout: LayerLayout, folder: str) -> Any:
    """The torch source for ``layout``, written into ``folder`` and imported."""
    return import_emitted(
        emit(layout, target="torch", name="Layer", data_file="layer_data.npz"), folder, "layer"
    )


def torch_layer(layout: LayerLayout, folder: str, params: Mapping[str, Any] | None, seed: int):
    """The generated ``torch.nn.Module`` in float32 eval mode, holding ``params`` ("theta"
    (c_out, c_in, dim) and, with a bias, "bias" (c_out, bias_dim); JAX or NumPy arrays) or, when
    None, θ ~ N(0, THETA_STD²) from a NumPy generator seeded by ``seed`` and a zero bias.

    Raises IntertwineError when a parameter is missing or has the wrong shape."""
    import torch

    module = load_source_module(layout, folder)
    layer = module.Layer(dtype=torch.float32)
    values = dict(params) if params is not None else _seeded(layout, seed)
    names = ["theta"] + (["bias"] if layout.bias_basis is not None else [])
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise IntertwineError(
            f"params has keys {unknown} this layer does not have; it takes {names}"
        )
    with torch.no_grad():
        for name in names:
            if name not in values:
                raise IntertwineError(f"params lacks {name!r}: pass the layer's params dict")
            value = np.asarray(values[name], dtype=np.float32)
            want = tuple(getattr(layer, name).shape)
            if value.shape != want:
                raise IntertwineError(
                    f"params[{name!r}] has shape {value.shape}; this layer needs {want}"
                )
            getattr(layer, name).copy_(torch.from_numpy(value.copy()))
    return layer.eval()


def _seeded(layout: LayerLayout, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    theta = layout.theta_std * rng.standard_normal((layout.c_out, layout.c_in, layout.dim))
    params = {"theta": theta}
    if layout.bias_basis is not None:
        params["bias"] = np.zeros((layout.c_out, layout.bias_dim))
    return params


def real_convolution(layer: Any) -> Any:
    """Give a generated convolution layer the real-valued direct form above (in place)."""
    import torch

    length = int(layer.length)
    i = np.arange(layer.out_dim)[:, None]
    j = np.arange(layer.in_dim)[None, :]
    toeplitz = torch.from_numpy(((i - j) % length).reshape(-1).astype(np.int64))
    layer.register_buffer("toeplitz", toeplitz, persistent=False)

    def _linear(theta, x):
        g = layer._gather(theta, layer.kernel_index, layer.kernel_sign)  # (c_out, c_in, L)
        w = g.index_select(-1, layer.toeplitz)
        w = w.reshape(layer.c_out, layer.c_in, layer.out_dim, layer.in_dim)
        w = w.permute(0, 2, 1, 3).reshape(layer.c_out * layer.out_dim, -1)
        y = x.reshape(x.shape[0], -1) @ w.t()  # y[b, o] = sum_c W[o, c] x[b, c]
        return y.reshape(x.shape[0], layer.c_out, layer.out_dim)

    layer._linear = _linear
    return layer
