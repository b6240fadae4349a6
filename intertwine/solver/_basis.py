"""The :class:`Basis` value: a basis of Hom(IN, OUT) held as coefficients, and its tying.

A basis of dimension k is stored as a sparse k × N coefficient matrix (N = out·in, row-major
vec(W)); integer entries when exact. When every entry of W belongs to at most one basis element
with coefficient ±1, the basis is a *signed tying* (``_tying``). Renderings live in
``_basis_text``, ``_html`` and ``_picture``; JSON and files in ``_basis_io``; the
conversions in ``_conversions``.

Conversions are named ``to_<library>()``: :meth:`Basis.to_numpy` (dim × out × in),
:meth:`Basis.to_scipy` (the dim × out·in CSR coefficients), :meth:`Basis.to_sympy` (exact
matrices). ``.dense``, ``.sparse`` and ``.matrices()`` are their older names, kept as aliases.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..core import Rep
from . import _basis_io, _basis_text
from ._basis_io import FORMAT_VERSION as FORMAT_VERSION
from ._basis_io import _checksum as _checksum
from ._basis_text import _letters as _letters
from ._conversions import MAX_DENSE_BYTES as MAX_DENSE_BYTES
from ._conversions import Conversions
from ._renderings import Renderings
from ._tying import detect_tying as _detect_tying


class Basis(Renderings, Conversions):
    """A verified basis of the intertwiners W: IN → OUT (``W ρ_in(g) = ρ_out(g) W``).

    Returned by :func:`solve`, immutable, and checked against every generator before it is
    returned. Basis element k is an (out, in) matrix B_k; the coefficients are held sparse
    (``to_scipy()``: dim × (out·in), row k is B_k flattened row-major). ``exact`` is True only
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

    # ----------------------------------------------------------------- renderings
    def __repr__(self) -> str:
        return _basis_text.basis_repr(self)

    def to_text(self, max_pattern: int = 30) -> str:
        """Human summary: dim, method, time, and the pattern for sizes up to max_pattern."""
        return _basis_text.basis_text(self, max_pattern)

    # ----------------------------------------------------------------- JSON and files
    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The JSON object of the CLI contract (``_basis_io.basis_json``).

        >>> import intertwine as it
        >>> out = it.solve("S(20)", "V**2", "V**2").to_json()
        >>> len(out["tying"]), "basis" in out, sorted(out["omitted"])
        (400, False, ['basis'])
        """
        return _basis_io.basis_json(self, full)

    def _w_listable(self) -> bool:
        """Whether the entries of W can be listed (always, for a basis held as coefficients)."""
        return True

    def _json_matrices(self) -> list:
        return _basis_io.json_matrices(self)

    def _generators_json(self) -> list[dict[str, Any]]:
        return _basis_io.generators_json(self)

    def _summary(self) -> dict[str, Any]:
        return _basis_io.summary(self)

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
        _basis_io.save_basis(self, path)

    def _arrays(self) -> dict[str, np.ndarray]:
        return _basis_io.basis_arrays(self)

    @staticmethod
    def load(path, rep_in: Rep | None = None, rep_out: Rep | None = None) -> Any:
        """Read a file written by :meth:`save` (a Basis or a DiagramBasis; ``np.load`` with
        ``allow_pickle=False``); the checksum and every field are checked before anything is
        built.

        Raises:
          IntertwineError: a missing, unreadable, damaged, forged or foreign file, or one of
            another format version.
        """
        return _basis_io.load_basis(path, rep_in, rep_out)
