"""The :class:`DiagramBasis` value: a basis held as diagrams and n, W materialised on request.

It offers what every basis offers (the :class:`~intertwine.solver._basis_protocol.BasisLike`
protocol: dimension, tying, conversions, renderings, JSON, files), sharing the renderings and IO
functions and its conversions (``_conversions``) of :class:`~intertwine.solver.Basis` rather
than its class: ``.to_scipy()``, ``.to_numpy()`` and ``.tying`` list W from the diagrams only on
request, and refuse clearly when W has more than MAX_MATERIALISED entries. Its JSON and files
are in ``_io``, its text in ``_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...core import Family, Rep
from ...errors import SolverError
from .._basis import Basis
from .._conversions import Conversions
from .._renderings import Renderings
from . import _io, _text
from ._entries import coefficient_matrix, squared_norms
from ._enumerate import Diagram, blocks
from ._forms import Forms
from ._rules import DiagramRules, family_of, rules_for

MAX_MATERIALISED = 25_000_000  # entries of W materialised by .to_scipy/.to_numpy/.tying


@dataclass(frozen=True)
class DiagramTerm:
    """One basis element: a diagram from input block ``in_block`` to output block ``out_block``
    (``epsilon``: the label of its ε block, −1 when it has none)."""

    out_block: int
    in_block: int
    diagram: Diagram
    epsilon: int = -1


class DiagramBasis(Renderings, Conversions):
    """A basis given by diagrams and n: ``diagrams`` and ``terms`` at any n, the coefficient
    matrix only on request.

    >>> import intertwine as it
    >>> b = it.solve("S(1000)", "V**2", "V**2")
    >>> b.dim, b.method, b.exact, b.n
    (15, 'diagram', True, 1000)
    """

    family: str  # the family's code: "S", "O", "SO", "Opq", "SOpq" or "Sp"
    signature: tuple[int, int] | None
    n: int
    in_degrees: tuple[int, ...]
    out_degrees: tuple[int, ...]
    terms: tuple[DiagramTerm, ...]
    exact: bool = True
    method: str = "diagram"
    group: str
    kind: str
    rep_in: Rep | str
    rep_out: Rep | str
    in_dim: int
    out_dim: int
    seconds: float
    residual: float
    lower_bound: bool = False
    rank_gap: Any = None
    exact_values: tuple[int, ...] | None = None
    _lazy: dict

    def __init__(
        self,
        *,
        family: str,
        n: int,
        in_degrees,
        out_degrees,
        terms,
        group: str,
        kind: str,
        rep_in: Rep | str,
        rep_out: Rep | str,
        seconds: float = 0.0,
        residual: float = 0.0,
        signature: tuple[int, int] | None = None,
    ):
        if family in ("Opq", "SOpq") and (signature is None or sum(signature) != int(n)):
            raise SolverError("an O(p,q) diagram basis needs its signature (p, q) with p + q = n")
        fields: dict[str, Any] = {
            "family": family,
            "signature": None if signature is None else (int(signature[0]), int(signature[1])),
            "n": int(n),
            "in_degrees": tuple(int(d) for d in in_degrees),
            "out_degrees": tuple(int(d) for d in out_degrees),
            "terms": tuple(terms),
            "group": group,
            "kind": kind,
            "rep_in": rep_in,
            "rep_out": rep_out,
            "seconds": float(seconds),
            "residual": float(residual),
            "_lazy": {},
        }
        fields["in_dim"] = sum(int(n) ** d for d in fields["in_degrees"])
        fields["out_dim"] = sum(int(n) ** d for d in fields["out_degrees"])
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"a DiagramBasis is immutable; {name!r} cannot be set")

    def _replace(self, **changes) -> DiagramBasis:
        """A copy with timing or labels changed (never the basis)."""
        if not set(changes) <= {"seconds", "residual", "group", "kind"}:
            raise AttributeError(f"only timing and labels can change, not {sorted(changes)}")
        new = object.__new__(DiagramBasis)
        for name, value in {**self.__dict__, **changes, "_lazy": {}}.items():
            object.__setattr__(new, name, value)
        return new

    # ----------------------------------------------------------------- facts at any n
    @property
    def family_value(self) -> Family:
        """The family as a typed value (e.g. ``Orthogonal(1, 3)``)."""
        return family_of(self.family, self.n, self.signature)

    @property
    def rules(self) -> DiagramRules:
        rules = rules_for(self.family_value)
        assert rules is not None
        return rules

    @property
    def dim(self) -> int:
        return len(self.terms)

    @property
    def shape(self) -> tuple[int, int]:
        """(out_dim, in_dim): the shape of each basis matrix."""
        return (self.out_dim, self.in_dim)

    @property
    def tensor(self) -> str:
        """ "orbit" (O_π, disjoint supports: S(n)), "diagram" (Brauer D_β, and ε diagrams for
        SO(n)), "form" (Brauer with η on input pairs and output pairs: O(p,q)) or "symplectic"
        (Brauer with J on input pairs and −J on output pairs: Sp)."""
        return self.rules.tensor

    @property
    def forms(self) -> Forms:
        """The monomial forms on pairs of two inputs and of two outputs (see ``_forms``)."""
        return self.rules.forms()

    @property
    def eta(self) -> np.ndarray | None:
        """diag(η) = (+1 ×p, −1 ×q) for O(p,q), else None."""
        if self.signature is None:
            return None
        p, q = self.signature
        return np.array([1.0] * p + [-1.0] * q)

    @property
    def diagrams(self) -> list[list[list[int]]]:
        """Each basis element as its list of blocks over the points (outputs 0..l−1, inputs
        l..l+k−1 of its block pair)."""
        return [blocks(t.diagram) for t in self.terms]

    def offsets(self) -> tuple[list[int], list[int]]:
        n = self.n
        ins = np.cumsum([0] + [n**k for k in self.in_degrees]).tolist()
        outs = np.cumsum([0] + [n**k for k in self.out_degrees]).tolist()
        return outs, ins

    def norms2(self) -> np.ndarray:
        """‖B_t‖²_F for every basis element, by counting (no entries listed)."""
        return squared_norms(self)

    # ----------------------------------------------------------------- materialised on request
    def _refuse_if_large(self) -> None:
        size = self.out_dim * self.in_dim
        if size > MAX_MATERIALISED:
            raise SolverError(
                f"{self.group}: this basis acts on W with {size:.3g} entries, too many to "
                f"list; use .diagrams, or the layers, which apply the diagrams without W"
            )

    @property
    def coefficients(self) -> sp.csr_array:
        """The dim × (out·in) coefficient matrix, listed from the diagrams (refused when W has
        more than MAX_MATERIALISED entries)."""
        if "coefficients" not in self._lazy:
            self._refuse_if_large()
            self._lazy["coefficients"] = coefficient_matrix(self)
        return self._lazy["coefficients"]

    def _as_basis(self) -> Basis:
        """The same basis held as coefficients (refused when W is too large to list)."""
        if "basis" not in self._lazy:
            self._lazy["basis"] = Basis(
                self.coefficients,
                exact=True,
                method="diagram",
                group=self.group,
                kind=self.kind,
                rep_in=self.rep_in,
                rep_out=self.rep_out,
                in_dim=self.in_dim,
                out_dim=self.out_dim,
            )
        return self._lazy["basis"]

    def to_numpy(self) -> np.ndarray:
        """The basis as a float64 array of shape (dim, out, in), refused when W is large."""
        self._refuse_if_large()
        return super().to_numpy()

    @property
    def _tying(self) -> tuple[np.ndarray, np.ndarray] | None:
        return self._as_basis()._tying

    # ----------------------------------------------------------------- renderings
    def dimension_text(self) -> str:
        return _text.dimension_text(self)

    def diagram_text(self, limit: int = 60) -> str:
        return _text.diagram_text(self, limit)

    def to_text(self, max_pattern: int = 30) -> str:
        return _text.to_text(self, max_pattern)

    def __repr__(self) -> str:
        return (
            f"DiagramBasis(dim={self.dim}, {self.group}: {self.rep_in} -> {self.rep_out}, "
            f"{self.out_dim}x{self.in_dim}, {self.tensor} tensors, n={self.n})"
        )

    # ----------------------------------------------------------------- JSON and files
    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The JSON contract with ``diagrams`` (see ``_io.diagram_json``)."""
        return _io.diagram_json(self, full)

    def _w_listable(self) -> bool:
        return self.out_dim * self.in_dim <= MAX_MATERIALISED

    def _json_matrices(self) -> list:
        return self._as_basis()._json_matrices()

    def _generators_json(self) -> list[dict[str, Any]]:
        return _io.generators_json(self)

    def _summary(self) -> dict[str, Any]:
        from .._basis_io import summary

        return summary(self)

    def save(self, path) -> None:
        """Write an .npz file (no pickles): the diagrams, metadata and a checksum."""
        from .._basis_io import save_basis

        save_basis(self, path)

    def _arrays(self) -> dict[str, np.ndarray]:
        return _io.diagram_arrays(self)

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict, rep_in, rep_out) -> DiagramBasis:
        """Rebuild from a saved file's arrays (validated: shapes, ranges, restricted growth)."""
        return _io.from_arrays(meta, arrays, rep_in, rep_out)
