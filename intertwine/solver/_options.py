"""What a solve may accept, and what its linear-algebra stage found beyond the basis itself."""

from __future__ import annotations

from dataclasses import dataclass

from ._float_rank import DEFAULT_TOL, RankGap


@dataclass(frozen=True)
class SolveOptions:
    """``tol``: the relative rank tolerance for float generators (see ``_float_rank``);
    ``accept_lower_bound``: return an iterative basis whose dimension could not be certified
    (marked ``lower_bound``) instead of raising."""

    tol: float = DEFAULT_TOL
    accept_lower_bound: bool = False


@dataclass
class StageFacts:
    """Filled in by the linear-algebra stage: the rank gap of a float decision, and whether the
    dimension is only a lower bound, and the exact values of a basis beyond 64 bits."""

    rank_gap: RankGap | None = None
    lower_bound: bool = False
    exact_values: tuple[int, ...] | None = None  # a basis beyond 64 bits (see ``_bigint``)
