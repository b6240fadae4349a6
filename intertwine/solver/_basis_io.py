"""A basis as JSON (the CLI contract of DESIGN.md) and as an .npz file (no pickles; checksummed).

The saved file is ``meta`` (JSON text), the arrays of the basis and a SHA-256 ``checksum`` over
all of them. A coefficient basis stores CSR ``indptr``, ``indices``, ``data`` (and
``exact_values`` for integers beyond 64 bits); a diagram basis stores its diagrams
(``diagram_blocks`` in ``meta``: see ``diagrams._io``). :func:`load_basis` reads either.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..core import Rep
from ..errors import IntertwineError

FORMAT_VERSION = 1


def basis_json(basis, full: bool = False) -> dict[str, Any]:
    """The JSON object of the CLI contract (see DESIGN.md): ``basis`` up to 10^6 numbers
    (``full``: up to 5·10^7), ``tying`` whenever W can be listed, and ``omitted`` naming
    every key left out with the reason and the flag (sizes: ``solver._json``).

    Raises SolverError (before listing anything) when ``full`` asks for more than 5·10^7
    numbers.

    >>> import intertwine as it
    >>> out = it.solve("S(20)", "V**2", "V**2").to_json()
    >>> len(out["tying"]), "basis" in out, sorted(out["omitted"])
    (400, False, ['basis'])
    """
    from ._json import listing

    plan = listing(
        basis.dim, basis.out_dim, basis.in_dim, full=full, w_listable=basis._w_listable()
    )
    out: dict[str, Any] = {**summary(basis), "generators": basis._generators_json()}
    if plan.basis:
        out["basis"] = json_matrices(basis)
    if plan.tying:
        tying, signed = basis.tying, basis.signed_tying
        out["tying"] = None if tying is None else tying.tolist()
        out["signed_tying"] = (
            None if signed is None else {"indices": signed[0].tolist(), "signs": signed[1].tolist()}
        )
    out["seconds"] = round(basis.seconds, 6)
    if plan.omitted:
        out["omitted"] = dict(plan.omitted)
    return out


def json_matrices(basis) -> list:
    """The basis matrices as nested lists (exact integers of any size where held)."""
    if basis.exact_values is not None:  # integers of any size, exactly
        rows: list[list[int]] = [[0] * (basis.out_dim * basis.in_dim) for _ in range(basis.dim)]
        coo = basis.coefficients.tocoo()
        order = np.lexsort((coo.col, coo.row))
        for (r, c), v in zip(zip(coo.row[order], coo.col[order]), basis.exact_values):
            rows[int(r)][int(c)] = v
        return [
            [row[i : i + basis.in_dim] for i in range(0, len(row), basis.in_dim)] for row in rows
        ]
    dense = basis.coefficients.toarray()
    return [
        m.reshape(basis.shape).tolist() for m in (dense.astype(np.int64) if basis.exact else dense)
    ]


def generators_json(basis) -> list[dict[str, Any]]:
    """Each generator's name, kind and matrices on IN and OUT (the JSON ``generators``)."""
    gens = []
    if isinstance(basis.rep_in, Rep) and isinstance(basis.rep_out, Rep):
        for g, a, b in zip(
            basis.rep_in.action.generators, basis.rep_in.generators, basis.rep_out.generators
        ):
            gens.append({"name": g.name, "kind": g.kind, "in": a.tolist(), "out": b.tolist()})
    return gens


def summary(basis) -> dict[str, Any]:
    """The facts shared by the JSON output and the saved file's metadata."""
    return {
        "group": basis.group,
        "kind": basis.kind,
        "in": str(basis.rep_in),
        "out": str(basis.rep_out),
        "in_dim": basis.in_dim,
        "out_dim": basis.out_dim,
        "dim": basis.dim,
        "method": basis.method,
        "exact": basis.exact,
        "lower_bound": basis.lower_bound,
        "rank_gap": None if basis.rank_gap is None else basis.rank_gap.to_json(),
    }


def save_basis(basis, path) -> None:
    """Write an .npz file (no pickles): the coefficients, metadata and a checksum."""
    arrays = basis._arrays()
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]


def basis_arrays(basis) -> dict[str, np.ndarray]:
    """The arrays of a coefficient basis's saved file, checksum included."""
    c = basis.coefficients
    meta = {
        "version": FORMAT_VERSION,
        **summary(basis),
        "shape": list(c.shape),
        "seconds": basis.seconds,
        "residual": basis.residual,
    }
    arrays = {
        "meta": np.array(json.dumps(meta)),
        "indptr": c.indptr.astype(np.int64),
        "indices": c.indices.astype(np.int64),
        "data": c.data.astype(
            np.int64 if basis.exact and basis.exact_values is None else np.float64
        ),
    }
    if basis.exact_values is not None:
        from ._bigint import encode

        arrays["exact_values"] = encode(basis.exact_values)
    arrays["checksum"] = np.array(_checksum(arrays))
    return arrays


