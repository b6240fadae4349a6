"""The conversions every basis held as coefficients offers: :class:`Conversions`.

Named ``to_<library>()``: ``to_numpy()`` (dim × out × in), ``to_scipy()`` (the dim × out·in CSR
coefficients, row k is vec(B_k) row-major), ``to_sympy()`` (exact matrices); ``.dense``,
``.sparse`` and ``.matrices()`` are their older names, kept as aliases. Also W = Σ θ_k B_k
(``weight``), the tying read as indices (``tying``, ``signed_tying``) and ‖B_k‖²_F (``norms2``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ..errors import IntertwineError, SolverError

MAX_DENSE_BYTES = 2 * 2**30


class Conversions:
    """Mixed into the basis values; holds no state. It reads the coefficient matrix, the
    dimensions, ``exact`` and the detected signed tying ``_tying`` (indices, signs)."""

    if TYPE_CHECKING:
        exact: bool
        out_dim: int
        in_dim: int

        @property
        def coefficients(self) -> sp.csr_array: ...

        @property
        def dim(self) -> int: ...

        @property
        def shape(self) -> tuple[int, int]: ...

        @property
        def _tying(self) -> tuple[np.ndarray, np.ndarray] | None: ...

    def to_scipy(self) -> sp.csr_array:
        """The dim × (out·in) coefficient matrix (row k is vec(B_k), row-major)."""
        return self.coefficients

    @property
    def sparse(self) -> sp.csr_array:
        """Alias of :meth:`to_scipy` (deprecated name)."""
        return self.to_scipy()

    @property
    def dense(self) -> np.ndarray:
        """Alias of :meth:`to_numpy` (deprecated name)."""
        return self.to_numpy()

    def to_numpy(self) -> np.ndarray:
        """The basis as a float64 array of shape (dim, out, in).

        Raises:
          SolverError: the array would exceed ``MAX_DENSE_BYTES`` (use ``to_scipy()`` or
            ``tying``).

        >>> import intertwine as it
        >>> it.solve("S(3)", "V", "V").to_numpy().shape
        (2, 3, 3)
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
        """Alias of :meth:`to_sympy` (deprecated name)."""
        return self.to_sympy()

    def to_sympy(self) -> list:
        """The basis as a list of ``dim`` sympy matrices of shape (out, in): integer entries
        when exact, floats otherwise.

        Raises:
          SolverError: out·in above 250,000 (use ``to_scipy()`` or ``tying``).

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").to_sympy()[1]
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

    def norms2(self) -> np.ndarray:
        """‖B_k‖²_F for every basis element, a float64 array of shape (dim,).

        >>> from intertwine import solve
        >>> solve("Z(3)", "V", "V").norms2()
        array([3., 3., 3.])
        """
        c = self.coefficients
        return np.asarray(c.multiply(c).sum(axis=1), dtype=np.float64).ravel()
