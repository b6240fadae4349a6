"""Sym, Alt and index-symmetry reps made orthogonal for ``decompose``.

``Sym(A, k)``, ``Alt(A, k)`` and ``Tensor("...", A)`` act through an integer embedding E into
``A**k`` with orthogonal columns (``core.embedding``): ρ'(g) = P ρ(g) E with P = (EᵀE)⁻¹Eᵀ. For a
permutation group ρ' is again a signed permutation, but for a Lie group it is orthogonal only for
the inner product D = EᵀE (diagonal: the orbit sizes), not the standard one. With S = D^{1/2},
ρ''(g) = S ρ'(g) S⁻¹ = (E S⁻¹)ᵀ ρ(g) (E S⁻¹) is orthogonal (E S⁻¹ has orthonormal columns), so
the commutant method decomposes it; a change of basis Q'' for ρ'' gives Q' = S⁻¹ Q'' for ρ'
(ρ' Q' = S⁻¹ ρ'' Q'' = Q' B). The square roots make the result float64 (``exact: false``).
"""

from __future__ import annotations

import numpy as np

from ..core import Action, Matrix, Rep, SymPower, embedding, is_subrep
from ._given import GivenRep


def orthogonal_form(action: Action, rep: Rep) -> tuple[GivenRep, np.ndarray] | None:
    """(ρ'' as a rep, the diagonal of S) when ``rep`` is a Sym/Alt/Tensor(...) rep whose
    embedding has orthogonal columns; None otherwise (then ``rep`` is used as it is)."""
    if not is_subrep(rep):
        return None
    node = rep.node
    if isinstance(node, SymPower) and node.direct:  # no E: the orbit sizes are EᵀE
        d = np.array(node.orbit_sizes(), dtype=np.float64)
    else:
        e = embedding(rep).E.to_numpy()
        gram = e.T @ e
        d = np.diag(gram).copy()
        if np.any(d <= 0) or np.abs(gram - np.diag(d)).max(initial=0.0) > 0:
            return None
    s = np.sqrt(d)

    def conj(m: Matrix) -> Matrix:
        a = (s[:, None] * m.to_numpy()) / s[None, :]
        r, c = np.nonzero(np.abs(a) > 1e-14)
        return Matrix(a.shape, r, c, a[r, c], "RR")

    balanced = GivenRep(
        action,
        str(rep),
        tuple(conj(m) for m in rep.generators),
        tuple(conj(m) for m in rep.helpers),
    )
    return balanced, s
