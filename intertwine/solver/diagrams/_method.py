"""The diagram method: the closed-form basis of Hom(IN, OUT) for a diagram family, checked.

For an action whose family has diagram rules (``_rules``) and reps that are sums of tensor powers
of V (``_degrees``), Hom(IN, OUT) is the direct sum over block pairs (a, b) of
Hom(V^⊗k_a, V^⊗l_b), and each summand has the family's diagrams as a basis (Brauer 1937;
Maron et al. 2019; Pearce-Crump 2023). Where the diagrams span a space of smaller dimension
(small n), ``_rank`` certifies the dimension and picks an independent subset of that size.
Conjugating by S = diag(1 ×p, i ×q) maps O(p+q) and SO(p+q) to O(p,q) and SO(p,q) over C and
their tensors to the η-weighted ones up to nonzero constants, so the subset chosen for the
definite form is independent and spans for the indefinite one.

The result is checked before it is returned, matrix-free at any n (``_check``).
"""

from __future__ import annotations

import time

from ...core import Action, Rep
from ._check import check_diagram_basis
from ._degrees import tensor_degrees
from ._rules import Part, rules_for
from ._value import DiagramBasis, DiagramTerm


def solve_diagrams(action: Action, rep_in: Rep, rep_out: Rep, report) -> DiagramBasis:
    """The closed-form basis of Hom(IN, OUT) for a diagram family, checked matrix-free."""
    start = time.perf_counter()
    rules = rules_for(action.family)
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    assert rules is not None and ins is not None and outs is not None
    report(f"diagram stage: {action.name} on {len(ins)} x {len(outs)} block pairs")
    cache: dict[tuple[int, int], list[Part]] = {}
    terms: list[DiagramTerm] = []
    for b, l in enumerate(outs):
        for a, k in enumerate(ins):
            if (k, l) not in cache:
                cache[(k, l)] = rules.basis(k, l, report)
            terms.extend(DiagramTerm(b, a, d, eps) for d, eps in cache[(k, l)])
    family = rules.family
    basis = DiagramBasis(
        family=family.code,
        n=rules.n,
        in_degrees=ins,
        out_degrees=outs,
        terms=terms,
        group=action.name,
        kind=action.kind,
        rep_in=rep_in,
        rep_out=rep_out,
        signature=getattr(family, "signature", None),
    )
    report("checking the diagrams against every generator, matrix-free")
    residual = check_diagram_basis(basis, action)
    return basis._replace(residual=residual, seconds=time.perf_counter() - start)  # type: ignore[return-value]
