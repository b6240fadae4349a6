"""The :class:`~intertwine.codegen.layout.InvariantNetworkPlan` of an invariant-theory network:
what ``invariant_network`` computes, as plain NumPy, for its exports."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core import Action, Rep
from ..layout import InvariantNetworkPlan
from ..layout._invariant import MATRIX, SCALAR, VECTOR
from ..layout._value import frozen
from ._fft import FormPlan, Plan
from ._polynomial import PolynomialHead

_KINDS = {"scalar": SCALAR, "vector": VECTOR, "matrix": MATRIX}


def _subsets(plan: Plan, size: int) -> np.ndarray:
    rows = plan.subsets(size) if isinstance(plan, FormPlan) else []
    return frozen(np.asarray(rows, dtype=np.int64).reshape(len(rows), max(size, 0)))


def export_plan(
    act: Action,
    ri: Rep,
    ro: Rep,
    family: Any,
    plan: Plan,
    scalars: np.ndarray,
    vectors: np.ndarray,
    outs: list,
    *,
    sizes: list[int],
    rank: int,
    norms: bool,
    n_real: int,
    gain: float,
    head: str,
    poly: PolynomialHead | None,
    swish: bool,
) -> InvariantNetworkPlan:
    """The plan of the network ``invariant_network`` has just built (its own sizes and heads)."""
    d = act.degrees[0]
    form = isinstance(plan, FormPlan)
    if isinstance(plan, FormPlan):
        pairs = np.stack(plan.pairs).astype(np.int64)
        exponents = np.zeros((0, len(vectors)), np.int64)
        eta = np.asarray(family.eta, np.float64)
    else:  # a PermutationPlan
        pairs = np.zeros((2, 0), np.int64)
        exponents = plan.exponents.astype(np.int64)
        eta = np.eye(d)
    empty = np.zeros((0, 1), np.int64)
    return InvariantNetworkPlan(
        group=act.name,
        rep_in=str(ri),
        rep_out=str(ro),
        in_dim=ri.dim,
        out_dim=ro.dim,
        permutation=not form,
        d=d,
        scalars=frozen(scalars, np.int64),
        vectors=frozen(vectors, np.int64),
        eta=frozen(eta),
        pairs=frozen(pairs),
        det_subsets=_subsets(plan, d),
        cross_subsets=_subsets(plan, d - 1),
        t_subsets=_subsets(plan, d - 2),
        exponents=frozen(exponents),
        norms=norms,
        n_in=max(n_real, 1),
        n_real=n_real,
        outs=tuple((_KINDS[b.kind], b.start, b.size) for b in outs),
        sizes=tuple(sizes),
        rank=rank,
        head=head,
        gain=gain,
        head_index=frozen(poly.index if poly else empty, np.int64),
        head_rows=frozen(poly.rows if poly else empty[:, 0], np.int64),
        head_cols=frozen(poly.cols if poly else empty[:, 0], np.int64),
        swish=swish,
        description="",
    )
