"""One description of an equivariant linear layer, shared by the JAX core and every emitter.

With c_in copies of IN and c_out copies of OUT, the weight is

    W[o, c, :, :] = Σ_k θ[o, c, k] · B_k          (θ of shape (c_out, c_in, dim)),

and the bias is b[o, :] = Σ_m β[o, m] · u_m with u_m a basis of Hom(1, OUT) (invariant vectors).
The layer is applied the cheapest way for the basis at hand:

- "diagram": for a diagram basis, W is never formed: W x = Σ_σ φ_σ D_σ x with partition or
  Brauer diagram einsums in O(n^max(k,l)) (see ``_diagram``);
- "convolution": a tying that depends only on i − j (Shift(n), Z(n)) is an FFT convolution in
  O(n log n) (see ``_convolution``);
- "dense": an einsum with the (dim, out, in) basis, when dim is small (≤ 32) and the basis fits
  in 64 MB: a BLAS contraction that costs c_out·c_in·dim·out·in, far below the batch matmul;
- "tying": a gather, W.flat = sign · θ̃[index] with θ̃ = (θ, 0) (index = dim for a forced zero);
- "sparse": a scatter-add of θ[rows] · vals into W.flat[cols];
- "irrep": for reps written as sums of named irreps (a Schur basis), one matmul per irrep type,
  block-diagonal by Schur's lemma, W never formed (see ``_irrep``).

The tying index and signs are kept whenever the basis is a (signed) tying, whatever the mode, so
that exported layers can embed the compact pattern. The layout is plain NumPy data: it imports no
framework, and the JAX layers and every emitted target read it the same way. Where the
structured paths start to pay depends on the hardware, so the caller names its ``backend``
("cpu" or "accelerator"); the JAX layers pass JAX's default backend, the emitters "cpu".

Normalisation (``_normalize``): by default each basis element is divided by its number of
summed terms (mean aggregation, W = Σ_k θ_k s_k B_k), a fixed scale ``scale`` (dim,) that every
plan and target applies to θ first; ``Normalization.SUM`` keeps the basis as solved.

Initialisation: θ ~ N(0, σ²). With sums, σ² = out·in / (fan_in · ‖B‖²_F), fan_in = c_in · in,
so that E‖W_oc‖²_F = out·in / fan_in: the mean entry variance 1/fan_in of a dense layer of that
shape. With means, each s_k B_k x is an average of O(1) size whatever the mean of x, and
σ² = out / (c_in · Σ_k r_k) (r_k the output coordinates B_k reaches) gives each output the
variance of a dense layer over the c_in · Σ_k r_k / out averages that reach it; where no element
sums more than one term both formulas agree.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core import Rep
from ...errors import EmptyLayerWarning, IntertwineError
from ...solver import Basis, DiagramBasis, invariants, solve
from ...solver._diagram_basis import MAX_MATERIALISED
from ._convolution import convolution_plan
from ._diagram import diagram_plan
from ._irrep import irrep_plan
from ._normalize import Normalization, aggregation_counts, mean_scale, normalization

SPARSE_FRACTION = 0.25
DENSE_MAX_DIM = 32
DENSE_MAX_BYTES = 64 * 2**20
# Where the structured paths start to pay: (entries of W, size n) on CPUs and on accelerators,
# where one large matmul is cheap and every extra kernel launch costs (measured on an H100:
# S(10) V**2 and Shift(256) ran faster by forming W; S(30) V**2 by diagrams).
DIAGRAM_MIN_ENTRIES = {"cpu": 256, "accelerator": 100_000}
# Brauer-type diagrams (pairs, forms, ε) cover more of W each: they pay from this many entries
# of W per basis element (measured on 2 CPU cores, 16 -> 16 channels, batch 256: SO(3) V**3 -> V**3
# at 49 entries per element took 5.6 ms by diagrams and 1.9 ms by forming W; O(1,3) V**2 -> V**2
# at 85 took 0.40 ms and 0.61 ms)
BRAUER_MIN_ENTRIES_PER_ELEMENT = 64
CONVOLUTION_MIN_SIZE = {"cpu": 64, "accelerator": 1024}
BACKENDS = ("cpu", "accelerator")
KEEP_TYING_ENTRIES = 1_000_000  # a diagram layout keeps the tying pattern up to this size of W

MODES = ("diagram", "convolution", "dense", "tying", "sparse", "irrep")


@dataclass(frozen=True, eq=False)
class LayerLayout:
    """How to build W and the bias from θ and β (hashed by identity: a static constant)."""

    group: str
    rep_in: str
    rep_out: str
    in_dim: int
    out_dim: int
    dim: int
    c_in: int
    c_out: int
    mode: str  # one of MODES
    index: Any  # (out·in,) int32, dim marks a forced zero
    sign: Any  # (out·in,) float
    rows: Any
    cols: Any
    vals: Any
    dense: Any  # (dim, out, in)
    bias_basis: Any  # (bias_dim, out) or None without bias
    theta_std: float
    exact: bool
    diagram: Any = None  # a DiagramLayout for a diagram basis (or S(n) on tensor powers of V)
    convolution: Any = None  # a ConvolutionPlan for tyings that depend only on i - j
    normalization: Normalization = Normalization.SUM
    scale: Any = None  # (dim,) s_k = 1 / t_k with means (None: every t_k is 1, or sums)

    def scaled(self, theta, xp=np):
        """θ ⊙ s, the coefficients of the solved basis (θ itself without a scale)."""
        if self.scale is None:
            return theta
        return theta * xp.asarray(self.scale, dtype=theta.dtype)

    irrep: Any = None  # an IrrepPlan for a Schur basis between sums of named irreps

    @property
    def bias_dim(self) -> int:
        return 0 if self.bias_basis is None else int(self.bias_basis.shape[0])

    @property
    def num_parameters(self) -> int:
        return self.c_out * (self.c_in * self.dim + self.bias_dim)

    def weight_numpy(self, theta: np.ndarray) -> np.ndarray:
        """W of shape (c_out, c_in, out, in) from θ of shape (c_out, c_in, dim), in NumPy."""
        n = self.out_dim * self.in_dim
        theta = self.scaled(theta)
        if self.mode == "diagram" and self.index is None:
            return self.from_columns(lambda x: self.diagram.apply(theta, x), theta.dtype)
        if self.mode == "irrep" and self.index is None:
            return self.from_columns(lambda x: self.irrep.apply_numpy(theta, x), theta.dtype)
        if self.index is not None:
            padded = np.concatenate([theta, np.zeros(theta.shape[:-1] + (1,), theta.dtype)], -1)
            flat = padded[..., self.index] * self.sign
        elif self.mode == "sparse":
            flat = np.zeros(theta.shape[:-1] + (n,), theta.dtype)
            np.add.at(flat, (..., self.cols), theta[..., self.rows] * self.vals)  # type: ignore[arg-type]
        else:
            flat = np.einsum("ock,kn->ocn", theta, self.dense.reshape(self.dim, n))
        return flat.reshape(theta.shape[:-1] + (self.out_dim, self.in_dim))

    def check_materialisable(self) -> None:
        size = self.out_dim * self.in_dim * self.c_out * self.c_in
        if size > MAX_MATERIALISED:
            raise IntertwineError(
                f"W would have {size:.3g} entries; this layer applies its diagrams without "
                f"forming W, so use apply instead"
            )

    def from_columns(self, apply, dtype) -> Any:
        """W (c_out, c_in, out, in) of a layer given only as x ↦ W x: apply it to the unit
        vectors (refused when W has more than MAX_MATERIALISED entries)."""
        self.check_materialisable()
        c_in, n_in = self.c_in, self.in_dim
        eye = np.eye(c_in * n_in, dtype=dtype).reshape(c_in * n_in, c_in, n_in)
        y = np.asarray(apply(eye)).reshape(c_in, n_in, self.c_out, self.out_dim)
        return np.transpose(y, (2, 0, 3, 1))

    def describe(self) -> str:
        mean = ", mean aggregation" if self.scale is not None else ""
        return (
            f"{self.group}-equivariant linear map {self.rep_in} -> {self.rep_out} "
            f"({self.c_in} -> {self.c_out} channels, "
            f"{_count(self.dim, 'tied weight')} per channel pair, "
            f"{_count(self.bias_dim, 'bias weight')} per output channel{mean})"
        )

    def __repr__(self) -> str:
        return (
            f"LayerLayout({self.group}: {self.rep_in} -> {self.rep_out}, channels "
            f"{self.c_in} -> {self.c_out}, dim={self.dim}, bias_dim={self.bias_dim}, "
            f"mode={self.mode})"
        )


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"


def _resolve(basis_or_action, rep_in=None, rep_out=None) -> Basis:
    """A Basis as given, or solved from an action and two reps (values or spec strings)."""
    if isinstance(basis_or_action, Basis):
        if rep_in is not None or rep_out is not None:
            raise IntertwineError("give a Basis alone, or an action with rep_in and rep_out")
        return basis_or_action
    if rep_in is None or rep_out is None:
        raise IntertwineError("give a Basis, or an action with rep_in and rep_out")
    return solve(basis_or_action, rep_in, rep_out)


def _channels(channels) -> tuple[int, int]:
    if channels is None:
        return 1, 1
    if (
        not isinstance(channels, (tuple, list))
        or len(channels) != 2
        or not all(isinstance(c, int) and c >= 1 for c in channels)
    ):
        raise IntertwineError(
            f"channels must be a pair of positive ints (c_in, c_out), not {channels!r}"
        )
    return int(channels[0]), int(channels[1])


def layout_from_basis(
    basis_or_action,
    rep_in: Rep | str | None = None,
    rep_out: Rep | str | None = None,
    *,
    channels=None,
    bias: bool = True,
    mode: str | None = None,
    backend: str = "cpu",
    normalize: Normalization | str = Normalization.MEAN,
) -> LayerLayout:
    """The layer layout for a basis (or for an action and reps, solved on the way).

    >>> lay = layout_from_basis("S(5)", "V**2", "V**2", channels=(4, 8))
    >>> lay.dim, lay.mode, lay.num_parameters
    (15, 'diagram', 496)

    ``normalize`` (a :class:`Normalization`): MEAN (default) divides each basis element by
    its number of summed terms, SUM keeps the basis as solved.
    """
    if backend not in BACKENDS:
        raise IntertwineError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    norm = normalization(normalize)
    basis = _resolve(basis_or_action, rep_in, rep_out)
    if basis.dim == 0:
        warnings.warn(
            f"{basis.group} has no equivariant linear map {basis.rep_in} -> {basis.rep_out} "
            f"(dimension 0): this layer computes zero (plus its invariant bias); check the reps",
            EmptyLayerWarning,
            stacklevel=3,
        )
    c_in, c_out = _channels(channels)
    coeffs = None
    irrep = irrep_plan(basis) if mode in (None, "irrep") else None
    if mode == "irrep":
        if irrep is None:
            raise IntertwineError(
                "mode 'irrep' needs reps written as sums of irreps (16x0e + 8x1o)"
            )
        mode = "tying"
    n = basis.out_dim * basis.in_dim
    index = sign = rows = cols = vals = dense = None
    plan = diagram_plan(basis) if mode in (None, "diagram") else None
    # a diagram basis too large to list goes straight to its plan: nothing of size n^(k+l)
    if plan is not None and mode is None and isinstance(basis, DiagramBasis):
        if _diagrams_pay(basis, n, backend) or n > MAX_MATERIALISED:
            mode = "diagram"
    if mode == "diagram" and plan is not None:
        norm2 = float(np.sum(basis.norms2()))
        if n <= KEEP_TYING_ENTRIES:  # small: keep the pattern for exports and W
            signed = basis.signed_tying
            if signed is not None:
                idx = signed[0].reshape(-1).astype(np.int32)
                index = np.where(idx < 0, basis.dim, idx).astype(np.int32)
                sign = signed[1].reshape(-1).astype(np.float64)
    else:
        if mode == "diagram":
            raise IntertwineError(
                "mode 'diagram' needs a diagram basis (S(n), O(n), SO(n), O(p,q), Sp(n) on sums of "
                "tensor powers of V)"
            )
        coeffs = basis.sparse.astype(np.float64).tocoo()
        norm2 = float(np.sum(coeffs.data**2))
        signed = basis.signed_tying
        if signed is not None:
            idx = signed[0].reshape(-1).astype(np.int32)
            index = np.where(idx < 0, basis.dim, idx).astype(np.int32)
            sign = signed[1].reshape(-1).astype(np.float64)
        conv = (
            convolution_plan(index, sign, basis.dim, basis.out_dim, basis.in_dim)
            if mode in (None, "convolution") and signed is not None
            else None
        )
        mode = _choose_mode(mode, basis, plan, conv, signed, coeffs.nnz, backend)
        if mode == "dense":
            dense = basis.dense
        rows, cols, vals = (
            coeffs.row.astype(np.int32),
            coeffs.col.astype(np.int32),
            coeffs.data.astype(np.float64),
        )
    fan_in = c_in * basis.in_dim
    theta_std = float(np.sqrt(n / (fan_in * norm2))) if norm2 > 0 else 0.0
    scale = None
    if norm is Normalization.MEAN and basis.dim > 0:
        terms, reach = aggregation_counts(basis, coeffs)
        scale = mean_scale(terms)
        if scale is not None:
            theta_std = float(np.sqrt(basis.out_dim / (c_in * float(np.sum(reach)))))
    bias_basis = None
    if bias:
        rep = basis.rep_out
        if not isinstance(rep, Rep):
            raise IntertwineError(
                "this basis was loaded from a file without its reps; pass bias=False or solve again"
            )
        inv = invariants(rep.action, rep)
        bias_basis = inv.sparse.toarray().astype(np.float64).reshape(inv.dim, rep.dim)
    return LayerLayout(
        basis.group,
        str(basis.rep_in),
        str(basis.rep_out),
        basis.in_dim,
        basis.out_dim,
        basis.dim,
        c_in,
        c_out,
        "irrep" if irrep is not None else mode,
        index,
        sign,
        rows,
        cols,
        vals,
        dense,
        bias_basis,
        theta_std,
        basis.exact,
        diagram=plan if mode == "diagram" else None,
        convolution=conv if mode == "convolution" else None,
        normalization=norm,
        scale=scale,
        irrep=irrep,
    )


def _diagrams_pay(basis, n: int, backend: str) -> bool:
    """Whether applying diagrams beats forming W with n entries."""
    if n < DIAGRAM_MIN_ENTRIES[backend]:
        return False
    brauer = isinstance(basis, DiagramBasis) and basis.tensor != "orbit"
    return not brauer or n >= BRAUER_MIN_ENTRIES_PER_ELEMENT * basis.dim


def _choose_mode(mode, basis, plan, conv, signed, nnz: int, backend: str) -> str:
    """The mode asked for (checked), or the cheapest for the basis and the backend."""
    n = basis.out_dim * basis.in_dim
    if mode is not None:
        if mode not in MODES:
            raise IntertwineError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "convolution" and conv is None:
            raise IntertwineError(
                "mode 'convolution' needs a tying of V -> V that depends only on i - j "
                "(Shift(n), Z(n))"
            )
        if mode == "tying" and signed is None:
            raise IntertwineError("mode 'tying' needs a basis that is a (signed) tying pattern")
        return mode
    if plan is not None and _diagrams_pay(basis, n, backend):
        return "diagram"
    if conv is not None and basis.in_dim >= CONVOLUTION_MIN_SIZE[backend]:
        return "convolution"
    if basis.dim <= DENSE_MAX_DIM and basis.dim * n * 4 <= DENSE_MAX_BYTES:
        return "dense"
    if signed is not None:
        return "tying"
    if nnz <= SPARSE_FRACTION * basis.dim * n:
        return "sparse"
    return "dense"
