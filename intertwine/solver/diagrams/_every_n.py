"""A diagram basis for a symbolic n: ``S(n)``, ``O(n)``, ``SO(n)``, ``Sp(n)`` with the letter n.

The diagrams that span Hom(IN, OUT) do not depend on n (``_diagrams``); which of them form a
basis and how many there are does, only for small n:

- S(n): the set partitions of the k + l points with at most n blocks, Σ_{t ≤ n} S(k+l, t); all
  Bell(k+l) of them from n = k + l.
- O(n), Sp(n) (on R^{2n}): the perfect matchings, (k+l−1)!! of them, independent from
  n = (k+l)/2 (O) and n = (k+l)/2 (Sp: R^{2n} has dimension k + l); below, the certified
  dimension is the walk count of ``_diagram_rank`` and a basis is an independent subset that
  depends on n.
- SO(n): the matchings, and for n ≤ k + l with k + l − n even the ε diagrams too.

:func:`every_n` lists the generic diagrams and the dimension for every n, without any matrix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import ActionError
from . import _tensors as dg
from ._rank import invariant_dimension
from ._value import tensor_degrees

SYMBOLIC = re.compile(r"^\s*(S|O|SO|Sp)\s*\(\s*n\s*\)\s*$")
_STAND_IN = {"S": "S(8)", "O": "O(8)", "SO": "SO(8)", "Sp": "Sp(4)"}  # to read the reps
_TENSOR = {"S": "orbit", "O": "diagram", "SO": "diagram", "Sp": "symplectic"}


def is_symbolic(group: str) -> bool:
    """True for ``S(n)``, ``O(n)``, ``SO(n)`` or ``Sp(n)`` written with the letter n."""
    return isinstance(group, str) and SYMBOLIC.match(group) is not None


@dataclass(frozen=True)
class EveryN:
    """The diagrams of Hom(IN, OUT) for every n, per block pair, and the dimension in n."""

    family: str
    group: str
    rep_in: str
    rep_out: str
    in_degrees: tuple[int, ...]
    out_degrees: tuple[int, ...]

    def diagrams(self, k: int, l: int) -> list[dg.Diagram]:
        """The spanning diagrams of V^⊗k → V^⊗l that exist for every n."""
        m = k + l
        if self.family == "S":
            return dg.set_partitions(m, m)
        return dg.perfect_matchings(m)

    def pair_dimension(self, k: int, l: int, n: int) -> int:
        """dim Hom(V^⊗k, V^⊗l) at this n (V of dimension 2n for Sp(n))."""
        m = k + l
        if self.family == "S":
            return dg.partition_count(m, n)
        if self.family == "Sp":
            return invariant_dimension(m, 2 * n, "Sp")
        if self.family == "SO" and n < 2:
            raise ActionError("SO(n) needs n >= 2")
        return invariant_dimension(m, n, self.family)

    def dimension(self, n: int) -> int:
        """dim Hom(IN, OUT) at this n."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ActionError(f"n must be a positive integer, not {n!r}")
        return sum(self.pair_dimension(k, l, n) for k in self.in_degrees for l in self.out_degrees)

    def stable_from(self) -> int:
        """The n from which the dimension no longer changes (the generic diagrams are a basis)."""
        m = max((k + l for k in self.in_degrees for l in self.out_degrees), default=0)
        if self.family == "S":
            return max(m, 1)
        if self.family == "SO":
            return max(m + 1, 2)  # no ε diagram beyond n = k + l; SO(n) starts at n = 2
        return 1 if m % 2 else max(m // 2, 1)  # odd m: no map at any n

    def dimension_text(self) -> str:
        start = 2 if self.family == "SO" else 1
        top = self.stable_from()
        generic = self.dimension(top)
        small = [f"{self.dimension(n)} for n = {n}" for n in range(start, top)]
        return f"{generic} for n >= {top}" + ("; " + ", ".join(small) if small else "")

    def to_text(self, limit: int = 60) -> str:
        lines = [
            f"group:   {self.group} (every n)",
            f"map:     {self.rep_in} -> {self.rep_out}",
            f"dim:     {self.dimension_text()}",
            "method:  diagram (exact, valid for every n)",
            f"diagrams ({_TENSOR[self.family]} tensors; the basis for n >= {self.stable_from()}):",
        ]
        shown = 0
        pairs = sorted({(k, l) for k in self.in_degrees for l in self.out_degrees})
        for k, l in pairs:
            parts = self.diagrams(k, l)
            count = f"{len(parts)} diagram{'s' if len(parts) != 1 else ''}"
            lines.append(f"  {dg.power_name(k)} -> {dg.power_name(l)}: {count}")
            for d in parts:
                if shown == limit:
                    break
                lines.append(f"    {dg.draw(d, k, l):<28} {dg.blocks(d)}")
                shown += 1
        total = sum(len(self.diagrams(k, l)) for k, l in pairs)
        if total > shown:
            lines.append(f"  ... and {total - shown} more")
        lines.append(_below(self.family))
        return "\n".join(lines)


def _below(family: str) -> str:
    if family == "S":
        return "below: the partitions with at most n blocks (solve with a number for n)"
    if family == "SO":
        return (
            "below: the ε diagrams (n points joined to the Levi-Civita symbol, the rest paired) "
            "join in where n <= k + l and k + l - n is even, and an independent subset is "
            "chosen; solve with a number for n"
        )
    return "below: an independent subset of the size above (solve with a number for n)"


def every_n(group: str, rep_in: str, rep_out: str) -> EveryN:
    """The diagrams and dimensions of ``group`` written with a symbolic n (``"S(n)"``).

    >>> e = every_n("S(n)", "V**2", "V**2")
    >>> e.dimension_text()
    '15 for n >= 4; 1 for n = 1, 8 for n = 2, 14 for n = 3'
    """
    from ...spec import resolve

    found = SYMBOLIC.match(group) if isinstance(group, str) else None
    if found is None:
        raise ActionError(f"{group!r} is not S(n), O(n), SO(n) or Sp(n) with the letter n")
    family = found.group(1)
    _, a, b = resolve(_STAND_IN[family], rep_in, rep_out)
    ins, outs = tensor_degrees(a), tensor_degrees(b)
    if ins is None or outs is None:
        raise ActionError(
            f"a symbolic n needs sums of tensor powers of V (V**k, 1, A + B, c*A), not "
            f"{rep_in} -> {rep_out}"
        )
    if family == "Sp" and (a._has_dual() or b._has_dual()):
        raise ActionError("on Sp(n) the dual V* is not V: use tensor powers of V")
    name = f"{family}(n)"
    return EveryN(family, name, str(rep_in), str(rep_out), tuple(ins), tuple(outs))
