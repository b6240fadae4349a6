"""Jupyter's HTML display of a basis: a summary table, the diagrams of a diagram basis, and for
small cases the tying pattern as a coloured grid of the text output's letters.

Sizes are checked before anything is listed: the grid needs W's entries (listed from the
diagrams for a diagram basis, n^(k+l) of them), so it is drawn only up to
``MAX_GRID`` × ``MAX_GRID``; beyond that a diagram basis shows its diagrams (at most
``MAX_DIAGRAMS``), never W, at any n.
"""

from __future__ import annotations

import html
from typing import Any

MAX_GRID = 30  # rows and columns of the coloured grid (as the text output's pattern)
MAX_DIAGRAMS = 60  # diagrams listed in the display of a diagram basis


def basis_html(basis: Any) -> str:
    """The table, the diagrams (a diagram basis) and the grid (small tying patterns)."""
    return _table(basis) + _diagrams(basis) + _grid(basis)


def _table(basis: Any) -> str:
    rows = [
        ("map", f"{basis.rep_in} ({basis.in_dim}) &rarr; {basis.rep_out} ({basis.out_dim})"),
        ("action", f"{basis.group} ({basis.kind})"),
        ("dimension", f"{basis.dim}"),
        ("method", f"{basis.method}, {'exact' if basis.exact else 'float64'}"),
    ]
    head = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>"
        f"{v if k == 'map' else html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{head}</table>"


def _diagrams(basis: Any) -> str:
    """The diagrams as the text output lists them (a diagram basis only), else ''."""
    if getattr(basis, "terms", None) is None:
        return ""
    text = basis.diagram_text(limit=MAX_DIAGRAMS)
    return f"<pre style='font-size:11px'>{html.escape(text)}</pre>"


def _grid(basis: Any) -> str:
    """The tying pattern as coloured cells with letters, up to MAX_GRID × MAX_GRID, else ''."""
    from ._basis_text import _letters
    from ._picture import parameter_colours

    if max(basis.out_dim, basis.in_dim) > MAX_GRID or basis._tying is None:
        return ""  # the size first: _tying lists W
    index, sign = basis.signed_tying
    colours = (parameter_colours(max(basis.dim, 1)) * 255).astype(int)
    cells = []
    for r_idx, r_sign in zip(index, sign):
        tds = []
        for i, sg in zip(r_idx, r_sign):
            if i < 0:
                tds.append("<td style='background:#fff;color:#bbb'>.</td>")
                continue
            r, g, b = (colours[i] * (0.6 if sg < 0 else 1.0)).astype(int)
            ink = "#000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 115 else "#fff"
            text = ("&minus;" if sg < 0 else "") + _letters(int(i))
            tds.append(f"<td style='background:rgb({r},{g},{b});color:{ink}'>{text}</td>")
        cells.append("<tr>" + "".join(tds) + "</tr>")
    style = "border-collapse:collapse;font-family:monospace;font-size:11px;text-align:center"
    return f"<table style='{style}'>{''.join(cells)}</table>"
