"""The diagram method: bases for S(n), O(n), SO(n), O(p,q), SO(p,q), Sp(n) read off diagrams,
with nothing of size n^(k+l).

For an action of a known family (``Action.family``: ("S", n), ("O", n), ("SO", n), ("Opq", p, q),
("SOpq", p, q) or ("Sp", r)) and reps that are sums of tensor powers of V (``1``, ``V``,
``V**k``, ``V*V``, ``c*A``, ``A + B``; ``V*`` too for S(n), O(n) and SO(n), whose V* equals V),
Hom(IN, OUT) is the direct sum over block pairs of Hom(V^⊗k, V^⊗l), and each summand has the
closed-form basis of ``_diagrams``: orbit tensors O_π of the set partitions with at most n
blocks for S(n); for the others the Brauer diagrams with the family's invariant form on pairs
(δ; η = diag(+1 ×p, −1 ×q); J and −J), and for SO(n), SO(p,q) the ε diagrams too where
k + l ≥ n and k + l − n is even (Brauer 1937; Pearce-Crump 2023). Where these span a space of
smaller dimension (small n), ``_diagram_rank`` certifies the dimension and picks an independent
subset of that size. Conjugating by S = diag(1 ×p, i ×q) maps O(p+q) and SO(p+q) to O(p,q) and
SO(p,q) over C and their tensors to the η-weighted ones up to nonzero constants (s_j² = η_jj on
an output pair, s_i⁻² = η_ii on an input pair, s_j s_i⁻¹ = 1 across), so the subset chosen for
the definite form is independent and spans for the indefinite one.

The result is a :class:`DiagramBasis`: it holds the diagrams and n, materialises ``.sparse``,
``.dense`` and ``.tying`` only on request (refusing clearly when too large), and is checked
before it is returned, matrix-free at any n: W(g·x) = g·W(x) for every discrete generator g and
W(A·x) = A·W(x) for the Lie generators A, on random integer θ and x in float64 (exact while the
integers stay below 2^53, to a relative 1e-9 beyond). With more than 32 Lie generators the check
uses 3 random Gaussian combinations of them: the constraint is linear in A, so a map that fails
some generator fails a random combination with probability 1.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from math import factorial
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...core import Action, Orthogonal, Copies, Dual, Power, Rep, Standard, Sum, Tensor, Trivial
from ...errors import SolverError
from .._basis import Basis
from . import _tensors as dg
from ._rank import independent_diagrams, invariant_dimension

FAMILIES = ("S", "O", "SO", "Opq", "SOpq", "Sp")
EPSILON_FAMILIES = ("SO", "SOpq")
SIGNED_FAMILIES = ("Opq", "SOpq")  # the form η = diag(+1 ×p, −1 ×q)
MAX_MATERIALISED = 25_000_000  # entries of W materialised by .sparse/.dense/.tying
MAX_JSON_GENERATORS = 1_000_000  # numbers of generator matrices listed in JSON
CERTIFY_ALL = 2000  # spanning sets up to this size are proved independent mod p as well


@dataclass(frozen=True)
class DiagramTerm:
    """One basis element: a diagram from input block ``in_block`` to output block ``out_block``
    (``epsilon``: the label of its ε block, −1 when it has none)."""

    out_block: int
    in_block: int
    diagram: dg.Diagram
    epsilon: int = -1


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
    if action.family is None or action.family.code not in FAMILIES:
        return (
            f"the diagram method covers S(n), O(n), SO(n), O(p,q) and Sp(n), not "
            f"{action.name}; use --method auto, orbit, exact or numeric"
        )
    family = action.family.code
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    if ins is None or outs is None:
        return (
            f"the diagram method needs sums of tensor powers of V (V**k, 1, A + B, c*A), not "
            f"{rep_in} -> {rep_out}"
        )
    if family in EPSILON_FAMILIES:
        n = action.family.dimension
        if n > dg.MAX_EPSILON_N and any(
            k + l >= n and (k + l - n) % 2 == 0 for k in ins for l in outs
        ):
            return _epsilon_refusal(action, rep_in, rep_out, n, ins, outs)
    if family in SIGNED_FAMILIES + ("Sp",) and (rep_in._has_dual() or rep_out._has_dual()):
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
        f"has {n}^{n} entries (the diagram method takes them up to n = {dg.MAX_EPSILON_N}), and "
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


class DiagramBasis(Basis):
    """A basis given by diagrams and n: ``diagrams`` and ``terms`` at any n, the coefficient
    matrix only on request.

    >>> import intertwine as it
    >>> b = it.solve("S(1000)", "V**2", "V**2")
    >>> b.dim, b.method, b.exact, b.n
    (15, 'diagram', True, 1000)
    """

    family: str
    signature: tuple[int, int] | None
    n: int
    in_degrees: tuple[int, ...]
    out_degrees: tuple[int, ...]
    terms: tuple[DiagramTerm, ...]
    _lazy: dict

    def __init__(
        self,
        *,
        family: str,
        n: int,
        in_degrees,
        out_degrees,
        terms,
        group: str,
        kind: str,
        rep_in: Rep | str,
        rep_out: Rep | str,
        seconds: float = 0.0,
        residual: float = 0.0,
        signature: tuple[int, int] | None = None,
    ):
        if family in SIGNED_FAMILIES and (signature is None or sum(signature) != int(n)):
            raise SolverError("an O(p,q) diagram basis needs its signature (p, q) with p + q = n")
        fields: dict[str, Any] = {
            "family": family,
            "signature": None if signature is None else (int(signature[0]), int(signature[1])),
            "n": int(n),
            "in_degrees": tuple(int(d) for d in in_degrees),
            "out_degrees": tuple(int(d) for d in out_degrees),
            "terms": tuple(terms),
            "exact": True,
            "method": "diagram",
            "group": group,
            "kind": kind,
            "rep_in": rep_in,
            "rep_out": rep_out,
            "seconds": float(seconds),
            "residual": float(residual),
            "_lazy": {},
        }
        fields["in_dim"] = sum(int(n) ** d for d in fields["in_degrees"])
        fields["out_dim"] = sum(int(n) ** d for d in fields["out_degrees"])
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    # ----------------------------------------------------------------- facts at any n
    @property
    def dim(self) -> int:
        return len(self.terms)

    @property
    def tensor(self) -> str:
        """ "orbit" (O_π, disjoint supports: S(n)), "diagram" (Brauer D_β, and ε diagrams for
        SO(n)), "form" (Brauer with η on input pairs and output pairs: O(p,q)) or "symplectic"
        (Brauer with J on input pairs and −J on output pairs: Sp)."""
        tensors = {"S": "orbit", "O": "diagram", "SO": "diagram", "Sp": "symplectic"}
        return tensors.get(self.family, "form")

    @property
    def forms(self) -> dg.Forms:
        """The monomial forms on pairs of two inputs and of two outputs (see ``_diagrams``)."""
        return dg.forms_for(self.family, self.n, self.signature)

    @property
    def eta(self) -> np.ndarray | None:
        """diag(η) = (+1 ×p, −1 ×q) for O(p,q), else None."""
        if self.signature is None:
            return None
        p, q = self.signature
        return np.array([1.0] * p + [-1.0] * q)

    @property
    def diagrams(self) -> list[list[list[int]]]:
        """Each basis element as its list of blocks over the points (outputs 0..l−1, inputs
        l..l+k−1 of its block pair)."""
        return [dg.blocks(t.diagram) for t in self.terms]

    def offsets(self) -> tuple[list[int], list[int]]:
        n = self.n
        ins = np.cumsum([0] + [n**k for k in self.in_degrees]).tolist()
        outs = np.cumsum([0] + [n**k for k in self.out_degrees]).tolist()
        return outs, ins

    def norms2(self) -> np.ndarray:
        """‖B_t‖²_F for every basis element, by counting (no entries listed)."""
        out = []
        for t in self.terms:
            nb = max(t.diagram) + 1 if t.diagram else 0
            if self.tensor == "orbit":  # distinct values on the blocks: n!/(n - nb)!
                count = 1
                for i in range(nb):
                    count *= self.n - i
            elif t.epsilon >= 0:  # a permutation on the ε block, a free index per pair
                count = factorial(self.n) * self.n ** (nb - 1)
            else:
                count = self.n**nb
            out.append(float(count))
        return np.array(out)

    def dimension_text(self) -> str:
        """The dimension as a function of n for each block pair: its value for every n
        (certified walk counts, ``_every_n``), not only this one."""
        from ._every_n import EveryN

        pairs = sorted({(k, l) for k in self.in_degrees for l in self.out_degrees})
        parts = []
        for k, l in pairs:
            pair = f"{dg.power_name(k)} -> {dg.power_name(l)}"
            if self.family == "S":
                parts.append(f"{pair}: {dg.partition_count_formula(k + l)}")
                continue
            text = EveryN(_walk_family(self.family), "", "", "", (k,), (l,)).dimension_text()
            if self.family in SIGNED_FAMILIES:  # O(p,q) has O(p + q)'s dimensions
                text = text.replace("n >=", "p + q >=").replace("n =", "p + q =")
            parts.append(f"{pair}: {text}")
        return " | ".join(parts)

    # ----------------------------------------------------------------- materialised on request
    def _refuse_if_large(self) -> None:
        size = self.out_dim * self.in_dim
        if size > MAX_MATERIALISED:
            raise SolverError(
                f"{self.group}: this basis acts on W with {size:.3g} entries, too many to "
                f"list; use .diagrams, or the layers, which apply the diagrams without W"
            )

    @property
    def dense(self) -> np.ndarray:
        self._refuse_if_large()
        return super().dense

    @property  # type: ignore[override]
    def coefficients(self) -> sp.csr_array:
        """The dim × (out·in) coefficient matrix, listed from the diagrams (refused when W has
        more than MAX_MATERIALISED entries)."""
        if "coefficients" not in self._lazy:
            self._refuse_if_large()
            size = self.out_dim * self.in_dim
            outs, ins = self.offsets()
            rows, cols, vals = [], [], []
            forms = self.forms
            for t, term in enumerate(self.terms):
                k, l = self.in_degrees[term.in_block], self.out_degrees[term.out_block]
                if self.tensor == "orbit":
                    entries = dg.orbit_entries(term.diagram, k, l, self.n)
                    signs = np.ones(entries.size)
                else:
                    entries, signs = dg.brauer_entries(
                        term.diagram, k, l, self.n, forms, term.epsilon
                    )
                j, i = np.divmod(entries, self.n**k)
                cols.append((outs[term.out_block] + j) * self.in_dim + ins[term.in_block] + i)
                rows.append(np.full(entries.size, t, dtype=np.int64))
                vals.append(signs.astype(np.int64))
            r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
            c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
            v = np.concatenate(vals) if vals else np.zeros(0, np.int64)
            m = sp.csr_array((v, (r, c)), shape=(self.dim, size))
            for arr in (m.data, m.indices, m.indptr):
                arr.flags.writeable = False
            self._lazy["coefficients"] = m
        return self._lazy["coefficients"]

    @property  # type: ignore[override]
    def _tying(self):
        if "tying" not in self._lazy:
            from .._basis import _detect_tying

            tying = _detect_tying(self.coefficients)
            if tying is not None:
                for arr in tying:
                    arr.flags.writeable = False
            self._lazy["tying"] = tying
        return self._lazy["tying"]

    # ----------------------------------------------------------------- text, JSON, files
    def diagram_text(self, limit: int = 60) -> str:
        lines = [f"diagrams ({self.tensor} tensors, n = {self.n}; {self.dimension_text()}):"]
        many = len(self.in_degrees) > 1 or len(self.out_degrees) > 1
        for t, term in enumerate(self.terms[:limit]):
            k, l = self.in_degrees[term.in_block], self.out_degrees[term.out_block]
            where = f" (out block {term.out_block} <- in block {term.in_block})" if many else ""
            drawing = dg.draw(term.diagram, k, l, term.epsilon)
            lines.append(f"  {_name(t):>3}: {drawing:<28} {dg.blocks(term.diagram)}{where}")
        if self.dim > limit:
            lines.append(f"  ... and {self.dim - limit} more")
        return "\n".join(lines)

    def to_text(self, max_pattern: int = 30) -> str:
        head = [
            f"group:   {self.group} ({self.kind})",
            f"map:     {self.rep_in} ({self.in_dim}) -> {self.rep_out} ({self.out_dim})",
            f"dim:     {self.dim}",
            "method:  diagram (exact, valid for every n)",
            f"time:    {self.seconds:.3f} s",
        ]
        tail = []
        if self.out_dim <= max_pattern and self.in_dim <= max_pattern and self._tying is not None:
            kind = "tying pattern" if self.tying is not None else "signed tying pattern"
            tail = [f"tying:   {kind}", self.pattern_text()]
        return "\n".join(head + [self.diagram_text()] + tail)

    def __repr__(self) -> str:
        return (
            f"DiagramBasis(dim={self.dim}, {self.group}: {self.rep_in} -> {self.rep_out}, "
            f"{self.out_dim}x{self.in_dim}, {self.tensor} tensors, n={self.n})"
        )

    def _generators_json(self) -> list[dict[str, Any]]:
        """Names and kinds; the matrices too unless they would list over MAX_JSON_GENERATORS
        numbers (then "in" and "out" are null: the diagrams say everything at any n)."""
        if not isinstance(self.rep_in, Rep) or not isinstance(self.rep_out, Rep):
            return []
        count = len(self.rep_in.action.generators) * (self.in_dim**2 + self.out_dim**2)
        if count <= MAX_JSON_GENERATORS:
            return super()._generators_json()
        return [
            {"name": g.name, "kind": g.kind, "in": None, "out": None}
            for g in self.rep_in.action.generators
        ]

    def _diagram_summary(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "signature": None if self.signature is None else list(self.signature),
            "n": self.n,
            "tensor": self.tensor,
            "in_degrees": list(self.in_degrees),
            "out_degrees": list(self.out_degrees),
            "diagrams": self.diagrams,
            "diagram_blocks": [[t.out_block, t.in_block] for t in self.terms],
            "epsilon_blocks": [t.epsilon if t.epsilon >= 0 else None for t in self.terms],
        }

    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The JSON contract with ``diagrams``; ``basis`` and ``tying`` as for any basis (see
        ``solver._json``), ``tying`` only while W can be materialised, and ``omitted`` saying
        what is left out and why."""
        out = super().to_json(full)
        if any(g["in"] is None for g in out["generators"]):
            out.setdefault("omitted", {})["generators"] = (
                f"the generator matrices would list over {MAX_JSON_GENERATORS:.0e} numbers "
                f"(in and out are null); no flag lists them: the diagrams and n describe the "
                f"basis, `intertwine info` the action"
            )
        out.update(self._diagram_summary())
        return out

    def _w_listable(self) -> bool:
        return self.out_dim * self.in_dim <= MAX_MATERIALISED

    def _arrays(self) -> dict[str, np.ndarray]:
        from .._basis import FORMAT_VERSION, _checksum

        meta = {
            "version": FORMAT_VERSION,
            **self._summary(),
            **{
                k: v
                for k, v in self._diagram_summary().items()
                if k not in ("diagrams", "epsilon_blocks")
            },
            "seconds": self.seconds,
            "residual": self.residual,
        }
        points = [p for t in self.terms for p in t.diagram]
        arrays = {
            "meta": np.array(json.dumps(meta)),
            "diagram_points": np.array(points, dtype=np.int64),
            "diagram_sizes": np.array([len(t.diagram) for t in self.terms], dtype=np.int64),
            "diagram_epsilon": np.array([t.epsilon for t in self.terms], dtype=np.int64),
        }
        arrays["checksum"] = np.array(_checksum(arrays))
        return arrays

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict, rep_in, rep_out) -> DiagramBasis:
        """Rebuild from a saved file's arrays (validated: shapes, ranges, restricted growth)."""
        sizes = arrays["diagram_sizes"].astype(np.int64)
        points = arrays["diagram_points"].astype(np.int64)
        epsilons = arrays.get("diagram_epsilon", np.full(sizes.shape, -1)).astype(np.int64)
        if epsilons.shape != sizes.shape:
            raise ValueError("diagram ε labels do not fit the diagrams")
        pairs = meta["diagram_blocks"]
        if sizes.ndim != 1 or points.ndim != 1 or int(sizes.sum()) != points.size:
            raise ValueError("diagram arrays do not fit together")
        if len(pairs) != sizes.size or meta["family"] not in FAMILIES:
            raise ValueError("diagram metadata does not fit the arrays")
        ins, outs = list(meta["in_degrees"]), list(meta["out_degrees"])
        n = meta.get("n")
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10**7:
            raise ValueError("metadata field 'n' is not a positive integer")
        if not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 64 for d in ins + outs
        ):
            raise ValueError("tensor degrees are not integers from 0 to 64")
        for key in ("group", "kind", "in", "out"):
            if not isinstance(meta.get(key), str):
                raise ValueError(f"metadata field {key!r} is missing or not text")
        if not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, int) for v in p)
            for p in pairs
        ):
            raise ValueError("diagram block pairs are not pairs of integers")
        if sizes.size and (sizes.min() < 0 or points.min(initial=0) < 0):
            raise ValueError("diagram arrays have negative entries")
        terms, start = [], 0
        for (b, a), size, eps in zip(pairs, sizes, epsilons.tolist()):
            diagram = tuple(int(p) for p in points[start : start + size])
            start += size
            if not (0 <= a < len(ins) and 0 <= b < len(outs)) or size != ins[a] + outs[b]:
                raise ValueError("a diagram does not fit its block pair")
            if dg.canonical(diagram) != diagram:
                raise ValueError("a diagram is not a restricted growth string")
            _validate_blocks(diagram, int(eps), meta["family"], n)
            terms.append(DiagramTerm(int(b), int(a), diagram, int(eps)))
        return cls(
            family=meta["family"],
            n=int(meta["n"]),
            in_degrees=ins,
            out_degrees=outs,
            terms=terms,
            group=meta["group"],
            kind=meta["kind"],
            rep_in=rep_in if rep_in is not None else meta["in"],
            rep_out=rep_out if rep_out is not None else meta["out"],
            seconds=meta["seconds"],
            residual=meta["residual"],
            signature=None if meta.get("signature") is None else tuple(meta["signature"]),
        )


