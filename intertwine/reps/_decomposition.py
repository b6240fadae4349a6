"""The :class:`Decomposition` value: summands, multiplicities, types, change of basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import Rep
from . import _exact as ex

MAX_JSON_ENTRIES = 250_000  # dim² above which ``change_of_basis`` is left out of the JSON


@dataclass(frozen=True)
class Irrep:
    """One isomorphism class of summands.

    ``type`` is ``real``, ``complex`` or ``quaternionic`` (dim End_G = 1, 2, 4) for a group and
    ``indecomposable`` for a monoid. ``rep`` is the summand as a rep of the same action (its own
    generator matrices, in an orthonormal basis for groups), usable wherever a rep is."""

    name: str
    dim: int
    multiplicity: int
    type: str
    rep: Rep = field(compare=False, repr=False)


@dataclass(frozen=True, eq=False)
class Decomposition:
    """V ≅ ⊕ multiplicity × irrep, with ρ(X) Q = Q (⊕ blocks) for every generator X.

    ``change_of_basis`` is Q (float64, dim x dim); the blocks are the irreps in the order listed,
    each repeated ``multiplicity`` times. Q is orthogonal for a group acting orthogonally.
    ``exact`` is True when the whole decomposition is proved in exact arithmetic: Q = R diag(√s)
    with R rational (``rational_basis``, kept as its column blocks ``rational_parts``) and s
    rational (``scale_squares``), the block structure
    checked as ρ(X) R = R B(X) over Q, every summand proved irreducible (its End_G a division
    algebra; for monoids: indecomposable, E/rad E of dimension 1) and the classes proved
    pairwise non-isomorphic (Hom = 0). Otherwise float64, with ``residual`` = max |ρQ − Q⊕B| / |ρ|
    and the multiplicities checked against ``certificate``.
    """

    group: str
    kind: str
    rep: Rep
    dim: int
    exact: bool
    irreps: tuple[Irrep, ...]
    change_of_basis: np.ndarray = field(repr=False)
    indecomposable: bool
    residual: float = 0.0
    certificate: tuple[str, ...] = ()
    rational_parts: tuple | None = field(default=None, repr=False)
    scale_squares: tuple | None = field(default=None, repr=False)

    @property
    def rational_basis(self) -> Any:
        """R as one ``flint.fmpq_mat`` (dim x dim), or None when not exact; joined from its
        column blocks on first use."""
        if self.rational_parts is None:
            return None
        return ex.hstack(list(self.rational_parts))

    def summary(self) -> str:
        """e3nn-style: ``1x1a + 2x2a``."""
        return " + ".join(f"{r.multiplicity}x{r.name}" for r in self.irreps)

    def __str__(self) -> str:
        word = "indecomposable" if self.indecomposable else "irreducible"
        lines = [
            f"{self.rep} of {self.group} ({self.kind}), dimension {self.dim}: {self.summary()}",
            f"{len(self.irreps)} {word} summand(s) up to isomorphism, "
            + ("exact" if self.exact else f"float64 (residual {self.residual:.1e})"),
        ]
        w = max(len(r.name) for r in self.irreps) if self.irreps else 4
        lines.append(f"  {'name':<{w}}  dim  mult  type")
        for r in self.irreps:
            lines.append(f"  {r.name:<{w}}  {r.dim:>3}  {r.multiplicity:>4}  {r.type}")
        lines += [f"  {c}" for c in self.certificate]
        return "\n".join(lines)

    def to_json(self, max_entries: int = MAX_JSON_ENTRIES) -> dict[str, Any]:
        out: dict[str, Any] = {
            "group": self.group,
            "kind": self.kind,
            "rep": str(self.rep),
            "dim": self.dim,
            "exact": self.exact,
            "irreps": [
                {"name": r.name, "dim": r.dim, "multiplicity": r.multiplicity, "type": r.type}
                for r in self.irreps
            ],
            "indecomposable": self.indecomposable,
            "residual": self.residual,
            "certificate": list(self.certificate),
        }
        if self.dim * self.dim <= max_entries:
            out["change_of_basis"] = _clean(self.change_of_basis).tolist()
            if self.exact and self.scale_squares is not None:
                out["change_of_basis_exact"] = {
                    "rational": [[str(v) for v in row] for row in self.rational_basis.tolist()],
                    "scale_squares": [str(s) for s in self.scale_squares],
                    "meaning": "Q = rational @ diag(sqrt(scale_squares))",
                }
        else:
            out["omitted"] = {
                "change_of_basis": f"{self.dim}x{self.dim} is larger than {max_entries:,} "
                f"entries; use the Python API (Decomposition.change_of_basis)"
            }
        return out


def _clean(q: np.ndarray) -> np.ndarray:
    out = np.where(np.abs(q) < 1e-14, 0.0, q)
    return out + 0.0
