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

from ..core import Action, Copies, Dual, Power, Rep, Standard, Sum, Tensor, Trivial
from ..errors import SolverError, VerificationError
from . import _diagrams as dg
from ._basis import Basis
from ._diagram_rank import independent_diagrams, invariant_dimension

FAMILIES = ("S", "O", "SO", "Opq", "SOpq", "Sp")
EPSILON_FAMILIES = ("SO", "SOpq")
SIGNED_FAMILIES = ("Opq", "SOpq")  # the form η = diag(+1 ×p, −1 ×q)
MAX_MATERIALISED = 25_000_000  # entries of W materialised by .sparse/.dense/.tying
MAX_JSON_GENERATORS = 1_000_000  # numbers of generator matrices listed in JSON
LIE_ONE_BY_ONE = 32
CERTIFY_ALL = 2000  # spanning sets up to this size are proved independent mod p as well
CHECK_SAMPLES = 1
FULL_CHECK_WORK = 5e7  # dim · n^max(k,l) · (generators + 1) above which entries are checked


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
    if not action.family or action.family[0] not in FAMILIES:
        return (
            f"the diagram method covers S(n), O(n), SO(n), O(p,q) and Sp(n), not "
            f"{action.name}; use --method auto, orbit, exact or numeric"
        )
    family = action.family[0]
    ins, outs = tensor_degrees(rep_in), tensor_degrees(rep_out)
    if ins is None or outs is None:
        return (
            f"the diagram method needs sums of tensor powers of V (V**k, 1, A + B, c*A), not "
            f"{rep_in} -> {rep_out}"
        )
    if family in EPSILON_FAMILIES:
        n = sum(int(v) for v in action.family[1:])
        if n > dg.MAX_EPSILON_N and any(
            k + l >= n and (k + l - n) % 2 == 0 for k in ins for l in outs
        ):
            return (
                f"{action.name} here needs ε diagrams, whose Levi-Civita operand has {n}^{n} "
                f"entries (the diagram method takes them up to n = {dg.MAX_EPSILON_N}); use "
                f"--method auto or exact"
            )
    if family in SIGNED_FAMILIES + ("Sp",) and (rep_in._has_dual() or rep_out._has_dual()):
        return (
            f"on {action.name} the dual V* is a different representation from V, and the diagram"
            f" method covers tensor powers of V only; use --method auto or exact"
        )
    return None


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
        """The dimension as a function of n, for each block pair (tensor powers)."""
        pairs = sorted({(k, l) for k in self.in_degrees for l in self.out_degrees})
        parts = []
        for k, l in pairs:
            m = k + l
            pair = f"{dg.power_name(k)} -> {dg.power_name(l)}"
            if self.family == "S":
                parts.append(f"{pair}: {dg.partition_count_formula(m)}")
            else:
                count = dg.double_factorial(m - 1) if m % 2 == 0 else 0
                here = invariant_dimension(m, self.n, _walk_family(self.family))
                if self.family == "Sp":
                    parts.append(f"{pair}: {count} for Sp(r), r >= {m}/2; {here} here")
                elif self.family in EPSILON_FAMILIES and m >= self.n and (m - self.n) % 2 == 0:
                    parts.append(f"{pair}: {here} (Brauer and ε diagrams)")
                else:
                    parts.append(f"{pair}: {count} for n >= {m // 2}, {here} here")
        return "; ".join(parts)

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
            from ._basis import _detect_tying

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
            tail = ["tying:   tying pattern", self.pattern_text()]
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

    def to_json(self) -> dict[str, Any]:
        """The JSON contract with ``diagrams``; ``basis`` and ``tying`` only when W is small."""
        small = self.out_dim * self.in_dim * max(self.dim, 1) <= 1_000_000
        out = super().to_json() if small else {**self._summary(), "generators": []}
        if not small:
            out["seconds"] = round(self.seconds, 6)
            out["generators"] = self._generators_json()
        out.update(self._diagram_summary())
        return out

    def _arrays(self) -> dict[str, np.ndarray]:
        from ._basis import FORMAT_VERSION, _checksum

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
    from ._basis import _letters

    return _letters(t)


