"""The graded polynomial head of the invariant-theory networks.

The equivariant polynomial maps of degree ≤ D are spanned (Weyl's first fundamental theorem) by
the basis maps of the FFT (v_i, v_i⊗v_j, η⁻¹, cross products, ...) times monomials of the
invariants; a basis map of degree e takes monomials of degree ≤ D − e. The head holds one weight
per allowed (monomial, coefficient) pair, so it is linear in its weights and spans exactly those
maps: a convex least-squares part of the network that the MLP and the bilinear head add to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import RepError

MAX_POLYNOMIAL = 1 << 16  # monomials, and weights, of the polynomial head
MAX_DEGREE = 32


def monomials(degrees: np.ndarray, most: int) -> list[tuple[int, ...]]:
    """Multisets of feature indices (sorted tuples) of total degree 1..``most``, lowest degree
    first (RepError past ``MAX_POLYNOMIAL`` of them)."""
    out: list[tuple[int, ...]] = []

    def grow(prefix: tuple[int, ...], start: int, budget: int) -> None:
        for i in range(start, len(degrees)):
            if 0 < degrees[i] <= budget:
                mono = prefix + (i,)
                out.append(mono)
                if len(out) > MAX_POLYNOMIAL:
                    raise RepError(
                        f"the polynomial head has over {MAX_POLYNOMIAL} "
                        "monomials of the invariants; lower polynomial= or use fewer input vectors"
                    )
                grow(mono, i, budget - int(degrees[i]))

    grow((), 0, most)
    return sorted(out, key=lambda t: (int(sum(degrees[list(t)])), t))


@dataclass(frozen=True)
class PolynomialHead:
    """The weights of the polynomial head: monomial ``rows[k]`` of the invariants feeds
    coefficient ``cols[k]``; ``index`` (monomials, longest) picks each monomial's factors from the
    invariants with a trailing 1 (the padding)."""

    index: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


def polynomial_head(z_degrees: np.ndarray, coef_degrees: np.ndarray, degree: int) -> PolynomialHead:
    """Each coefficient's monomials μ of the invariants: deg μ + deg(basis map) ≤ ``degree``.

    ``z_degrees`` (n_invariants,) and ``coef_degrees`` (n_coefficients,) are polynomial degrees
    in the input; RepError when the head would pass ``MAX_POLYNOMIAL`` weights or ``degree``
    passes ``MAX_DEGREE``."""
    if degree > MAX_DEGREE:
        raise RepError(f"polynomial={degree} is over {MAX_DEGREE}; take a lower degree")
    monos = monomials(z_degrees, max(degree - int(coef_degrees.min(initial=degree)), 0))
    mono_deg = np.asarray([sum(int(z_degrees[i]) for i in t) for t in monos], dtype=np.int64)
    counts = np.searchsorted(mono_deg, degree - coef_degrees, side="right")  # a prefix each
    if counts.sum() > MAX_POLYNOMIAL:
        raise RepError(
            f"the polynomial head of degree {degree} has {counts.sum()} weights (over "
            f"{MAX_POLYNOMIAL}); lower polynomial= or use fewer input vectors"
        )
    longest = max((len(t) for t in monos), default=1)
    index = np.full((max(len(monos), 1), longest), len(z_degrees), dtype=np.int32)
    for k, t in enumerate(monos):
        index[k, : len(t)] = t
    rows = np.concatenate([np.arange(c, dtype=np.int32) for c in counts] or [np.zeros(0, np.int32)])
    cols = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return PolynomialHead(index, rows, cols)