def _validate_blocks(diagram: dg.Diagram, eps: int, family: str, n: int) -> None:
    """A saved diagram must be one its family lists: any partition for S(n); pairs, and one
    ε block of n points for SO(n) only, for the others."""
    if family == "S":
        if eps != -1:
            raise ValueError("a partition diagram has no ε block")
        return
    blks = dg.blocks(diagram)
    fits = family in EPSILON_FAMILIES and 0 <= eps < len(blks) and len(blks[eps]) == n
    if eps != -1 and not fits:
        raise ValueError("a diagram's ε block does not fit its family")
    if any(len(blk) != 2 for i, blk in enumerate(blks) if i != eps):
        raise ValueError("a Brauer diagram has a block that is not a pair")


def _walk_family(family: str) -> str:
    return {"Opq": "O", "SOpq": "SO"}.get(family, family)


def _name(t: int) -> str:
    from .._basis import _letters

    return _letters(t)


# ----------------------------------------------------------------- the method
def solve_diagrams(action: Action, rep_in: Rep, rep_out: Rep, report) -> DiagramBasis:
    """The closed-form basis of Hom(IN, OUT) for a diagram family, checked matrix-free."""
    start = time.perf_counter()
    assert action.family is not None
    family = action.family.code
    signature = action.family.signature if isinstance(action.family, Orthogonal) else None
    n = action.family.dimension
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    assert ins is not None and outs is not None
    report(f"diagram stage: {action.name} on {len(ins)} x {len(outs)} block pairs")
    cache: dict[tuple[int, int], list[tuple[dg.Diagram, int]]] = {}
    terms: list[DiagramTerm] = []
    for b, l in enumerate(outs):
        for a, k in enumerate(ins):
            if (k, l) not in cache:
                cache[(k, l)] = diagrams_for(family, n, k, l, report)
            terms.extend(DiagramTerm(b, a, d, eps) for d, eps in cache[(k, l)])
    basis = DiagramBasis(
        family=family,
        n=n,
        in_degrees=ins,
        out_degrees=outs,
        terms=terms,
        group=action.name,
        kind=action.kind,
        rep_in=rep_in,
        rep_out=rep_out,
        signature=signature,
    )
    from ._check import check_diagram_basis

    report("checking the diagrams against every generator, matrix-free")
    residual = check_diagram_basis(basis, action)
    return basis._replace(residual=residual, seconds=time.perf_counter() - start)  # type: ignore[return-value]


