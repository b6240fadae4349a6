"""When the diagram method applies: reps that are sums of tensor powers of V, a family with
diagram rules, and (for SO(n) beyond MAX_EPSILON_N) no ε diagram needed.

For such reps Hom(IN, OUT) is the direct sum over block pairs of Hom(V^⊗k, V^⊗l); V* counts as V
where the family's form identifies them (S(n), O(n), SO(n)).
"""

from __future__ import annotations

from ...core import Action, Copies, Dual, Power, Rep, Standard, Sum, Tensor, Trivial
from ._enumerate import MAX_EPSILON_N
from ._rank import invariant_dimension
from ._rules import rules_for


def tensor_degrees(rep: Rep) -> list[int] | None:
    """The degrees k of the blocks V^⊗k of a sum of tensor powers of V, else None."""
    node = rep.node
    if len(rep.action.degrees) != 1:
        return None
    if isinstance(node, Trivial):
        return [0]
    if isinstance(node, Standard):
        return [1]
    if isinstance(node, Dual):
        return tensor_degrees(node.base)
    if isinstance(node, Sum):
        parts = [tensor_degrees(r) for r in node.parts]
        return None if any(p is None for p in parts) else [d for p in parts for d in p]  # type: ignore[union-attr]
    if isinstance(node, Copies):
        inner = tensor_degrees(node.base)
        return None if inner is None else inner * node.count
    if isinstance(node, (Power, Tensor)):
        factors = [node.base] * node.exponent if isinstance(node, Power) else list(node.parts)
        total = 0
        for f in factors:
            d = tensor_degrees(f)
            if d is None or len(d) != 1:
                return None
            total += d[0]
        return [total]
    return None


def applies(action: Action, rep_in: Rep, rep_out: Rep) -> str | None:
    """None when the diagram method applies, else the reason it does not."""
    rules = rules_for(action.family)
    if rules is None:
        return (
            f"the diagram method covers S(n), O(n), SO(n), O(p,q) and Sp(n), not "
            f"{action.name}; use --method auto, orbit, exact or numeric"
        )
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    if ins is None or outs is None:
        return (
            f"the diagram method needs sums of tensor powers of V (V**k, 1, A + B, c*A), not "
            f"{rep_in} -> {rep_out}"
        )
    if rules.epsilon:
        n = rules.n
        if n > MAX_EPSILON_N and any(
            k + l >= n and (k + l - n) % 2 == 0 for k in ins for l in outs
        ):
            return _epsilon_refusal(action, rep_in, rep_out, n, ins, outs)
    if not rules.dual_is_v and (rep_in._has_dual() or rep_out._has_dual()):
        return (
            f"on {action.name} the dual V* is a different representation from V, and the diagram"
            f" method covers tensor powers of V only; use --method auto or exact"
        )
    return None


def _epsilon_refusal(action: Action, rep_in: Rep, rep_out: Rep, n: int, ins, outs) -> str:
    """Why SO(n) beyond MAX_EPSILON_N is refused where ε diagrams are needed, with the
    certified dimension and the advice that works: the constraint methods would need n^(k+l)
    ≥ 8^8 unknowns, so the Brauer part (O(n) or O(p,q), which has no ε diagram) is what can be
    solved."""
    pairs = [(k, l) for k in ins for l in outs]
    other = action.name.replace("SO(", "O(", 1)
    unknowns = rep_in.dim * rep_out.dim
    head = (
        f"{action.name} on {rep_in} -> {rep_out} needs ε diagrams, whose Levi-Civita operand "
        f"has {n}^{n} entries (the diagram method takes them up to n = {MAX_EPSILON_N}), and "
        f"the constraint methods would need {unknowns:,} unknowns"
    )
    if max(k + l for k, l in pairs) > 24:
        return f"{head}; use smaller tensor powers, or solve {other} for the maps without ε"
    total = sum(invariant_dimension(k + l, n, "SO") for k, l in pairs)
    brauer = sum(invariant_dimension(k + l, n, "O") for k, l in pairs)
    return (
        f"{head}; its dimension is {total}: {brauer} from Brauer diagrams, the maps that "
        f"{other} keeps as well (solve {other} for them), and {total - brauer} from ε diagrams"
    )
