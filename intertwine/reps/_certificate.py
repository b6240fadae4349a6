"""The independent check of a float64 decomposition: multiplicities against the character inner
product over the enumerated group (finite groups) or against the spectrum of the Casimir element
(Lie groups). A mismatch is raised as a bug, never returned as a result.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..core import Rep
from ..errors import SolverError
from ._decomposition import Irrep
from ._names import casimir


def mats_sparse(rep: Rep) -> list[sp.csr_array]:
    """The generator and helper matrices as float64 sparse arrays."""
    return [m.to_scipy() for m in list(rep.generators) + list(rep.helpers)]


def certificate(action, rep, irreps: list[Irrep], floats, kinds) -> list[str]:
    """Multiplicities against an independent count; a mismatch raises."""
    from ._enumerate import class_characters, enumerate_group

    out = []
    ngen = len(action.generators)
    if all(k == "discrete" for k in kinds[:ngen]):
        try:
            enum = enumerate_group(action)
        except SolverError:
            return ["multiplicities not checked: the group is too large to enumerate"]
        sizes = np.array([len(c) for c in enum.classes], dtype=np.float64)
        chi_v = class_characters(enum, floats[:ngen])
        for r in irreps:
            chi = class_characters(enum, [m.to_numpy() for m in r.rep.generators])
            inner = float(np.sum(sizes * chi_v * chi)) / enum.order
            endo = {"real": 1, "complex": 2, "quaternionic": 4}[r.type]
            if abs(inner - r.multiplicity * endo) > 1e-6:
                raise SolverError(
                    f"the decomposition of {rep} failed its character check for {r.name} "
                    f"(<chi_V, chi> = {inner:.6g}, multiplicity {r.multiplicity} x {endo}); "
                    f"this is a bug or ill-conditioned float generators"
                )
        out.append(f"multiplicities = <chi_V, chi>/dim End over the {enum.order} elements")
        return out
    lie_idx = [i for i in range(ngen) if kinds[i] == "lie"]
    if lie_idx and casimir(action, tuple(floats[:ngen])) is not None:
        sparse = mats_sparse(rep)
        std = [
            np.asarray(
                sp.block_diag([m.to_numpy() for m in action.generators[i].matrices]).toarray()
            )
            for i in lie_idx
        ]
        form = np.array([[np.trace(a @ b) for b in std] for a in std])
        eta = np.linalg.inv(form)
        c_v = sum(
            eta[a, b] * (sparse[i] @ sparse[j])
            for a, i in enumerate(lie_idx)
            for b, j in enumerate(lie_idx)
            if eta[a, b] != 0
        )
        eig = np.linalg.eigvalsh(c_v.toarray())  # symmetric: orthogonal ρ, symmetric η
        values = [
            casimir(action, tuple(m.to_numpy() for m in r.rep.generators)) or 0.0 for r in irreps
        ]
        for c in values:
            want = sum(s.multiplicity * s.dim for s, v in zip(irreps, values) if abs(v - c) < 1e-6)
            have = int(np.sum(np.abs(eig - c) < 1e-6))
            if want != have:
                raise SolverError(
                    f"the decomposition of {rep} failed its Casimir check at C = {c:.6g} "
                    f"({want} dimensions found, {have} eigenvalues); this is a bug"
                )
        out.append("dimensions per Casimir eigenvalue match the Casimir's spectrum on V")
    return out
