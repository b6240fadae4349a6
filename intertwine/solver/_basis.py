"""The :class:`Basis` value: a basis of Hom(IN, OUT), its tying pattern, and its renderings.

A basis of dimension k is stored as a sparse k × N coefficient matrix (N = out·in, row-major
vec(W)); integer entries when exact. When every entry of W belongs to at most one basis element
with coefficient ±1, the basis is a *signed tying*: W[i, j] = sign[i, j] · θ[index[i, j]]
(index −1 for a forced zero), and a *plain tying* when all signs are +1.
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
from ..errors import IntertwineError, SolverError

MAX_DENSE_BYTES = 2 * 2**30
FORMAT_VERSION = 1


def _letters(k: int) -> str:
    """Parameter names a..z, A..Z, then a1, b1, ... ."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return alphabet[k % 52] + (str(k // 52) if k >= 52 else "")


class Basis:
    """A verified basis of the intertwiners W: IN → OUT (``W ρ_in(g) = ρ_out(g) W``).

    Returned by :func:`solve`, immutable, and checked against every generator before it is
    returned. Basis element k is an (out, in) matrix B_k; the coefficients are held sparse
    (``sparse``: dim × (out·in), row k is B_k flattened row-major). ``exact`` is True only
    with a proof of the dimension; ``method`` names the solver stage that produced it.

    >>> import intertwine as it
    >>> basis = it.solve("Z(3)", "V", "V")  # the circulant matrices
    >>> basis
    Basis(dim=3, Z(3): V -> V, 3x3, method=orbit, exact=True)
    a b c
    c a b
    b c a
    >>> basis.dim, basis.shape, basis.dense.shape
    (3, (3, 3), (3, 3, 3))
    """

    coefficients: sp.csr_array
    exact: bool
    method: str
    group: str
    kind: str
    rep_in: Rep | str
    rep_out: Rep | str
    in_dim: int
    out_dim: int
    seconds: float
    residual: float
    _tying: tuple[np.ndarray, np.ndarray] | None
    # the dimension is a lower bound only (an uncertified iterative solve the caller accepted)
    lower_bound: bool = False
    # float generators: the singular-value gap around the rank decision (a RankGap), else None
    rank_gap: Any = None
    # exact entries beyond 64 bits: Python ints in CSR order (``coefficients`` then holds their
    # float64 approximations; see ``_bigint``), else None
    exact_values: tuple[int, ...] | None = None

    def __init__(
        self,
        coefficients: sp.csr_array,
        *,
        exact: bool,
        method: str,
        group: str,
        kind: str,
        rep_in: Rep | str,
        rep_out: Rep | str,
        in_dim: int,
        out_dim: int,
        seconds: float = 0.0,
        residual: float = 0.0,
        lower_bound: bool = False,
        rank_gap: Any = None,
        exact_values: tuple[int, ...] | None = None,
    ):
        coefficients = sp.csr_array(coefficients)
        for arr in (coefficients.data, coefficients.indices, coefficients.indptr):
            arr.flags.writeable = False
        tying = _detect_tying(coefficients)
        if tying is not None:
            for arr in tying:
                arr.flags.writeable = False
        fields = {
            "coefficients": coefficients,
            "exact": bool(exact),
            "method": method,
            "group": group,
            "kind": kind,
            "rep_in": rep_in,
            "rep_out": rep_out,
            "in_dim": int(in_dim),
            "out_dim": int(out_dim),
            "seconds": float(seconds),
            "residual": float(residual),
            "_tying": tying,
            "lower_bound": bool(lower_bound),
            "rank_gap": rank_gap,
            "exact_values": exact_values,
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"a Basis is immutable; {name!r} cannot be set")

    def _replace(self, **changes) -> Basis:
        """A copy with some fields changed (the solver's timing and labels; never the basis)."""
        if not set(changes) <= {"seconds", "residual", "group", "kind"}:
            raise AttributeError(f"only timing and labels can change, not {sorted(changes)}")
        new = object.__new__(type(self))
        for name, value in {**self.__dict__, **changes}.items():
            object.__setattr__(new, name, value)
        return new

    # ----------------------------------------------------------------- basic facts
    @property
    def dim(self) -> int:
        """dim Hom(IN, OUT): the number of basis matrices (tied parameters)."""
        return int(self.coefficients.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        """(out_dim, in_dim): the shape of each basis matrix."""
        return (self.out_dim, self.in_dim)

    @property
    def sparse(self) -> sp.csr_array:
        """The dim × (out·in) coefficient matrix (row k is vec(B_k), row-major)."""
        return self.coefficients

    @property
    def dense(self) -> np.ndarray:
        """The basis as a float64 array of shape (dim, out, in).

        Raises:
          SolverError: the array would exceed ``MAX_DENSE_BYTES`` (use ``sparse`` or
            ``tying``).
        """
        nbytes = self.dim * self.out_dim * self.in_dim * 8
        if nbytes > MAX_DENSE_BYTES:
            raise SolverError(
                f"the dense basis would take {nbytes / 2**30:.1f} GiB; use "
                f".sparse or .tying instead"
            )
        return (
            self.coefficients.toarray()
            .astype(np.float64)
            .reshape(self.dim, self.out_dim, self.in_dim)
        )

    @property
    def tying(self) -> np.ndarray | None:
        """out × in parameter indices (−1 for a forced zero) when the basis is a plain tying
        (every entry of W is one θ_k or 0), else None.

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").tying
        array([[0, 1, 2],
               [2, 0, 1],
               [1, 2, 0]])
        """
        if self._tying is None or np.any(self._tying[1] < 0):
            return None
        return self._tying[0].reshape(self.shape)

    @property
    def signed_tying(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(indices, signs), each of shape (out, in), when W[i,j] = signs[i,j] · θ[indices[i,j]]
        (signs in {−1, 0, 1}), else None. The Levi-Civita tensor is a signed tying:

        >>> from intertwine import solve
        >>> idx, signs = solve("SO(3)", "V**2", "V").signed_tying
        >>> signs[0].tolist()  # (e_y ⊗ e_z − e_z ⊗ e_y) ↦ e_x
        [0, 0, 0, 0, 0, 1, 0, -1, 0]
        """
        if self._tying is None:
            return None
        return self._tying[0].reshape(self.shape), self._tying[1].reshape(self.shape)

    def matrices(self):
        """The basis as a list of ``dim`` sympy matrices of shape (out, in): integer entries
        when exact, floats otherwise.

        Raises:
          SolverError: out·in above 250,000 (use ``sparse`` or ``tying``).

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").matrices()[1]
        Matrix([
        [0, 1, 0],
        [0, 0, 1],
        [1, 0, 0]])
        """
        import sympy

        if self.out_dim * self.in_dim > 250_000:
            raise SolverError("too large for sympy matrices; use .sparse or .tying")
        out = []
        for r in range(self.dim):
            row = self.coefficients[[r]].tocoo()
            conv = (lambda v: sympy.Integer(int(v))) if self.exact else sympy.Float
            entries = {
                (int(a) // self.in_dim, int(a) % self.in_dim): conv(v)
                for a, v in zip(row.col, row.data)
            }
            out.append(sympy.ImmutableSparseMatrix(self.out_dim, self.in_dim, entries))
        return out

    def weight(self, theta: np.ndarray) -> np.ndarray:
        """W = Σ_k θ_k B_k as a dense float64 array of shape (out, in).

        Raises:
          IntertwineError: ``theta`` is not of shape (dim,).

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").weight([1.0, 2.0, 3.0])
        array([[1., 2., 3.],
               [3., 1., 2.],
               [2., 3., 1.]])
        """
        theta = np.asarray(theta, dtype=np.float64)
        if theta.shape != (self.dim,):
            raise IntertwineError(f"theta must have shape ({self.dim},), not {theta.shape}")
        return (self.coefficients.T.astype(np.float64) @ theta).reshape(self.shape)

    # ----------------------------------------------------------------- rendering
    def __repr__(self) -> str:
        head = (
            f"Basis(dim={self.dim}, {self.group}: {self.rep_in} -> {self.rep_out}, "
            f"{self.out_dim}x{self.in_dim}, method={self.method}, exact={self.exact})"
        )
        if self._tying is not None and self.out_dim <= 12 and self.in_dim <= 12:
            return head + "\n" + self.pattern_text()
        return head

    def pattern_text(self) -> str:
        """The tying pattern as a grid of letters ('.' is a forced zero, '-a' the sign −1),
        or '' if none.

        >>> from intertwine import solve
        >>> print(solve("Shift(3)", "V", "V").pattern_text())
        a . .
        b a .
        c b a
        """
        if self._tying is None:
            return ""
        idx, sign = self.signed_tying  # type: ignore[misc]
        cells = [
            [
                "." if i < 0 else ("-" if s < 0 else "") + _letters(int(i))
                for i, s in zip(r_idx, r_sign)
            ]
            for r_idx, r_sign in zip(idx, sign)
        ]
        w = max((len(c) for row in cells for c in row), default=1)
        return "\n".join(" ".join(f"{c:>{w}}" for c in row) for row in cells)

    def to_text(self, max_pattern: int = 30) -> str:
        """Human summary: dim, method, time, and the pattern for sizes up to max_pattern."""
        lines = [
            f"group:   {self.group} ({self.kind})",
            f"map:     {self.rep_in} ({self.in_dim}) -> {self.rep_out} ({self.out_dim})",
            f"dim:     {self.dim}",
            f"method:  {self.method} ({'exact' if self.exact else 'float64'})",
            f"time:    {self.seconds:.3f} s",
        ]
        if self.lower_bound:
            lines.insert(3, f"         AT LEAST {self.dim}: the dimension is not certified")
        if self.rank_gap is not None:
            lines.append(f"rank:    {self.rank_gap.to_text()}")
        if self._tying is not None:
            lines.append(
                f"tying:   {'signed ' if self.tying is None else ''}tying pattern, "
                f"{self.dim} parameter{'' if self.dim == 1 else 's'}"
            )
            if self.out_dim <= max_pattern and self.in_dim <= max_pattern:
                lines.append(self.pattern_text())
        elif self.dim and self.out_dim * self.in_dim <= 64 and self.dim <= 8:
            for k, b in enumerate(self._exact_or_dense()):
                lines.append(f"B{k} =")
                lines.extend("  " + " ".join(f"{v:g}" for v in row) for row in b)
        return "\n".join(lines)

    def _exact_or_dense(self):
        """The matrices with exact integers where they exceed 64 bits, else ``dense``."""
        return self._json_matrices() if self.exact_values is not None else self.dense

    def to_latex(self) -> str:
        """LaTeX: the pattern matrix in θ_k for a tying, else W = Σ θ_k B_k."""
        if self._tying is not None:
            idx, sign = self.signed_tying  # type: ignore[misc]
            rows = [
                " & ".join(
                    "0" if i < 0 else ("-" if s < 0 else "") + f"\\theta_{{{i}}}"
                    for i, s in zip(ri, rs)
                )
                for ri, rs in zip(idx, sign)
            ]
            return "W = \\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"
        terms = []
        for k, b in enumerate(self._exact_or_dense()):
            body = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in b)
            terms.append(f"\\theta_{{{k}}} \\begin{{pmatrix}} {body} \\end{{pmatrix}}")
        return "W = " + (" + ".join(terms) if terms else "0")

    def _repr_latex_(self) -> str | None:
        """Small bases only; None (no LaTeX display, so Jupyter shows the HTML) otherwise."""
        return f"${self.to_latex()}$" if self.out_dim * self.in_dim <= 64 else None

    def _repr_html_(self) -> str:
        """A summary table, the diagrams of a diagram basis and, up to 30 x 30, the tying
        pattern as a coloured grid (see ``_html``)."""
        from ._html import basis_html

        return basis_html(self)

    def plot(self, path: str | None = None, max_panels: int = 24):
        """A matplotlib Figure of the basis (the tying pattern with one colour per parameter,
        small multiples, or diagrams); saved to ``path`` when given. Needs ``intertwine[plot]``."""
        from ._picture import draw

        return draw(self, path, max_panels)

    def to_json(self, full: bool = False) -> dict[str, Any]:
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
            self.dim, self.out_dim, self.in_dim, full=full, w_listable=self._w_listable()
        )
        out: dict[str, Any] = {**self._summary(), "generators": self._generators_json()}
        if plan.basis:
            out["basis"] = self._json_matrices()
        if plan.tying:
            tying, signed = self.tying, self.signed_tying
            out["tying"] = None if tying is None else tying.tolist()
            out["signed_tying"] = (
                None
                if signed is None
                else {"indices": signed[0].tolist(), "signs": signed[1].tolist()}
            )
        out["seconds"] = round(self.seconds, 6)
        if plan.omitted:
            out["omitted"] = dict(plan.omitted)
        return out

    def _w_listable(self) -> bool:
        """Whether the entries of W can be listed (always, for a basis held as coefficients)."""
        return True

    def _json_matrices(self) -> list:
        if self.exact_values is not None:  # integers of any size, exactly
            rows: list[list[int]] = [[0] * (self.out_dim * self.in_dim) for _ in range(self.dim)]
            coo = self.coefficients.tocoo()
            order = np.lexsort((coo.col, coo.row))
            for (r, c), v in zip(zip(coo.row[order], coo.col[order]), self.exact_values):
                rows[int(r)][int(c)] = v
            return [
                [row[i : i + self.in_dim] for i in range(0, len(row), self.in_dim)] for row in rows
            ]
        dense = self.coefficients.toarray()
        return [
            m.reshape(self.shape).tolist()
            for m in (dense.astype(np.int64) if self.exact else dense)
        ]

    def _generators_json(self) -> list[dict[str, Any]]:
        gens = []
        if isinstance(self.rep_in, Rep) and isinstance(self.rep_out, Rep):
            for g, a, b in zip(
                self.rep_in.action.generators, self.rep_in.generators, self.rep_out.generators
            ):
                gens.append({"name": g.name, "kind": g.kind, "in": a.tolist(), "out": b.tolist()})
        return gens

    def norms2(self) -> np.ndarray:
        """‖B_k‖²_F for every basis element, a float64 array of shape (dim,).

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").norms2()
        array([3., 3., 3.])
        """
        c = self.coefficients
        return np.asarray(c.multiply(c).sum(axis=1), dtype=np.float64).ravel()

    def _summary(self) -> dict[str, Any]:
        """The facts shared by the JSON output and the saved file's metadata."""
        return {
            "group": self.group,
            "kind": self.kind,
            "in": str(self.rep_in),
            "out": str(self.rep_out),
            "in_dim": self.in_dim,
            "out_dim": self.out_dim,
            "dim": self.dim,
            "method": self.method,
            "exact": self.exact,
            "lower_bound": self.lower_bound,
            "rank_gap": None if self.rank_gap is None else self.rank_gap.to_json(),
        }

    # ----------------------------------------------------------------- files
    def save(self, path) -> None:
        """Write an .npz file (no pickles): the coefficients, metadata and a checksum.

        Raises:
          OSError: the file cannot be written (the command line reports it as exit 2).

        >>> import os, tempfile
        >>> from intertwine import Basis, solve
        >>> path = os.path.join(tempfile.mkdtemp(), "z3.npz")
        >>> solve("Z(3)", "V", "V").save(path)
        >>> Basis.load(path).tying.tolist()
        [[0, 1, 2], [2, 0, 1], [1, 2, 0]]
        """
        arrays = self._arrays()
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]

    def _arrays(self) -> dict[str, np.ndarray]:
        c = self.coefficients
        meta = {
            "version": FORMAT_VERSION,
            **self._summary(),
            "shape": list(c.shape),
            "seconds": self.seconds,
            "residual": self.residual,
        }
        arrays = {
            "meta": np.array(json.dumps(meta)),
            "indptr": c.indptr.astype(np.int64),
            "indices": c.indices.astype(np.int64),
            "data": c.data.astype(
                np.int64 if self.exact and self.exact_values is None else np.float64
            ),
        }
        if self.exact_values is not None:
            from ._bigint import encode

            arrays["exact_values"] = encode(self.exact_values)
        arrays["checksum"] = np.array(_checksum(arrays))
        return arrays

    @classmethod
    def load(cls, path, rep_in: Rep | None = None, rep_out: Rep | None = None) -> Basis:
        """Read a file written by :meth:`save` (``np.load`` with ``allow_pickle=False``); the
        checksum and every field are checked before anything is built.

        Raises:
          IntertwineError: a missing, unreadable, damaged, forged or foreign file, or one of
            another format version.
        """
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
        return cls(
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


def _detect_tying(coeffs: sp.csr_array) -> tuple[np.ndarray, np.ndarray] | None:
    """(index, sign) over the N entries if every entry is ±1 in at most one element, else None."""
    n = coeffs.shape[1]
    csc = sp.csc_array(coeffs)
    if csc.nnz and (np.any(np.diff(csc.indptr) > 1) or np.any(np.abs(csc.data) != 1)):
        return None
    index = np.full(n, -1, dtype=np.int64)
    sign = np.zeros(n, dtype=np.int8)
    cols = np.repeat(np.arange(n), np.diff(csc.indptr))
    index[cols] = csc.indices
    sign[cols] = np.sign(csc.data).astype(np.int8)
    return index, sign
