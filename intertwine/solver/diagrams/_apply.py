"""The one application of diagram tensors, matrix-free, in any array library.

:func:`reduce_plan` describes D_σ: V^⊗k → V^⊗l as a :class:`DiagramStep` (an einsum that keeps
diagonals of repeated input letters and sums input-only blocks, a reshape that places the kept
blocks, identity masks for output diagonals, the axes the forms transform); :func:`apply_steps`
runs the steps of many diagrams in NumPy or jax.numpy in O(n^max(k,l)) per sample. The solver's
check (:func:`apply_basis`), the JAX layers and the layout's ``apply`` all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ._enumerate import Diagram, blocks, levi_civita, mobius_matrix
from ._forms import Forms
from ._schedule import schedule

if TYPE_CHECKING:
    from ._value import DiagramBasis

_LETTERS = "ijklmnpqrstuvwxyzadefgh"


_EPSILON_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class DiagramStep(NamedTuple):
    """How to apply one diagram tensor D_σ (see :func:`reduce_plan`): the fields by name."""

    reduce: str  # einsum of x (and the Levi-Civita symbol when ``eps``) to the kept blocks
    shape: tuple[int, ...]  # n on the first output position of each kept block, 1 elsewhere
    dups: tuple[tuple[int, int], ...]  # output positions (p, q) of one block: identity masks
    in_maps: tuple[int, ...]  # input axes transformed by Fᵀ (the smaller point of input pairs)
    out_maps: tuple[int, ...]  # output axes transformed by K (output pairs, ε outputs)
    eps: bool  # whether the einsum takes the Levi-Civita symbol


def reduce_plan(sigma: Diagram, k: int, l: int, n: int, epsilon: int = -1) -> DiagramStep:
    """The :class:`DiagramStep` (reduce, shape, dups, in_maps, out_maps, eps) of D_σ: V^⊗k → V^⊗l.

    x has shape (b, c, n, ..., n). ``reduce`` is an einsum that keeps diagonals of repeated input
    letters and sums the blocks met only by inputs (with the ε operand as a second argument when
    ``eps``); the kept blocks come out in the order of their first output position, so a reshape
    to ``shape`` (n there, 1 elsewhere) places them, a product with the identity on each pair
    (p, q) of output positions of one block makes the diagonals, and broadcasting fills the
    blocks met only by outputs. ``in_maps`` are the input axes of the smaller point of each pair
    of two inputs, transformed by Fᵀ before the einsum, ``out_maps`` the output axes of the
    smaller point of each pair of two outputs, transformed by K after placing (both only where
    the family has forms). The ε block's points each keep a letter of their own."""
    letters = {blk: _LETTERS[blk] for blk in set(sigma) if blk != epsilon}
    eps_points = [p for p in range(l + k) if sigma[p] == epsilon]
    eps_letter = {p: _EPSILON_LETTERS[i] for i, p in enumerate(eps_points)}

    def letter(p: int) -> str:
        return eps_letter[p] if p in eps_letter else letters[sigma[p]]

    inputs = {sigma[l + p] for p in range(k)}
    kept: list[str] = []
    shape: list[int] = []
    dups: list[tuple[int, int]] = []
    first: dict[int, int] = {}
    for p in range(l):
        blk = sigma[p]
        if blk == epsilon:
            shape.append(n)
            kept.append(eps_letter[p])
            continue
        if blk in first:
            shape.append(1)
            dups.append((first[blk], p))
            continue
        first[blk] = p
        shape.append(n if blk in inputs else 1)
        if blk in inputs:
            kept.append(letters[blk])
    in_sub = "".join(letter(l + p) for p in range(k))
    eps_sub = "," + "".join(eps_letter[p] for p in eps_points) if eps_points else ""
    reduce = "bc" + in_sub + eps_sub + "->bc" + "".join(kept)
    in_maps, out_maps = [], []
    for pair in blocks(sigma):
        if len(pair) == 2 and sigma[pair[0]] != epsilon:
            if pair[0] >= l:
                in_maps.append(pair[0] - l)
            elif pair[1] < l:
                out_maps.append(pair[0])
    out_maps += [p for p in eps_points if p < l]  # ε raised by K on its outputs (η, or δ)
    return DiagramStep(
        reduce, tuple(shape), tuple(dups), tuple(in_maps), tuple(out_maps), bool(eps_points)
    )