# ----------------------------------------------------------------- the method
def solve_diagrams(action: Action, rep_in: Rep, rep_out: Rep, report) -> DiagramBasis:
    """The closed-form basis of Hom(IN, OUT) for a diagram family, checked matrix-free."""
    start = time.perf_counter()
    family = action.family[0]
    signature = (
        (int(action.family[1]), int(action.family[2])) if family in SIGNED_FAMILIES else None
    )
    if signature is not None:
        n = sum(signature)
    elif family == "Sp":
        n = 2 * int(action.family[1])
    else:
        n = int(action.family[1])
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


def check_diagram_basis(basis: DiagramBasis, action: Action) -> float:
    """W(g x) = g W(x) for every generator, matrix-free: on whole random vectors while that
    costs at most FULL_CHECK_WORK, else entry by entry (:func:`check_entries`)."""
    n = basis.n
    work = (
        basis.dim * (n ** max(basis.in_degrees + basis.out_degrees)) * (len(action.generators) + 1)
    )
    if work > FULL_CHECK_WORK:
        return check_entries(basis, action)
    rng = np.random.default_rng(0)
    theta = rng.integers(-3, 4, size=basis.dim).astype(np.float64)
    x = rng.integers(-3, 4, size=(CHECK_SAMPLES, basis.in_dim)).astype(np.float64)
    wx = apply_basis(basis, theta, x)
    worst = 0.0
    for name, matrix, kind in _checks(action, rng):
        left = apply_basis(basis, theta, _apply_generator(matrix, kind, basis.in_degrees, x, n))
        right = _apply_generator(matrix, kind, basis.out_degrees, wx, n)
        scale = max(float(np.max(np.abs(left))), float(np.max(np.abs(right))), 1.0)
        err = float(np.max(np.abs(left - right))) / scale if left.size else 0.0
        _require(err, name)
        worst = max(worst, err)
    return worst


def _require(err: float, name: str) -> None:
    if err > 1e-9:
        raise VerificationError(
            f"the diagram basis fails generator {name} (relative error {err:.1e}): a bug"
        )


def _checks(action: Action, rng) -> list[tuple[str, Any, str]]:
    """(name, sparse matrix on V, kind) for every discrete generator, and every Lie generator
    (3 random combinations of them beyond LIE_ONE_BY_ONE)."""
    out = [
        (g.name, g.matrices[0].to_scipy().tocsr(), g.kind)
        for g in action.generators
        if g.kind == "discrete"
    ]
    lie = [(g.name, g.matrices[0].to_scipy().tocsr()) for g in action.generators if g.kind == "lie"]
    if len(lie) <= LIE_ONE_BY_ONE:
        return out + [(name, m, "lie") for name, m in lie]
    coos = [m.tocoo() for _, m in lie]
    rows = np.concatenate([m.row for m in coos])
    cols = np.concatenate([m.col for m in coos])
    owner = np.concatenate([np.full(m.nnz, g) for g, m in enumerate(coos)])
    data = np.concatenate([m.data for m in coos]).astype(np.float64)
    for r in range(3):
        c = rng.standard_normal(len(lie))
        combo = sp.csr_array((data * c[owner], (rows, cols)), shape=coos[0].shape)
        out.append((f"random Lie combination {r}", combo, "lie"))
    return out


def _apply_generator(matrix, kind: str, degrees, x: np.ndarray, n: int):
    """ρ(X) x on a sum of tensor powers: X on every axis (discrete) or Σ over axes (Lie). The
    blocks of one degree are transformed together."""
    out = np.zeros_like(x)
    starts = np.cumsum([0] + [n**k for k in degrees])
    by_degree: dict[int, list[int]] = {}
    for i, k in enumerate(degrees):
        by_degree.setdefault(k, []).append(i)
    for k, blocks in by_degree.items():
        size = n**k
        gather = np.concatenate([np.arange(starts[i], starts[i] + size) for i in blocks])
        block = x[:, gather].reshape((x.shape[0] * len(blocks),) + (n,) * k)
        res = block if (k == 0 and kind == "discrete") else np.zeros_like(block)
        for axis in range(k):
            src = block if kind == "lie" else res if axis else block
            moved = np.moveaxis(src, axis + 1, 0)
            applied = (matrix @ moved.reshape(n, -1)).reshape(moved.shape)
            applied = np.moveaxis(applied, 0, axis + 1)
            res = res + applied if kind == "lie" else applied
        out[:, gather] = res.reshape(x.shape[0], len(blocks) * size)
    return out


