"""The choice of a layer's plan: the cheapest way to apply its basis on the given hardware.

- diagram (:class:`DiagramPlan`): for a diagram basis, W is never formed: W x = Σ_σ φ_σ D_σ x
  with partition or Brauer diagram einsums in O(n^max(k,l)) (see ``_diagram``);
- convolution (:class:`ConvolutionPlan`): a tying that depends only on i − j (Shift(n), Z(n))
  is an FFT convolution in O(n log n) (see ``_convolution``);
- dense (:class:`DensePlan`): an einsum with the (dim, out, in) basis, when dim is small (≤ 32)
  and the basis fits in 64 MB: a BLAS contraction that costs c_out·c_in·dim·out·in, far below
  the batch matmul;
- tying (:class:`GatherPlan`): a gather, W.flat = sign · θ̃[index] with θ̃ = (θ, 0) (index = dim
  for a forced zero);
- sparse (:class:`ScatterPlan`): a scatter-add of θ[rows] · vals into W.flat[cols];
- irrep (:class:`IrrepPlan`): for reps written as sums of named irreps (a Schur basis), one
  matmul per irrep type, block-diagonal by Schur's lemma, W never formed (see ``_irrep``).

Where the structured paths start to pay depends on the hardware, so the caller names its
``backend`` ("cpu" or "accelerator"); the JAX layers pass JAX's default backend, the emitters
"cpu". A caller may force the plan by its mode (``mode=``, ``--mode``).
"""

from __future__ import annotations

import warnings

import numpy as np

from ...core import Rep
from ...errors import EmptyLayerWarning, IntertwineError
from ...solver import MAX_MATERIALISED, Basis, DiagramBasis, invariants, solve
from ._convolution import ConvolutionPlan, convolution_plan
from ._diagram import DiagramPlan, diagram_plan
from ._formed import DensePlan, GatherPlan, ScatterPlan
from ._irrep import irrep_plan
from ._layout import LayerLayout
from ._normalize import Normalization, aggregation_counts, mean_scale, normalization
from ._plans import MODES, Plan
from ._value import frozen

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


def _resolve(basis_or_action, rep_in=None, rep_out=None) -> Basis | DiagramBasis:
    """A Basis as given, or solved from an action and two reps (values or spec strings)."""
    if isinstance(basis_or_action, (Basis, DiagramBasis)):
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
    if mode is not None and mode not in MODES:
        raise IntertwineError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
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
    irrep = irrep_plan(basis) if mode in (None, "irrep") else None
    if mode == "irrep" and irrep is None:
        raise IntertwineError("mode 'irrep' needs reps written as sums of irreps (16x0e + 8x1o)")
    n = basis.out_dim * basis.in_dim
    diagram = diagram_plan(basis) if mode in (None, "diagram") else None
    plan: Plan
    coeffs = None
    if diagram is not None and (mode == "diagram" or _straight_to_diagrams(basis, irrep, backend)):
        # nothing of size n^(k+l): the tying pattern is kept only while it is small
        plan = diagram
        norm2 = float(np.sum(basis.norms2()))
        tying = _tying(basis) if n <= KEEP_TYING_ENTRIES else None
    else:
        if mode == "diagram":
            raise IntertwineError(
                "mode 'diagram' needs a diagram basis (S(n), O(n), SO(n), O(p,q), Sp(n) on sums of "
                "tensor powers of V)"
            )
        coeffs = basis.sparse.astype(np.float64).tocoo()
        norm2 = float(np.sum(coeffs.data**2))
        tying = _tying(basis)
        sparse = ScatterPlan.of(coeffs.row, coeffs.col, coeffs.data)
        if irrep is not None:
            plan = irrep
        else:
            conv = (
                convolution_plan(tying.index, tying.sign, basis.dim, basis.out_dim, basis.in_dim)
                if mode in (None, "convolution") and tying is not None
                else None
            )
            plan = _choose_plan(mode, basis, diagram, conv, tying, sparse, backend)
    fan_in = c_in * basis.in_dim
    theta_std = float(np.sqrt(n / (fan_in * norm2))) if norm2 > 0 else 0.0
    scale = None
    if norm is Normalization.MEAN and basis.dim > 0:
        terms, reach = aggregation_counts(basis, coeffs)
        scale = mean_scale(terms)
        if scale is not None:
            theta_std = float(np.sqrt(basis.out_dim / (c_in * float(np.sum(reach)))))
            scale = frozen(scale)
    return LayerLayout(
        group=basis.group,
        rep_in=str(basis.rep_in),
        rep_out=str(basis.rep_out),
        in_dim=basis.in_dim,
        out_dim=basis.out_dim,
        dim=basis.dim,
        c_in=c_in,
        c_out=c_out,
        plan=plan,
        tying=tying,
        bias_basis=_bias_basis(basis) if bias else None,
        theta_std=theta_std,
        exact=basis.exact,
        normalization=norm,
        scale=scale,
    )


