"""What every basis offers, whether held as coefficients (:class:`Basis`) or as diagrams
(:class:`~intertwine.solver.DiagramBasis`): the fields the renderings, the JSON, the files and the
layers read. The two classes share this protocol, not a base class.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp

from ..core import Rep


@runtime_checkable
class BasisLike(Protocol):
    """A verified basis of the intertwiners W: IN → OUT (``W ρ_in(g) = ρ_out(g) W``)."""

    exact: bool
    method: str
    group: str
    kind: str
    rep_in: Rep | str
    rep_out: Rep | str
    in_dim: int
    out_dim: int
    seconds: float
    residual: float
    lower_bound: bool
    rank_gap: Any
    exact_values: tuple[int, ...] | None

    @property
    def dim(self) -> int: ...

    @property
    def shape(self) -> tuple[int, int]: ...

    @property
    def coefficients(self) -> sp.csr_array: ...

    @property
    def tying(self) -> np.ndarray | None: ...

    @property
    def signed_tying(self) -> tuple[np.ndarray, np.ndarray] | None: ...

    def to_numpy(self) -> np.ndarray: ...

    def to_scipy(self) -> sp.csr_array: ...

    def to_text(self, max_pattern: int = 30) -> str: ...

    def to_json(self, full: bool = False) -> dict[str, Any]: ...

    def save(self, path) -> None: ...
