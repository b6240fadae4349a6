"""Hom between sums of named irreps by Schur's lemma, without solving.

If IN = ⊕_a ρ_a and OUT = ⊕_b ρ_b are sums of named irreps (``16x0e + 8x1o``), then
Hom_G(IN, OUT) = ⊕_{a, b} Hom_G(ρ_a, ρ_b), and by Schur's lemma Hom_G(ρ_a, ρ_b) is 0 for
non-isomorphic irreps and End_G(ρ) (the scalars for a real irrep; I and J for SO(2)'s complex
frequencies) when they are the same irrep in the same coordinates. So a basis is one block
per (output copy, input copy, endomorphism) of matching irreps: m_out · m_in identity blocks
per irrep, dim Σ m_out m_in dim End. Nothing of size d_in · d_out is solved; the result is
still checked against every generator by the solver's check (``check_basis``).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from ..core import Action, Copies, Irrep, IrrepDef, Rep, Sum, Trivial
from ..errors import SolverError
from ..groups import has_irrep_names, trivial_irrep
from ._basis import Basis
from ._check import check_basis
from ._constraints import constraints

MAX_ENTRIES = 20_000_000


def irrep_summands(rep: Rep) -> list[IrrepDef] | None:
    """The named irreps of a direct sum, copies expanded, in order; None for any other rep."""
    node = rep.node
    if isinstance(node, Irrep):
        return [node.irrep]
    if isinstance(node, Trivial) and has_irrep_names(rep.action):
        return [trivial_irrep(rep.action)]
    if isinstance(node, Copies):
        inner = irrep_summands(node.base)
        return None if inner is None else inner * node.count
    if isinstance(node, Sum):
        parts = [irrep_summands(r) for r in node.parts]
        if any(p is None for p in parts):
            return None
        return [ir for p in parts for ir in p]  # type: ignore[union-attr]
    return None


def solve_schur(action: Action, rep_in: Rep, rep_out: Rep) -> Basis | None:
    """The Schur basis when both reps are sums of named irreps, else None."""
    clock = time.perf_counter()
    ins, outs = irrep_summands(rep_in), irrep_summands(rep_out)
    if ins is None or outs is None:
        return None
    d_in = rep_in.dim
    offsets: dict[tuple, list[int]] = {}
    start = 0
    for a in ins:
        offsets.setdefault(a.key, []).append(start)
        start += a.dim
    ends = {ir.key: ir.endomorphisms() for ir in outs}
    entries = sum(len(offsets.get(b.key, ())) * sum(e.nnz for e in ends[b.key]) for b in outs)
    if entries > MAX_ENTRIES:
        raise SolverError(
            f"{action.name}: {rep_in} -> {rep_out} has a Schur basis of {entries:,} nonzero "
            f"entries (the limit is {MAX_ENTRIES:,}); use fewer copies"
        )
    rows, cols, vals = [], [], []
    k = 0
    out_offset = 0
    for b in outs:
        for off_in in offsets.get(b.key, ()):
            for e in ends[b.key]:
                flat = (out_offset + e.rows) * d_in + off_in + e.cols
                rows.append(np.full(flat.size, k))
                cols.append(flat)
                vals.append(np.asarray(e.vals, dtype=np.int64))
                k += 1
        out_offset += b.dim
    n = rep_out.dim * d_in
    if k == 0:
        coeffs = sp.csr_array((0, n), dtype=np.int64)
    else:
        coeffs = sp.csr_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(k, n),
            dtype=np.int64,
        )
    residual = check_basis(coeffs, True, constraints(rep_in, rep_out), (rep_out.dim, d_in))
    return Basis(
        coeffs,
        exact=True,
        method="schur",
        group=action.name,
        kind=action.kind,
        rep_in=rep_in,
        rep_out=rep_out,
        in_dim=d_in,
        out_dim=rep_out.dim,
        seconds=time.perf_counter() - clock,
        residual=residual,
    )
