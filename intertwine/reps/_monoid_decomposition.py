"""The :class:`Decomposition` of a monoid rep (or a group rep that is not completely reducible)
into indecomposable summands, from ``_monoid``'s primitive idempotents, checked exactly:
ρ(X) R = R B(X) over Q with R invertible.
"""

from __future__ import annotations

from fractions import Fraction

import flint
import scipy.sparse as sp

from ..core import Action, Rep
from ..errors import SolverError
from . import _exact as ex
from ._decomposition import Decomposition, Irrep
from ._given import GivenRep
from ._monoid import monoid_summands
from ._names import IrrepInfo, name_irreps
from ._reductive import fmpq_matrix


def monoid_decomposition(action: Action, rep: Rep, e: list[sp.csr_array]) -> Decomposition:
    mats = list(rep.generators)
    if not all(m.domain in ("ZZ", "QQ") for m in mats):
        raise SolverError(
            f"indecomposables of {action.name} need exact generators (integers or rationals); "
            f"give the monoid's maps exactly"
        )
    gq = [fmpq_matrix(m) for m in mats]
    summands = monoid_summands(e, gq, rep.dim)
    infos = [
        IrrepInfo(action, s.dim, "indecomposable", tuple(m.to_numpy() for m in s.block))
        for s in summands
    ]
    names = name_irreps(infos)
    order = sorted(range(len(summands)), key=lambda i: (summands[i].dim, names[i]))
    irreps: list[Irrep] = []
    cols: list[flint.fmpq_mat] = []
    blocks: list[list[flint.fmpq_mat]] = [[] for _ in gq]
    for i in order:
        s = summands[i]
        irreps.append(
            Irrep(
                names[i],
                s.dim,
                len(s.copies),
                "indecomposable",
                GivenRep(action, names[i], s.block),
            )
        )
        cols.extend(s.copies)
        for k, b in enumerate(s.block):
            blocks[k].extend([fmpq_matrix(b)] * len(s.copies))
    r = ex.hstack(cols)
    for g, bl in zip(gq, blocks):
        big = ex.block_diag(bl)
        if g * r != r * big:
            raise SolverError("the monoid decomposition failed its exact check (a bug)")
    proved = all(s.proved for s in summands)
    cert = ["exact: rho(X) R = R B(X) over Q, R invertible"]
    cert.append(
        "every summand proved indecomposable (E_U / rad E_U of dimension 1)"
        if proved
        else "some summand is not proved indecomposable (E_U / rad E_U larger than 1)"
    )
    return Decomposition(
        group=action.name,
        kind=action.kind,
        rep=rep,
        dim=rep.dim,
        exact=proved,
        irreps=tuple(irreps),
        change_of_basis=ex.to_floats(r),
        indecomposable=True,
        certificate=tuple(cert),
        rational_parts=(r,),
        scale_squares=tuple(Fraction(1) for _ in range(rep.dim)),
    )
