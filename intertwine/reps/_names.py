"""Names of irreducible summands, with a hook for families that have their own notation.

- SO(3) and O(3): ``l`` from the Casimir Σ L_ij² = −l(l+1) of the generators L_ij = E_ji − E_ij;
  for O(3) the parity p = ±1 (how −I acts) from the reflection r = diag(−1, 1, 1) = (−I)·R_x(π):
  tr ρ(r) = p χ_l(π) = p (−1)^l, written e3nn's way, ``1o``, ``2e``.
- SO(2) and O(2): the frequency k from dρ(J)² = −k² I on a 2-dimensional irrep (``3``); the
  1-dimensional ones are ``0`` (SO(2)), ``0e`` and ``0o`` (O(2): + or − on the reflection), as
  the rep parser writes them.
- Other Lie groups: dimension and Casimir eigenvalue, ``3(C=1)``, with C = Σ η^{ij} A_i A_j,
  η the inverse of the trace form tr(A_i A_j) on the standard space (so C = dim g / n on V).
- Finite groups: dimension and a letter, ``2a``, from the group's real character table (the
  characters of the real irreps; ``characters``), letters by descending character vector among
  the irreps of that dimension, so the name of an irrep does not depend on the rep it came from.
  Above ``TABLE_ORDER`` elements: the dimension and the character on the generators,
  ``2[0.618,0]``; where two summands of one decomposition share that name, both are named by
  their character on every conjugacy class instead (always distinct: characters separate irreps).
- Anything else (monoids, groups without a table): dimension and a letter in order of discovery.

``register_namer(fn)`` puts a naming function first: ``fn(info) -> str | None`` (None passes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..core import Action, Orthogonal
from ..errors import SolverError

TABLE_ORDER = 120


@dataclass(frozen=True)
class IrrepInfo:
    """What a namer sees: the action, the dimension, the type and the generator matrices of one
    irreducible (float64, orthonormal basis, in the action's generator order)."""

    action: Action
    dim: int
    type: str
    generators: tuple[np.ndarray, ...]


Namer = Callable[[IrrepInfo], "str | None"]
_NAMERS: list[Namer] = []


def register_namer(fn: Namer) -> None:
    """Use ``fn`` first when naming irreps (e.g. e3nn names once their basis is known)."""
    _NAMERS.insert(0, fn)


def _lie(info: IrrepInfo) -> list[np.ndarray]:
    return [m for m, g in zip(info.generators, info.action.generators) if g.kind == "lie"]


def so3_name(info: IrrepInfo) -> str | None:
    fam = info.action.family
    if fam not in (Orthogonal(3, special=True), Orthogonal(3)):
        return None
    lie = _lie(info)
    c = -sum(m @ m for m in lie)[0, 0] if lie else 0.0
    ell = int(round((np.sqrt(1 + 4 * c) - 1) / 2))
    if fam == Orthogonal(3, special=True):
        return str(ell)
    refl = [m for m, g in zip(info.generators, info.action.generators) if g.kind == "discrete"]
    parity = round(float(np.trace(refl[0]))) * (-1) ** ell if refl else 1
    return f"{ell}{'e' if parity > 0 else 'o'}"


def casimir(action: Action, generators: tuple[np.ndarray, ...]) -> float | None:
    """The Casimir eigenvalue of an irreducible with these generator matrices (trace-form
    normalisation), or None without Lie generators or with a degenerate trace form."""
    from scipy.linalg import block_diag

    idx = [i for i, g in enumerate(action.generators) if g.kind == "lie"]
    if not idx:
        return None
    std = [block_diag(*[m.to_numpy() for m in action.generators[i].matrices]) for i in idx]
    form = np.array([[np.trace(a @ b) for b in std] for a in std])
    if abs(np.linalg.det(form)) < 1e-9:
        return None
    eta = np.linalg.inv(form)
    mats = [generators[i] for i in idx]
    c = sum(eta[a, b] * mats[a] @ mats[b] for a in range(len(idx)) for b in range(len(idx)))
    return float(np.trace(c) / c.shape[0])


def lie_name(info: IrrepInfo) -> str | None:
    c = casimir(info.action, info.generators)
    if c is None:
        return None
    frac = Fraction(c).limit_denominator(1000)
    text = str(frac) if abs(float(frac) - c) < 1e-9 else f"{c:.6g}"
    return f"{info.dim}(C={text})"


def planar_name(info: IrrepInfo) -> str | None:
    fam = info.action.family
    if fam not in (Orthogonal(2, special=True), Orthogonal(2)):
        return None
    if info.dim == 1:
        if fam == Orthogonal(2, special=True):
            return "0"
        refl = [m for m, g in zip(info.generators, info.action.generators) if g.kind == "discrete"]
        return "0e" if not refl or float(refl[0][0, 0]) > 0 else "0o"
    lie = _lie(info)
    if info.dim != 2 or not lie:
        return None
    k = float(np.sqrt(max(0.0, -float(np.trace(lie[0] @ lie[0])) / 2)))
    if abs(k - round(k)) > 1e-6 or round(k) == 0:
        return None
    return str(round(k))


def finite_name(info: IrrepInfo) -> str | None:
    from ._enumerate import class_characters, enumerate_group

    act = info.action
    if not act.is_group or any(g.kind != "discrete" for g in act.generators):
        return None
    order = act.order()
    try:
        enum = enumerate_group(act)
    except SolverError:  # too large to enumerate: no character name
        return None
    chi = class_characters(enum, list(info.generators))
    if (order or enum.order) <= TABLE_ORDER:
        from ._characters import character_table

        table = character_table(act)
        for row in table.rows:
            if np.allclose(row.values, chi, atol=1e-6):
                return row.name
    return f"{info.dim}[{','.join(_num(float(np.trace(g))) for g in info.generators)}]"


def _num(v: float) -> str:
    r = round(v)
    return str(r) if abs(v - r) < 1e-9 else f"{v:.4g}"


_DEFAULTS: list[Namer] = [so3_name, planar_name, finite_name, lie_name]


def name_irreps(infos: list[IrrepInfo]) -> list[str]:
    """A name for each irrep; letters in order of discovery where no namer applies."""
    names: list[str] = []
    counts: dict[int, int] = {}
    for info in infos:
        name = None
        for fn in _NAMERS + _DEFAULTS:
            name = fn(info)
            if name is not None:
                break
        if name is None:
            k = counts.get(info.dim, 0)
            counts[info.dim] = k + 1
            name = f"{info.dim}{letters(k)}"
        names.append(name)
    return _separate(infos, names)


def _separate(infos: list[IrrepInfo], names: list[str]) -> list[str]:
    """Summands of a large finite group that share a generator-character name get their full
    class-character name (distinct irreps have distinct characters)."""
    from ._enumerate import class_characters, enumerate_group

    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    out = list(names)
    for i, n in enumerate(names):
        if seen[n] > 1 and n.endswith("]") and "[" in n:
            enum = enumerate_group(infos[i].action)
            chi = class_characters(enum, list(infos[i].generators))
            out[i] = f"{infos[i].dim}[{','.join(_num(v) for v in chi)}]"
    return out


def letters(k: int) -> str:
    """a, b, ..., z, aa, ab, ..."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(97 + r) + out
    return out