def load_basis(path, rep_in: Rep | None = None, rep_out: Rep | None = None) -> Any:
    """A :class:`~intertwine.solver.Basis` or a diagram basis from a file written by its
    ``save`` (the metadata key ``diagram_blocks`` tells them apart); a damaged file raises
    IntertwineError."""
    from ._basis import Basis

    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        want = str(arrays.pop("checksum"))
        if _checksum(arrays) != want:
            raise ValueError("checksum mismatch")
        meta = json.loads(str(arrays["meta"]))
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"format version {meta.get('version')}")
        if "diagram_blocks" in meta:
            from .diagrams import DiagramBasis

            return DiagramBasis.from_arrays(meta, arrays, rep_in, rep_out)
        coeffs = _validated_coefficients(meta, arrays)
        exact_values = _exact_values(arrays, coeffs)
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
    ) as exc:
        raise IntertwineError(
            f"{path}: not a valid intertwine basis file ({exc}); solve again to recreate it"
        ) from None
    return Basis(
        coeffs,
        exact=meta["exact"],
        method=meta["method"],
        group=meta["group"],
        kind=meta["kind"],
        rep_in=rep_in if rep_in is not None else meta["in"],
        rep_out=rep_out if rep_out is not None else meta["out"],
        in_dim=meta["in_dim"],
        out_dim=meta["out_dim"],
        seconds=meta["seconds"],
        residual=meta["residual"],
        lower_bound=bool(meta.get("lower_bound", False)),
        rank_gap=_rank_gap(meta.get("rank_gap")),
        exact_values=exact_values,
    )


def _exact_values(arrays: dict, coeffs: sp.csr_array) -> tuple[int, ...] | None:
    if "exact_values" not in arrays:
        return None
    from ._bigint import decode

    return decode(arrays["exact_values"], coeffs.data)


def _rank_gap(data):
    """The RankGap of a saved file's metadata (None when absent)."""
    if data is None:
        return None
    from ._float_rank import RankGap

    number = (int, float, type(None))
    if (
        not isinstance(data, dict)
        or set(data) != {"tol", "smallest_kept", "largest_dropped", "looser_extra"}
        or not all(isinstance(v, number) and not isinstance(v, bool) for v in data.values())
        or not isinstance(data["tol"], float)
        or not isinstance(data["looser_extra"], int)
    ):
        raise ValueError("metadata field 'rank_gap' is malformed")
    return RankGap(**data)


def _validated_coefficients(meta: dict, arrays: dict) -> sp.csr_array:
    """The CSR coefficient matrix of a saved file, after checking every field that could make
    scipy read out of bounds or the Basis lie about its shape (ValueError otherwise)."""
    for key, kind in (
        ("exact", bool),
        ("method", str),
        ("group", str),
        ("kind", str),
        ("in", str),
        ("out", str),
        ("in_dim", int),
        ("out_dim", int),
        ("seconds", (int, float)),
        ("residual", (int, float)),
    ):
        if not isinstance(meta.get(key), kind) or (kind is int and isinstance(meta[key], bool)):
            raise ValueError(f"metadata field {key!r} is missing or of the wrong type")
    shape = meta.get("shape")
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in shape)
    ):
        raise ValueError("metadata field 'shape' is not two non-negative integers")
    rows, cols = shape
    if meta["in_dim"] < 0 or meta["out_dim"] < 0 or cols != meta["in_dim"] * meta["out_dim"]:
        raise ValueError("the coefficient shape does not match in_dim x out_dim")
    data, indices, indptr = arrays["data"], arrays["indices"], arrays["indptr"]
    if data.ndim != 1 or indices.ndim != 1 or indptr.ndim != 1:
        raise ValueError("coefficient arrays are not one-dimensional")
    if (
        data.dtype.kind not in "if"
        or indices.dtype.kind not in "iu"
        or indptr.dtype.kind not in "iu"
    ):
        raise ValueError("coefficient arrays have the wrong types")
    if indptr.size != rows + 1 or data.size != indices.size:
        raise ValueError("coefficient arrays have inconsistent lengths")
    if indptr[0] != 0 or indptr[-1] != data.size or np.any(np.diff(indptr) < 0):
        raise ValueError("coefficient row pointers are not monotone from 0 to nnz")
    if indices.size and (indices.min() < 0 or indices.max() >= cols):
        raise ValueError("a coefficient column index is out of range")
    if data.dtype.kind == "f" and not np.all(np.isfinite(data)):
        raise ValueError("a coefficient is NaN or infinite")
    if meta["exact"] and data.dtype.kind != "i" and "exact_values" not in arrays:
        raise ValueError("an exact basis must have integer coefficients")
    return sp.csr_array(
        (data, indices.astype(np.int64), indptr.astype(np.int64)), shape=(rows, cols)
    )


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for k in sorted(arrays):
        h.update(k.encode())
        h.update(np.ascontiguousarray(arrays[k]).tobytes())
    return h.hexdigest()
