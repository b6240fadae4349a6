"""C(k) and D(k) exactly, by weights: the rotation is diagonal over C, so Hom is a tying there.

On C² the rotation R(θ) by θ = 2π/k has the eigenvectors e₊ = (1, −i) and e₋ = (1, i) with
eigenvalues e^{±iθ} (weights ±1), and the reflection diag(1, −1) swaps them. For a rep built
from V by sums, tensor products and duals (all orthogonal, so V* = V), the tensor products of
e± (and 1 for the trivial rep) form an eigenbasis U: basis vector I has weight w(I) ∈ Z (the sum
of its signs), and the reflection maps I to its conjugate Ī (all signs flipped), which is also
complex conjugation: conj(U e_I) = U e_Ī. Therefore (Serre, *Linear Representations of Finite
Groups*, §5.1, for the characters of C(k) and D(k)):

- a complex W commutes with ρ(R) iff in the eigenbases X = U_out⁻¹ W U_in has X[I, J] = 0
  unless w(I) ≡ w(J) (mod k): Hom_C is spanned by the W_IJ = U_out E_IJ U_in⁻¹ with matching
  weights, and dim Hom = #{(I, J) : w(I) ≡ w(J) mod k};
- W also commutes with the reflection iff X[Ī, J̄] = X[I, J]: the span of W_IJ + W_ĪJ̄;
- conj(W_IJ) = W_ĪJ̄, so the *real* intertwiners are spanned by Re W_IJ and Im W_IJ (C(k)) or
  by Re W_IJ alone (D(k)), one conjugate pair {IJ, ĪJ̄} at a time: a basis, by construction.

The entries of U are ±1, ±i and those of U⁻¹ (±1, ±i)/2ⁿ, so Re and Im of W_IJ are dyadic
rationals, exact in float64, and become small integers. The basis is then checked exactly over
Q(2cos 2π/m) (see ``_cyclotomic``) against every generator, so its entries are exact integers
and its dimension is the count above: no floating-point rank decision anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..core import Copies, Dual, Planar, Power, Rep, Standard, Sum, Tensor, Trivial
from ..errors import VerificationError
from . import _cyclotomic as cf
from ._constraints import Constraint

MAX_ENTRIES = 20_000_000  # dim · out · in numbers of the dense construction


@dataclass(frozen=True)
class Eigenbasis:
    """Columns U (complex, dim × dim), the rows of 2^depth · U⁻¹, the weights, the conjugation
    permutation, and ``depth`` (the largest tensor degree, so 2^depth U⁻¹ is integral)."""

    u: np.ndarray
    u_inv: np.ndarray
    weight: np.ndarray
    conj: np.ndarray


def _eigenbasis(rep: Rep) -> Eigenbasis:
    node = rep.node
    if isinstance(node, Standard):
        u = np.array([[1, 1], [-1j, 1j]])
        return Eigenbasis(u, np.linalg.inv(u), np.array([1, -1]), np.array([1, 0]))
    if isinstance(node, Trivial):
        one = np.ones((1, 1), dtype=complex)
        return Eigenbasis(one, one, np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64))
    if isinstance(node, Dual):
        return _eigenbasis(node.base)
    if isinstance(node, (Sum, Copies)):
        parts = (
            [_eigenbasis(r) for r in node.parts]
            if isinstance(node, Sum)
            else [_eigenbasis(node.base)] * node.count
        )
        offsets = np.cumsum([0] + [p.weight.size for p in parts])
        return Eigenbasis(
            _block([p.u for p in parts]),
            _block([p.u_inv for p in parts]),
            np.concatenate([p.weight for p in parts]),
            np.concatenate([p.conj + o for p, o in zip(parts, offsets)]),
        )
    assert isinstance(node, (Tensor, Power))
    parts = (
        [_eigenbasis(r) for r in node.parts]
        if isinstance(node, Tensor)
        else [_eigenbasis(node.base)] * node.exponent
    )
    out = parts[0]
    for p in parts[1:]:
        n = p.weight.size
        out = Eigenbasis(
            np.kron(out.u, p.u),
            np.kron(out.u_inv, p.u_inv),
            (out.weight[:, None] + p.weight[None, :]).ravel(),
            (out.conj[:, None] * n + p.conj[None, :]).ravel(),
        )
    return out


def _block(blocks: list[np.ndarray]) -> np.ndarray:
    n = sum(b.shape[0] for b in blocks)
    out = np.zeros((n, n), dtype=complex)
    at = 0
    for b in blocks:
        out[at : at + b.shape[0], at : at + b.shape[0]] = b
        at += b.shape[0]
    return out


def _built_from_v(rep: Rep) -> bool:
    """Whether the rep is built from V and 1 by sums, copies, tensor products and duals (the
    nodes this module and ``_cyclotomic`` evaluate; not, e.g., named irreps)."""
    node = rep.node
    if isinstance(node, (Standard, Trivial)):
        return True
    if isinstance(node, (Sum, Tensor, Power, Copies, Dual)):
        return all(_built_from_v(r) for r in rep.children())
    return False


def planar_k(rep_in: Rep, rep_out: Rep) -> tuple[int, bool] | None:
    """(k, with reflection) when the action is C(k) or D(k) with algebraic entries, else None."""
    if not (_built_from_v(rep_in) and _built_from_v(rep_out)):
        return None
    action = rep_in.action
    family = action.family
    if not isinstance(family, Planar) or len(action.degrees) != 1:
        return None
    if all(m.domain != "EX" for g in action.generators for m in g.matrices):
        return None  # integer rotations (k = 1, 2, 4): the orbit method is exact and fast
    return family.k, family.reflections


def planar_dimension(rep_in: Rep, rep_out: Rep) -> int | None:
    """dim Hom by counting weights (see the module docstring), or None if not C(k)/D(k)."""
    planar = planar_k(rep_in, rep_out)
    if planar is None:
        return None
    k, reflect = planar
    a, b = _eigenbasis(rep_in), _eigenbasis(rep_out)
    match = (b.weight[:, None] - a.weight[None, :]) % k == 0
    if not reflect:
        return int(match.sum())
    i, j = np.nonzero(match)
    flat = i * a.weight.size + j
    partner = b.conj[i] * a.weight.size + a.conj[j]
    return int(np.sum(flat <= partner))


def planar_basis(rep_in: Rep, rep_out: Rep, cons: list[Constraint]) -> sp.csr_array | None:
    """The exact integer basis (dim × out·in) for C(k)/D(k), checked exactly against ``cons``;
    None when the action is not C(k)/D(k) or the problem is too large for this construction."""
    planar = planar_k(rep_in, rep_out)
    if planar is None:
        return None
    k, reflect = planar
    a, b = _eigenbasis(rep_in), _eigenbasis(rep_out)
    d_in, d_out = a.weight.size, b.weight.size
    i, j = np.nonzero((b.weight[:, None] - a.weight[None, :]) % k == 0)
    flat, partner = i * d_in + j, b.conj[i] * d_in + a.conj[j]
    keep = flat <= partner
    i, j, selfconj = i[keep], j[keep], (flat == partner)[keep]
    count = i.size if reflect else int(2 * i.size - selfconj.sum())
    if count * d_in * d_out > MAX_ENTRIES:
        return None
    w = b.u[:, i].T[:, :, None] * a.u_inv[j, :][:, None, :]  # (pairs, out, in), exact dyadic
    rows = [w.real] if reflect else [w.real, w.imag[~selfconj]]
    real = np.concatenate(rows).reshape(-1, d_out * d_in)
    ints = _integer_rows(real)
    m = cf.field_modulus(k)
    pairs = []
    for c in cons:
        if c.helper:
            continue
        base = cf.planar_generator(m, k, c.name)
        x_in, x_out = cf.evaluate(rep_in, base), cf.evaluate(rep_out, base)
        if not (
            np.allclose(x_in.to_float(), c.x_in.to_numpy(), atol=1e-9)
            and np.allclose(x_out.to_float(), c.x_out.to_numpy(), atol=1e-9)
        ):
            return None  # not the rotation/reflection this module knows: the general path
        pairs.append((x_in, x_out))
    coeffs = sp.csr_array(ints)
    cf.field_check(coeffs, pairs)
    return coeffs


def _integer_rows(real: np.ndarray) -> np.ndarray:
    """The rows as coprime integers. Each row is Re or Im of u vᵀ with u of unit entries (±1,
    ±i) and v of entries (±1, ±i)/2ⁿ, so its nonzero entries are ±2⁻ⁿ: the row is its sign
    pattern times 2⁻ⁿ. That is checked exactly here (equal floats), not assumed."""
    ints = np.sign(real).astype(np.int64)
    top = np.max(np.abs(real), axis=1, keepdims=True)
    if not np.array_equal(real, ints * top):
        raise VerificationError("a weight-basis row is not a multiple of a sign pattern")
    return ints
