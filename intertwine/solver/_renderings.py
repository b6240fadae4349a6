"""The renderings every basis shares (a :class:`Basis` and a diagram basis alike): the tying
pattern as letters, LaTeX, the notebook's HTML and a matplotlib picture. Each delegates to its
module (``_basis_text``, ``_html``, ``_picture``), which reads what kind of basis it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _basis_text


class Renderings:
    """Mixed into the basis values; holds no state."""

    if TYPE_CHECKING:
        out_dim: int
        in_dim: int

    def pattern_text(self) -> str:
        """The tying pattern as a grid of letters ('.' is a forced zero, '-a' the sign −1),
        or '' if none.

        >>> from intertwine import solve
        >>> print(solve("Shift(3)", "V", "V").pattern_text())
        a . .
        b a .
        c b a
        """
        return _basis_text.pattern_text(self)

    def to_latex(self) -> str:
        """LaTeX: the pattern matrix in θ_k for a tying, else W = Σ θ_k B_k."""
        return _basis_text.latex(self)

    def _repr_latex_(self) -> str | None:
        """Small bases only; None (no LaTeX display, so Jupyter shows the HTML) otherwise."""
        return f"${self.to_latex()}$" if self.out_dim * self.in_dim <= 64 else None

    def _repr_html_(self) -> str:
        """A summary table and, when small, the tying pattern as a coloured grid or the
        diagrams (``_html``)."""
        from ._html import basis_html

        return basis_html(self)  # type: ignore[arg-type]

    def plot(self, path: str | None = None, max_panels: int = 24):
        """A matplotlib Figure of the basis (the tying pattern with one colour per parameter,
        small multiples, or the diagrams); saved to ``path`` when given. Needs
        ``intertwine[plot]``."""
        from ._picture import draw

        return draw(self, path, max_panels)  # type: ignore[arg-type]