# ----------------------------------------------------------------- entry-wise check
def check_entries(basis: DiagramBasis, action: Action, samples: int = 64) -> float:
    """The generator constraints entry by entry, for index pairs (J, I) that realise every
    diagram of every block pair (so every basis element's support is tested) and random ones:
    (W ρ_in(X))[J, I] = (ρ_out(X) W)[J, I] with W[J, I] = Σ_t θ_t B_t[J, I] evaluated from the
    diagrams in O(k + l) per term. Costs O(samples · dim · (k + l) · nnz) instead of n^(k+l)."""
    rng = np.random.default_rng(0)
    n = basis.n
    theta = rng.integers(-3, 4, size=basis.dim).astype(np.float64)
    outs, ins = basis.offsets()
    by_pair: dict[tuple[int, int], list[int]] = {}
    for t, term in enumerate(basis.terms):
        by_pair.setdefault((term.out_block, term.in_block), []).append(t)
    checks = _checks(action, rng)
    worst = 0.0
    for (b, a), idx in by_pair.items():
        k, l = basis.in_degrees[a], basis.out_degrees[b]
        points = [_realise(basis.terms[t], n, rng) for t in idx]
        points += [tuple(rng.integers(0, n, size=k + l)) for _ in range(samples)]
        values = _vectorised_values(basis, idx, theta, l)
        grid = np.array(points, dtype=np.int64).reshape(len(points), k + l)
        for name, matrix, kind in checks:
            mono = _monomial(matrix) if kind == "discrete" else None
            if mono is not None:  # all points at once: W[J, t(I)] s(I) against s(J') W[J', I]
                err = _monomial_error(values, grid, mono, l)
                _require(err, name)
                worst = max(worst, err)
                continue
            csc, csr = sp.csc_array(matrix), sp.csr_array(matrix)
            for point in points:
                left = _constraint_side(values, point, l, k, csc, kind, "in")
                right = _constraint_side(values, point, l, k, csr, kind, "out")
                scale = max(abs(left), abs(right), 1.0)
                err = abs(left - right) / scale
                _require(err, name)
                worst = max(worst, err)
    return worst


def _monomial(matrix) -> tuple[np.ndarray, np.ndarray] | None:
    """(target, sign) with X[target[j], j] = sign[j] (target −1 for a zero column) when every
    column of X has at most one ±1 and no row is hit twice; else None."""
    csc = sp.csc_array(matrix)
    csc.sum_duplicates()
    counts = np.diff(csc.indptr)
    if np.any(counts > 1) or np.any(np.abs(csc.data) != 1):
        return None
    if np.unique(csc.indices).size != csc.indices.size:
        return None
    target = np.full(csc.shape[1], -1, dtype=np.int64)
    sign = np.zeros(csc.shape[1])
    cols = np.repeat(np.arange(csc.shape[1]), counts)
    target[cols] = csc.indices
    sign[cols] = csc.data
    return target, sign


def _vectorised_values(basis: DiagramBasis, idx: list[int], theta: np.ndarray, l: int):
    """A function: index tuples (P, l + k) -> W[J, I] for one block pair, vectorised."""
    diagrams = [basis.terms[t].diagram for t in idx]
    weights = theta[idx]
    m = len(diagrams[0]) if diagrams else 0
    if basis.tensor == "orbit":
        codes = _pattern_codes(np.array(diagrams, dtype=np.int64).reshape(len(diagrams), m))
        order = np.argsort(codes)
        sorted_codes, sorted_weights = codes[order], weights[order]

        def orbit_values(points: np.ndarray) -> np.ndarray:
            codes_here = _pattern_codes(points)
            pos = np.minimum(np.searchsorted(sorted_codes, codes_here), sorted_codes.size - 1)
            return np.where(sorted_codes[pos] == codes_here, sorted_weights[pos], 0.0)

        return orbit_values
    epsilons = [basis.terms[t].epsilon for t in idx]
    forms = basis.forms

    def diagram_values(points: np.ndarray) -> np.ndarray:
        total = np.zeros(points.shape[0])
        for d, eps, w in zip(diagrams, epsilons, weights):
            total += w * dg.brauer_values(d, points, l, forms, eps)
        return total

    return diagram_values