def _tying(basis: Basis | DiagramBasis) -> GatherPlan | None:
    """The basis's (signed) tying as a gather (index = dim for a forced zero), else None."""
    signed = basis.signed_tying
    if signed is None:
        return None
    idx = signed[0].reshape(-1).astype(np.int32)
    return GatherPlan.of(np.where(idx < 0, basis.dim, idx), signed[1].reshape(-1))


def _bias_basis(basis: Basis | DiagramBasis) -> np.ndarray:
    """The invariant vectors of OUT, (bias_dim, out)."""
    rep = basis.rep_out
    if not isinstance(rep, Rep):
        raise IntertwineError(
            "this basis was loaded from a file without its reps; pass bias=False or solve again"
        )
    inv = invariants(rep.action, rep)
    return frozen(inv.sparse.toarray().astype(np.float64).reshape(inv.dim, rep.dim))


def _straight_to_diagrams(basis: Basis | DiagramBasis, irrep, backend: str) -> bool:
    """Whether a diagram basis goes to its plan without listing W: when diagrams pay, or W is
    too large to list at all."""
    if irrep is not None or not isinstance(basis, DiagramBasis):
        return False
    n = basis.out_dim * basis.in_dim
    return _diagrams_pay(basis, n, backend) or n > MAX_MATERIALISED


def _diagrams_pay(basis, n: int, backend: str) -> bool:
    """Whether applying diagrams beats forming W with n entries."""
    if n < DIAGRAM_MIN_ENTRIES[backend]:
        return False
    brauer = isinstance(basis, DiagramBasis) and basis.tensor != "orbit"
    return not brauer or n >= BRAUER_MIN_ENTRIES_PER_ELEMENT * basis.dim


def _choose_plan(
    mode: str | None,
    basis: Basis | DiagramBasis,
    diagram: DiagramPlan | None,
    conv: ConvolutionPlan | None,
    tying: GatherPlan | None,
    sparse: ScatterPlan,
    backend: str,
) -> Plan:
    """The plan of the mode asked for (checked), or the cheapest for the basis and backend."""
    n = basis.out_dim * basis.in_dim
    if mode == "convolution" and conv is None:
        raise IntertwineError(
            "mode 'convolution' needs a tying of V -> V that depends only on i - j (Shift(n), Z(n))"
        )
    if mode == "tying" and tying is None:
        raise IntertwineError("mode 'tying' needs a basis that is a (signed) tying pattern")
    if mode is None:
        mode = _cheapest(basis, n, diagram, conv, tying, sparse, backend)
    if mode == "diagram" and diagram is not None:
        return diagram
    if mode == "convolution" and conv is not None:
        return conv
    if mode == "tying" and tying is not None:
        return tying
    if mode == "sparse":
        return sparse
    return DensePlan.of(basis.dense, sparse)


def _cheapest(basis, n: int, diagram, conv, tying, sparse: ScatterPlan, backend: str) -> str:
    if diagram is not None and _diagrams_pay(basis, n, backend):
        return "diagram"
    if conv is not None and basis.in_dim >= CONVOLUTION_MIN_SIZE[backend]:
        return "convolution"
    if basis.dim <= DENSE_MAX_DIM and basis.dim * n * 4 <= DENSE_MAX_BYTES:
        return "dense"
    if tying is not None:
        return "tying"
    if sparse.rows.size <= SPARSE_FRACTION * basis.dim * n:
        return "sparse"
    return "dense"