def apply_steps(
    steps: Sequence[DiagramStep], phi, x, n: int, k: int, l: int, xp=np, forms: Forms | None = None
):
    """y[b, o] = Σ_{c, σ} φ[o, c, σ] (D_σ x[b, c]) for x of shape (b, c_in, n^k), from the
    :func:`reduce_plan` steps of the diagrams σ, in the array library
    ``xp`` (NumPy here; the JAX layers pass jax.numpy, and XLA fuses the masks and broadcasts).
    ``forms`` (None for δ everywhere) transforms the ``in_maps`` and ``out_maps`` axes.

    Few operations, so that JAX compiles quickly: the steps run in the order of their
    :func:`~._schedule.schedule` (each distinct reduction of x once, the diagrams that place
    their result alike contracted with φ in one einsum and placed once), as the emitted cores
    of ``intertwine.codegen.source`` do."""
    b, c_in = x.shape[0], x.shape[1]
    c_out = phi.shape[0]
    xs = x.reshape((b, c_in) + (n,) * k)
    use_forms = forms is not None and not forms.trivial
    plan = schedule(steps, use_forms)
    epsilon = None
    reduced = []
    for red in plan.reductions:
        operands = [_map_axes(xs, red.in_maps, forms, "in", n, xp)]
        if red.eps:
            if epsilon is None:
                epsilon = xp.asarray(levi_civita(n), dtype=x.dtype)
            operands.append(epsilon)
        reduced.append(xp.einsum(red.reduce, *operands))
    eye = None  # made only for diagonals: then the output has n^l ≥ n^2 entries anyway
    y = None
    for place in plan.placements:
        stacked = xp.stack([reduced[r] for r in place.sources], axis=2)  # (b, c, S, kept...)
        weights = phi[:, :, np.asarray(place.diagrams)]  # (c_out, c_in, S)
        term = xp.einsum("bcs...,ocs->bo...", stacked, weights).reshape((b, c_out) + place.shape)
        for p, q in place.dups:
            if eye is None:
                eye = xp.eye(n, dtype=x.dtype)
            mask = [1] * (2 + l)
            mask[2 + p] = mask[2 + q] = n
            term = term * eye.reshape(mask)
        term = _map_axes(term, place.out_maps, forms, "out", n, xp)
        y = term if y is None else y + term
    if y is None:
        return xp.zeros((b, c_out, n**l), dtype=x.dtype)
    return xp.broadcast_to(y, (b, c_out) + (n,) * l).reshape(b, c_out, n**l)


def _map_axes(t, axes: tuple[int, ...], forms: Forms | None, side: str, n: int, xp):
    """Fᵀ (side "in": t'[w] = F[π⁻¹(w), w] t[π⁻¹(w)]) or K (side "out": t'[j] = K[j, π(j)]
    t[π(j)]) on each of ``axes`` (offset by the batch and channel axes)."""
    if not axes or forms is None:
        return t
    if side == "in":
        inverse = np.argsort(forms.in_perm)
        gather, sign = inverse, forms.in_sign[inverse]
    else:
        gather, sign = forms.out_perm, forms.out_sign
    permutes = forms.permutes
    for axis in axes:
        mask = [1] * t.ndim
        mask[2 + axis] = n
        if permutes:
            t = xp.take(t, xp.asarray(gather), axis=2 + axis)
        t = t * xp.asarray(sign, dtype=t.dtype).reshape(mask)
    return t


# ----------------------------------------------------------------- a whole basis
@dataclass(frozen=True)
class DiagramClass:
    """The block pairs of a diagram basis that share degrees k → l and diagrams: applied as one,
    the input blocks as extra input channels and the output blocks as extra output channels.
    ``terms[b, a, s]`` is the basis element of diagram s from ``in_blocks[a]`` to
    ``out_blocks[b]`` (``dim`` where that pair has none)."""

    k: int
    l: int
    parts: tuple[tuple[Diagram, int], ...]  # (diagram, ε label)
    in_blocks: tuple[int, ...]
    out_blocks: tuple[int, ...]
    terms: np.ndarray


def diagram_classes(basis: DiagramBasis) -> list[DiagramClass]:
    """The block pairs of ``basis`` grouped into :class:`DiagramClass` es."""
    by_pair: dict[tuple[int, int], list[int]] = {}
    for t, term in enumerate(basis.terms):
        by_pair.setdefault((term.out_block, term.in_block), []).append(t)
    classes: dict[tuple, list[tuple[int, int]]] = {}
    for (b, a), idx in by_pair.items():
        parts = tuple((basis.terms[t].diagram, basis.terms[t].epsilon) for t in idx)
        classes.setdefault((basis.in_degrees[a], basis.out_degrees[b], parts), []).append((b, a))
    out = []
    for (k, l, parts), pairs in classes.items():
        in_blocks = sorted({a for _, a in pairs})
        out_blocks = sorted({b for b, _ in pairs})
        terms = np.full((len(out_blocks), len(in_blocks), len(parts)), basis.dim, dtype=np.int64)
        for b, a in pairs:
            terms[out_blocks.index(b), in_blocks.index(a)] = by_pair[(b, a)]
        out.append(DiagramClass(k, l, parts, tuple(in_blocks), tuple(out_blocks), terms))
    return out


def apply_basis(basis: DiagramBasis, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """W x for W = Σ_t θ_t B_t and x of shape (batch, in_dim), one application per
    :class:`DiagramClass` (as in the layers), so ``c*V`` costs one contraction per diagram, not
    one per copy."""
    outs, ins = basis.offsets()
    n = basis.n
    y = np.zeros((x.shape[0], basis.out_dim), dtype=np.result_type(x, theta))
    padded = np.concatenate([theta, np.zeros(1, dtype=theta.dtype)]).astype(y.dtype)
    forms = None if basis.tensor == "orbit" else basis.forms
    for cls in diagram_classes(basis):
        k, l = cls.k, cls.l
        phi = padded[cls.terms]  # (out blocks, in blocks, diagrams)
        if basis.tensor == "orbit":  # O_π = Σ_σ μ(π, σ) D_σ over the coarsenings σ
            phi = phi @ mobius_matrix([d for d, _ in cls.parts])
        gather = np.concatenate([np.arange(ins[a], ins[a + 1]) for a in cls.in_blocks])
        xa = x[:, gather].reshape(x.shape[0], len(cls.in_blocks), n**k)
        steps = [reduce_plan(d, k, l, n, eps) for d, eps in cls.parts]
        ya = apply_steps(steps, phi, xa, n, k, l, forms=forms)
        scatter = np.concatenate([np.arange(outs[b], outs[b + 1]) for b in cls.out_blocks])
        y[:, scatter] += ya.reshape(x.shape[0], -1)
    return y