def _pattern_codes(points: np.ndarray) -> np.ndarray:
    """An integer per row naming its equality pattern (the first position holding each value)."""
    m = points.shape[1]
    if m == 0:
        return np.zeros(points.shape[0], dtype=np.int64)
    first = np.argmax(points[:, :, None] == points[:, None, :], axis=2)  # (P, m)
    return first @ (m ** np.arange(m - 1, -1, -1, dtype=np.int64))


def _monomial_error(values, grid: np.ndarray, mono, l: int) -> float:
    target, sign = mono
    inverse = np.full(target.size, -1, dtype=np.int64)
    hit = target >= 0
    inverse[target[hit]] = np.nonzero(hit)[0]
    outs, ins = grid[:, :l], grid[:, l:]
    moved_in = target[ins]
    ok_in = np.all(moved_in >= 0, axis=1)
    left = values(np.concatenate([outs, np.where(moved_in >= 0, moved_in, 0)], axis=1))
    left = np.where(ok_in, left * np.prod(sign[ins], axis=1), 0.0)
    back = inverse[outs]
    ok_out = np.all(back >= 0, axis=1)
    safe = np.where(back >= 0, back, 0)
    right = values(np.concatenate([safe, ins], axis=1))
    right = np.where(ok_out, right * np.prod(sign[safe], axis=1), 0.0)
    scale = max(
        float(np.max(np.abs(left), initial=0)), float(np.max(np.abs(right), initial=0)), 1.0
    )
    return float(np.max(np.abs(left - right), initial=0)) / scale


def _realise(term: DiagramTerm, n: int, rng) -> tuple:
    """An index tuple on which the term's tensor is nonzero where one exists: distinct values
    per block (for a partition), a permutation on the ε block, the forms' partners on pairs."""
    diagram = term.diagram
    nb = max(diagram) + 1 if diagram else 0
    values = rng.choice(n, size=nb, replace=False) if nb <= n else rng.integers(0, n, size=nb)
    point = [int(values[b]) for b in diagram]
    if term.epsilon >= 0:
        perm = rng.permutation(n)
        for i, p in enumerate(p for p in range(len(diagram)) if diagram[p] == term.epsilon):
            point[p] = int(perm[i])
    return tuple(point)


def _constraint_side(values, point: tuple, l: int, k: int, matrix, kind: str, side: str) -> float:
    """(W ρ_in(X))[J, I] (side "in") or (ρ_out(X) W)[J, I] (side "out") for (J, I) = point,
    with ``values`` the vectorised entries of W.

    Discrete X acts on every axis of its side at once (ρ = X⊗...⊗X): the sum runs over the
    product of the nonzeros of the columns (in) or rows (out) involved. A Lie X acts on one
    axis at a time (dρ = Σ_axes I⊗..⊗X⊗..⊗I)."""
    axes = range(l, l + k) if side == "in" else range(l)

    def nonzeros(axis: int):
        i = point[axis]  # column i of X (csc, side "in") or row i of X (csr, side "out")
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        return matrix.indices[lo:hi], matrix.data[lo:hi]

    if kind == "lie":
        combos = []
        for axis in axes:
            for c, v in zip(*nonzeros(axis)):
                combos.append((point[:axis] + (int(c),) + point[axis + 1 :], float(v)))
    else:
        combos = [(point, 1.0)]
        for axis in axes:
            nxt = []
            for idx, w in combos:
                for c, v in zip(*nonzeros(axis)):
                    nxt.append((idx[:axis] + (int(c),) + idx[axis + 1 :], w * float(v)))
            combos = nxt
    if not combos:
        return 0.0
    grid = np.array([idx for idx, _ in combos], dtype=np.int64).reshape(len(combos), len(point))
    return float(np.dot(np.array([w for _, w in combos]), values(grid)))