def diagrams_for(family: str, n: int, k: int, l: int, report=None) -> list[tuple[dg.Diagram, int]]:
    """(diagram, ε label) for a basis of Hom(V^⊗k, V^⊗l): every partition with at most n blocks
    for S(n); else the spanning diagrams (Brauer, then ε for SO(n)), all of them when their
    number is the certified dimension, else an independent subset of that size."""
    m = k + l
    if family == "S":
        return [(d, -1) for d in dg.set_partitions(m, n)]
    spanning = [(d, -1) for d in dg.perfect_matchings(m)]
    if family in EPSILON_FAMILIES:
        spanning += dg.epsilon_diagrams(m, n)
    target = invariant_dimension(m, n, _walk_family(family))
    if len(spanning) == target and (len(spanning) > CERTIFY_ALL or not spanning):
        return spanning  # a spanning set of the dimension's size (independence by the theorem)
    if report is not None:
        report(f"V^{k} -> V^{l}: {target} independent among {len(spanning)} diagrams (mod p)")
    evaluations = []
    for d, eps in spanning:
        blks = dg.blocks(d)
        pairs = [(blk[0], blk[1]) for i, blk in enumerate(blks) if i != eps]
        evaluations.append((pairs, tuple(blks[eps]) if eps >= 0 else ()))
    keep = independent_diagrams(evaluations, _walk_family(family), n, target, report)
    return [spanning[i] for i in sorted(keep)]


# ----------------------------------------------------------------- the matrix-free check
@dataclass(frozen=True)
class DiagramClass:
    """The block pairs of a diagram basis that share degrees k → l and diagrams: applied as one,
    the input blocks as extra input channels and the output blocks as extra output channels.
    ``terms[b, a, s]`` is the basis element of diagram s from ``in_blocks[a]`` to
    ``out_blocks[b]`` (``dim`` where that pair has none)."""

    k: int
    l: int
    parts: tuple[tuple[dg.Diagram, int], ...]  # (diagram, ε label)
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
            phi = phi @ dg.mobius_matrix([d for d, _ in cls.parts])
        gather = np.concatenate([np.arange(ins[a], ins[a + 1]) for a in cls.in_blocks])
        xa = x[:, gather].reshape(x.shape[0], len(cls.in_blocks), n**k)
        steps = [dg.reduce_plan(d, k, l, n, eps) for d, eps in cls.parts]
        ya = dg.apply_steps(steps, phi, xa, n, k, l, forms=forms)
        scatter = np.concatenate([np.arange(outs[b], outs[b + 1]) for b in cls.out_blocks])
        y[:, scatter] += ya.reshape(x.shape[0], -1)
    return y
