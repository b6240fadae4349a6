"""A diagram basis for a symbolic n: ``S(n)``, ``O(n)``, ``SO(n)``, ``Sp(n)`` with the letter n.

The diagrams that span Hom(IN, OUT) do not depend on n (``_enumerate``); which of them form a
basis and how many there are does, only for small n (the family's rules, ``_rules``):

- S(n): the set partitions of the k + l points with at most n blocks, Σ_{t ≤ n} S(k+l, t); all
  Bell(k+l) of them from n = k + l.
- O(n), Sp(n) (on R^{2n}): the perfect matchings, (k+l−1)!! of them, independent from
  n = (k+l)/2 (O) and n = (k+l)/2 (Sp: R^{2n} has dimension k + l); below, the certified
  dimension is the walk count of ``_rank`` and a basis is an independent subset that
  depends on n.
- SO(n): the matchings, and for n ≤ k + l with k + l − n even the ε diagrams too.

:func:`every_n` lists the generic diagrams and the dimension for every n, without any matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core import Action, Rep
from ...errors import ActionError
from ._degrees import tensor_degrees
from ._draw import draw, power_name
from ._enumerate import Diagram, blocks
from ._rules import DiagramRules, SymmetricRules, rules_for


@dataclass(frozen=True)
class EveryN:
    """The diagrams of Hom(IN, OUT) for every n, per block pair, and the dimension in n
    (``rules``: the family's rules at any one n)."""

    rules: DiagramRules
    group: str
    rep_in: str
    rep_out: str
    in_degrees: tuple[int, ...]
    out_degrees: tuple[int, ...]

    @property
    def family(self) -> str:
        return self.rules.family.code

    def diagrams(self, k: int, l: int) -> list[Diagram]:
        """The spanning diagrams of V^⊗k → V^⊗l that exist for every n."""
        return self.rules.generic(k + l)

    def pair_dimension(self, k: int, l: int, n: int) -> int:
        """dim Hom(V^⊗k, V^⊗l) at this n (V of dimension 2n for Sp(n))."""
        if n < self.rules.first_n:
            raise ActionError(f"{self.family}(n) needs n >= {self.rules.first_n}")
        return self.rules.at(n).dimension(k + l)

    def dimension(self, n: int) -> int:
        """dim Hom(IN, OUT) at this n."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ActionError(f"n must be a positive integer, not {n!r}")
        return sum(self.pair_dimension(k, l, n) for k in self.in_degrees for l in self.out_degrees)

    def stable_from(self) -> int:
        """The n from which the dimension no longer changes (the generic diagrams are a basis)."""
        m = max((k + l for k in self.in_degrees for l in self.out_degrees), default=0)
        return self.rules.stable_from(m)

    def dimension_text(self) -> str:
        top = self.stable_from()
        generic = self.dimension(top)
        small = [f"{self.dimension(n)} for n = {n}" for n in range(self.rules.first_n, top)]
        return f"{generic} for n >= {top}" + ("; " + ", ".join(small) if small else "")

    def to_text(self, limit: int = 60) -> str:
        lines = [
            f"group:   {self.group} (every n)",
            f"map:     {self.rep_in} -> {self.rep_out}",
            f"dim:     {self.dimension_text()}",
            "method:  diagram (exact, valid for every n)",
            f"diagrams ({self.rules.tensor} tensors; the basis for n >= {self.stable_from()}):",
        ]
        shown = 0
        pairs = sorted({(k, l) for k in self.in_degrees for l in self.out_degrees})
        for k, l in pairs:
            parts = self.diagrams(k, l)
            count = f"{len(parts)} diagram{'s' if len(parts) != 1 else ''}"
            lines.append(f"  {power_name(k)} -> {power_name(l)}: {count}")
            for d in parts:
                if shown == limit:
                    break
                lines.append(f"    {draw(d, k, l):<28} {blocks(d)}")
                shown += 1
        total = sum(len(self.diagrams(k, l)) for k, l in pairs)
        if total > shown:
            lines.append(f"  ... and {total - shown} more")
        lines.append(_below(self.rules))
        return "\n".join(lines)


def _below(rules: DiagramRules) -> str:
    if isinstance(rules, SymmetricRules):
        return "below: the partitions with at most n blocks (solve with a number for n)"
    if rules.epsilon:
        return (
            "below: the ε diagrams (n points joined to the Levi-Civita symbol, the rest paired) "
            "join in where n <= k + l and k + l - n is even, and an independent subset is "
            "chosen; solve with a number for n"
        )
    return "below: an independent subset of the size above (solve with a number for n)"


def pair_text(rules: DiagramRules, k: int, l: int) -> str:
    """dim Hom(V^⊗k, V^⊗l) for every n of ``rules``'s family (O(p,q) has O(p + q)'s)."""
    return EveryN(rules, "", "", "", (k,), (l,)).dimension_text()


def every_n_of(stand_in: Action, rep_in: Rep, rep_out: Rep) -> EveryN:
    """The diagrams and dimensions for every n of ``stand_in``'s family (the action at any one
    n, e.g. S(8) for S(n)), between reps of that action."""
    rules = rules_for(stand_in.family)
    if rules is None or rules.family.code not in ("S", "O", "SO", "Sp"):
        raise ActionError(f"{stand_in.name} is not S(n), O(n), SO(n) or Sp(n)")
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    if ins is None or outs is None:
        raise ActionError(
            f"a symbolic n needs sums of tensor powers of V (V**k, 1, A + B, c*A), not "
            f"{rep_in} -> {rep_out}"
        )
    if not rules.dual_is_v and (rep_in._has_dual() or rep_out._has_dual()):
        raise ActionError("on Sp(n) the dual V* is not V: use tensor powers of V")
    name = f"{rules.family.code}(n)"
    return EveryN(rules, name, str(rep_in), str(rep_out), tuple(ins), tuple(outs))
