"""A diagram basis in JSON and in .npz files: the diagrams and n, never W.

JSON: the contract's keys (``basis`` and ``tying`` only while W can be listed, ``omitted``
saying what is left out and why) and ``family``, ``signature``, ``n``, ``tensor``, the degrees,
``diagrams``, ``diagram_blocks`` and ``epsilon_blocks``. File: ``meta`` (with ``diagram_blocks``,
which tells a diagram file from a coefficient file), ``diagram_points``, ``diagram_sizes``,
``diagram_epsilon`` and the checksum; a loaded file is validated (shapes, ranges, restricted
growth strings, blocks its family lists).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ...core import Rep
from .._basis_io import basis_json, summary
from .._basis_io import generators_json as _listed_generators
from ._enumerate import Diagram, blocks, canonical

MAX_JSON_GENERATORS = 1_000_000  # numbers of generator matrices listed in JSON
FAMILIES = ("S", "O", "SO", "Opq", "SOpq", "Sp")
EPSILON_FAMILIES = ("SO", "SOpq")


def generators_json(basis) -> list[dict[str, Any]]:
    """Names and kinds; the matrices too unless they would list over MAX_JSON_GENERATORS
    numbers (then "in" and "out" are null: the diagrams say everything at any n)."""
    if not isinstance(basis.rep_in, Rep) or not isinstance(basis.rep_out, Rep):
        return []
    count = len(basis.rep_in.action.generators) * (basis.in_dim**2 + basis.out_dim**2)
    if count <= MAX_JSON_GENERATORS:
        return _listed_generators(basis)
    return [
        {"name": g.name, "kind": g.kind, "in": None, "out": None}
        for g in basis.rep_in.action.generators
    ]


def diagram_summary(basis) -> dict[str, Any]:
    return {
        "family": basis.family,
        "signature": None if basis.signature is None else list(basis.signature),
        "n": basis.n,
        "tensor": basis.tensor,
        "in_degrees": list(basis.in_degrees),
        "out_degrees": list(basis.out_degrees),
        "diagrams": basis.diagrams,
        "diagram_blocks": [[t.out_block, t.in_block] for t in basis.terms],
        "epsilon_blocks": [t.epsilon if t.epsilon >= 0 else None for t in basis.terms],
    }


def diagram_json(basis, full: bool = False) -> dict[str, Any]:
    """The JSON contract with ``diagrams``; ``basis`` and ``tying`` as for any basis (see
    ``solver._json``), ``tying`` only while W can be materialised, and ``omitted`` saying
    what is left out and why."""
    out = basis_json(basis, full)
    if any(g["in"] is None for g in out["generators"]):
        out.setdefault("omitted", {})["generators"] = (
            f"the generator matrices would list over {MAX_JSON_GENERATORS:.0e} numbers "
            f"(in and out are null); no flag lists them: the diagrams and n describe the "
            f"basis, `intertwine info` the action"
        )
    out.update(diagram_summary(basis))
    return out


def diagram_arrays(basis) -> dict[str, np.ndarray]:
    from .._basis import FORMAT_VERSION, _checksum

    meta = {
        "version": FORMAT_VERSION,
        **summary(basis),
        **{
            k: v
            for k, v in diagram_summary(basis).items()
            if k not in ("diagrams", "epsilon_blocks")
        },
        "seconds": basis.seconds,
        "residual": basis.residual,
    }
    points = [p for t in basis.terms for p in t.diagram]
    arrays = {
        "meta": np.array(json.dumps(meta)),
        "diagram_points": np.array(points, dtype=np.int64),
        "diagram_sizes": np.array([len(t.diagram) for t in basis.terms], dtype=np.int64),
        "diagram_epsilon": np.array([t.epsilon for t in basis.terms], dtype=np.int64),
    }
    arrays["checksum"] = np.array(_checksum(arrays))
    return arrays


def from_arrays(meta: dict, arrays: dict, rep_in, rep_out) -> Any:
    """Rebuild from a saved file's arrays (validated: shapes, ranges, restricted growth)."""
    from ._value import DiagramBasis, DiagramTerm

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
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 64 for d in ins + outs):
        raise ValueError("tensor degrees are not integers from 0 to 64")
    for key in ("group", "kind", "in", "out"):
        if not isinstance(meta.get(key), str):
            raise ValueError(f"metadata field {key!r} is missing or not text")
    if not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(v, int) for v in p) for p in pairs
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
        if canonical(diagram) != diagram:
            raise ValueError("a diagram is not a restricted growth string")
        _validate_blocks(diagram, int(eps), meta["family"], n)
        terms.append(DiagramTerm(int(b), int(a), diagram, int(eps)))

    return DiagramBasis(
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


def _validate_blocks(diagram: Diagram, eps: int, family: str, n: int) -> None:
    """A saved diagram must be one its family lists: any partition for S(n); pairs, and one
    ε block of n points for SO(n) only, for the others."""
    if family == "S":
        if eps != -1:
            raise ValueError("a partition diagram has no ε block")
        return
    blks = blocks(diagram)
    fits = family in EPSILON_FAMILIES and 0 <= eps < len(blks) and len(blks[eps]) == n
    if eps != -1 and not fits:
        raise ValueError("a diagram's ε block does not fit its family")
    if any(len(blk) != 2 for i, blk in enumerate(blks) if i != eps):
        raise ValueError("a Brauer diagram has a block that is not a pair")
