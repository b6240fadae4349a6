"""The functional JAX core: ``init(key) -> params`` and ``apply(params, x) -> y``.

Parameters are only θ (c_out, c_in, dim) and the bias coefficients β (c_out, bias_dim); the basis
is a constant of the layout, never a leaf. ``x`` has shape (..., c_in, in) — or (..., in) when
the layer was built without channels — and keeps its dtype.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..layout import LayerLayout, Normalization, layout_from_basis, lift
from ._apply import apply_plan, bias_vector
from ._module import Apply, Init


class Layer(NamedTuple):
    """A pure layer: ``init(key) -> params``, ``apply(params, x) -> y``, and its layout (a
    :class:`~intertwine.codegen.layers.Module`)."""

    init: Init
    apply: Apply
    layout: LayerLayout

    @property
    def layouts(self) -> tuple[LayerLayout, ...]:
        """The layouts of its linear maps, first to last: here one."""
        return (self.layout,)

    def __repr__(self) -> str:
        return f"Layer({self.layout.describe()}, mode={self.layout.mode})"

    def _repr_html_(self) -> str:
        import html

        return f"<b>Layer</b>: {html.escape(self.layout.describe())}, mode {self.layout.mode}"


def jax_backend() -> str:
    """ "cpu" or "accelerator": where the JAX layers run, for the layout's choice of plan."""
    import jax

    return "cpu" if jax.default_backend() == "cpu" else "accelerator"


def jax_layout(basis_or_action, rep_in=None, rep_out=None, **options) -> LayerLayout:
    """The layout for a layer that JAX runs, planned for the backend JAX runs on."""
    return layout_from_basis(basis_or_action, rep_in, rep_out, backend=jax_backend(), **options)


def init_params(layout: LayerLayout, key, dtype=None) -> dict:
    """θ ~ N(0, theta_std²) (the fan-in variance of a dense layer, see ``LayerLayout``), β = 0."""
    import jax
    import jax.numpy as jnp

    dtype = dtype or jnp.float32
    theta = layout.theta_std * jax.random.normal(
        key, (layout.c_out, layout.c_in, layout.dim), dtype
    )
    params = {"theta": theta}
    if layout.bias_basis is not None:
        params["bias"] = jnp.zeros((layout.c_out, layout.bias_dim), dtype)
    return params


def apply_layer(layout: LayerLayout, params: dict, x, channels: bool = True):
    """y = W x + b over the trailing (c_in, in) axes of x, in x's dtype (integer or boolean
    inputs are promoted to the parameters' float dtype, never θ cast to integers)."""
    import jax.numpy as jnp

    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(params["theta"].dtype)
    elif jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise TypeError(f"complex input ({x.dtype}); the layers are real: pass real arrays")
    if not channels:
        x = x[..., None, :]
    lead = x.shape[:-2]
    if x.shape[-2:] != (layout.c_in, layout.in_dim):
        raise ValueError(f"expected input (..., {layout.c_in}, {layout.in_dim}), got {x.shape}")
    theta = params["theta"].astype(x.dtype)
    y = apply_plan(layout, theta, x.reshape((-1,) + x.shape[-2:])).reshape(lead + (-1,))
    if "bias" in params and layout.bias_basis is not None:
        y = y + lift(bias_vector(layout, params["bias"].astype(x.dtype)).reshape(-1), y.ndim)
    y = y.reshape(lead + (layout.c_out, layout.out_dim))
    return y if channels else y[..., 0, :]


def equivariant_linear(
    basis_or_action,
    rep_in=None,
    rep_out=None,
    *,
    channels=None,
    bias: bool = True,
    dtype=None,
    mode: str | None = None,
    normalize: Normalization | str = Normalization.MEAN,
) -> Layer:
    """An equivariant linear layer as a pair of pure functions, ``init`` and ``apply``.

    The only trained parameters are θ, of shape (c_out, c_in, dim) with ``dim`` the size of
    the basis, and the coefficients of an equivariant bias from Hom(1, OUT), of shape
    (c_out, dim Hom(1, OUT)); the basis is a constant. ``apply`` maps (..., in) to (..., out)
    without ``channels`` and (..., c_in, in) to (..., c_out, out) with them (W = Σ_k θ_k B_k
    per channel pair, plus the bias).

    Args:
      basis_or_action: a :class:`~intertwine.solver.Basis`, or an action (value or spec
        string) followed by ``rep_in`` and ``rep_out`` (values or expressions).
      rep_in: the input rep when the first argument is an action.
      rep_out: the output rep when the first argument is an action.
      channels: ``(c_in, c_out)``, positive ints; None for one channel and no channel axis.
      bias: add the equivariant bias.
      dtype: the parameters' dtype (default float32, or float64 under ``jax_enable_x64``).
      mode: forces how W is applied ("diagram", "convolution", "dense", "tying", "sparse", or
        "irrep": one matmul per irrep type, for reps written as irreps, e.g. "16x0e + 8x1o");
        by default the cheapest for the basis and the backend JAX runs on.
      normalize: :class:`~intertwine.codegen.layout.Normalization` ``MEAN`` (default) divides
        each basis element by its number of summed terms, so that sums over rows, columns or
        the whole input become means and the layer keeps O(1) outputs on inputs with a nonzero
        mean (0/1 adjacency matrices) at any n, as in invariant graph networks (Maron et al.,
        ICLR 2019); ``SUM`` applies the basis as solved (W = Σ_k θ_k B_k).

    Returns:
      A :class:`Layer` with ``init(key) -> params`` and ``apply(params, x) -> y``.

    Raises:
      IntertwineError: a bad ``channels``, ``mode`` or ``normalize``, or a mode the basis
        does not allow; the solver's errors (SpecError, RepError, SolverError) for an action
        and reps.

    >>> import jax
    >>> layer = equivariant_linear("S(5)", "V**2", "V**2", channels=(4, 8))
    >>> params = layer.init(jax.random.PRNGKey(0))
    >>> params["theta"].shape, params["bias"].shape
    ((8, 4, 15), (8, 2))
    >>> layer.apply(params, jax.numpy.ones((32, 4, 25))).shape
    (32, 8, 25)
    """
    layout = jax_layout(
        basis_or_action,
        rep_in,
        rep_out,
        channels=channels,
        bias=bias,
        mode=mode,
        normalize=normalize,
    )
    has_channels = channels is not None

    def init(key):
        return init_params(layout, key, dtype)

    def apply(params, x):
        return apply_layer(layout, params, x, has_channels)

    return Layer(init, apply, layout)


def num_parameters(params) -> int:
    import jax

    return int(sum(np.size(p) for p in jax.tree_util.tree_leaves(params)))
