"""Pictures of a basis (matplotlib, an optional extra, imported only here and only when drawn).

- A tying pattern: the out × in grid with one colour per parameter, white for forced zeros, a
  darker shade and a minus sign for entries tied with sign −1, and thick lines on the block
  boundaries of direct sums (``1 + V``, ``2*V``, ...). Each cell carries its parameter's letter
  (as in the text output) up to 40 × 40; beyond that a key lists the colours of the first
  parameters with their letters.
- A general basis: small multiples, one panel per basis matrix B_k on a diverging scale.
- A diagram basis: its diagrams, output points on the top row and input points on the bottom,
  each block drawn as connected points, each panel titled with the diagram's letter.

Matplotlib's backend is never changed: a picture written to a file is a bare
``matplotlib.figure.Figure`` (no pyplot, no backend), and only a picture for the screen
(``path`` None) is made by pyplot, so that Jupyter shows it inline.
"""

from __future__ import annotations

import colorsys
from typing import Any

import numpy as np

from ..errors import IntertwineError

MAX_PANELS = 24


MAX_LETTERED = 40  # letters in the cells of a tying picture up to this many rows and columns
MAX_KEY = 26  # colours listed in the key of a larger tying picture

# 20 well-separated colours (Trubetskoy's list of distinct colours, without black and white)
DISTINCT = (
    "#e6194b #3cb44b #ffe119 #4363d8 #f58231 #911eb4 #46f0f0 #f032e6 #bcf60c #fabebe "
    "#008080 #e6beff #9a6324 #fffac8 #800000 #aaffc3 #808000 #ffd8b1 #000075 #808080"
).split()


def _figure_maker(path: str | None):
    """A function (figsize) -> Figure: pyplot's for the screen, a bare Figure for a file."""
    try:
        if path is not None:
            from matplotlib.figure import Figure

            return lambda figsize: Figure(figsize=figsize)
        import matplotlib.pyplot as plt
    except ImportError:
        raise IntertwineError("pictures need matplotlib: pip install 'intertwine[plot]'") from None
    return lambda figsize: plt.figure(figsize=figsize)


def parameter_colours(count: int) -> np.ndarray:
    """count RGB colours in [0, 1]: 20 well-separated ones, then hues spaced by the golden
    ratio with alternating saturation and value."""
    listed = [tuple(int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)) for h in DISTINCT]
    golden = 0.618033988749895
    more = [
        colorsys.hsv_to_rgb((k * golden) % 1.0, 0.55 + 0.25 * (k % 2), 0.95 - 0.25 * (k // 2 % 2))
        for k in range(max(count - len(listed), 0))
    ]
    return np.array((listed + more)[:count], dtype=np.float64).reshape(count, 3)


def _ink(rgb) -> str:
    """Black or white, whichever reads better on the colour ``rgb`` (relative luminance)."""
    r, g, b = rgb
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _block_edges(rep: Any) -> list[int]:
    """Inner block boundaries of a direct sum (empty for anything else)."""
    from ..core import Copies, Sum

    node = getattr(rep, "node", None)
    if isinstance(node, Sum):
        sizes = [r.dim for r in node.parts]
    elif isinstance(node, Copies):
        sizes = [node.base.dim] * node.count
    else:
        return []
    return list(np.cumsum(sizes)[:-1])


def draw(basis: Any, path: str | None = None, max_panels: int = MAX_PANELS, dpi: int = 100):
    """Draw ``basis`` (see the module docstring); save to ``path`` if given; return the Figure
    (made by pyplot only when ``path`` is None; matplotlib's backend is never changed)."""
    new = _figure_maker(path)
    if getattr(basis, "terms", None) is not None and basis.out_dim * basis.in_dim > 40_000:
        fig = _draw_diagrams(new, basis, max_panels)
    elif basis.out_dim * basis.in_dim > 250_000:
        raise IntertwineError(
            f"a {basis.out_dim} x {basis.in_dim} picture is too large to draw; draw a smaller case"
        )
    elif basis._tying is not None:
        fig = _draw_tying(new, basis)
    elif getattr(basis, "terms", None) is not None:
        fig = _draw_diagrams(new, basis, max_panels)
    else:
        fig = _draw_panels(new, basis, max_panels)
    if path is not None:
        try:
            fig.savefig(path, dpi=dpi)
        except OSError as exc:
            raise IntertwineError(f"cannot write {path}: {exc.strerror or exc}") from None
    return fig


def _title(basis: Any) -> str:
    return (
        f"{basis.group}: {basis.rep_in} -> {basis.rep_out}, {basis.dim} "
        f"parameter{'' if basis.dim == 1 else 's'}"
    )


def _draw_tying(new, basis: Any):
    from ._basis_text import _letters

    index, sign = basis.signed_tying
    out_dim, in_dim = index.shape
    colours = parameter_colours(max(basis.dim, 1))
    image = np.ones((out_dim, in_dim, 3))
    live = index >= 0
    image[live] = colours[index[live]]
    negative = sign < 0
    image[negative] *= 0.6
    side = float(np.clip(max(out_dim, in_dim) / 4, 3, 10))
    lettered = max(out_dim, in_dim) <= MAX_LETTERED
    keyed = not lettered and basis.dim > 0
    fig = new((side * in_dim / max(out_dim, in_dim) + 1.5 + 1.2 * keyed, side + 0.8))
    ax = fig.subplots()
    ax.imshow(image, interpolation="nearest")
    if lettered:
        ax.set_xticks(np.arange(-0.5, in_dim, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, out_dim, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.6)
        ax.tick_params(which="minor", length=0)
        # the letters of the text output; the font shrinks with the cell (72 points an inch)
        cell = 72 * side / max(out_dim, in_dim)
        size = float(np.clip(cell * 0.45, 4, 10))
        for r, c in zip(*np.nonzero(live)):
            text = ("−" if negative[r, c] else "") + _letters(int(index[r, c]))
            ink = _ink(image[r, c])
            ax.text(c, r, text, ha="center", va="center", fontsize=size, color=ink)
    elif keyed:
        from matplotlib.patches import Patch

        shown = min(basis.dim, MAX_KEY)
        handles = [Patch(color=colours[k], label=_letters(k)) for k in range(shown)]
        title = "parameter" if shown == basis.dim else f"first {shown}"
        ax.legend(
            handles=handles,
            title=title,
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=7,
            title_fontsize=7,
            frameon=False,
        )
    for edge in _block_edges(basis.rep_in):
        ax.axvline(edge - 0.5, color="black", linewidth=2)
    for edge in _block_edges(basis.rep_out):
        ax.axhline(edge - 0.5, color="black", linewidth=2)
    ax.set_xlabel(f"input ({basis.rep_in}, {in_dim})")
    ax.set_ylabel(f"output ({basis.rep_out}, {out_dim})")
    ax.set_title(_title(basis) + (" (darker: sign −1)" if negative.any() else ""), fontsize=10)
    fig.tight_layout()
    return fig


def _grid(new, count: int, size: float = 2.0):
    cols = int(min(6, max(1, count)))
    rows = int(np.ceil(max(count, 1) / cols))
    fig = new((size * cols, size * rows + 0.6))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    return fig, axes.ravel()


def _draw_panels(new, basis: Any, max_panels: int):
    shown = min(basis.dim, max_panels)
    fig, axes = _grid(new, shown)
    dense = basis.dense[:shown] if shown else np.zeros((0,) + basis.shape)
    for k in range(shown):
        b = dense[k]
        scale = float(np.max(np.abs(b))) or 1.0
        axes[k].imshow(b, cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
        axes[k].set_title(f"B{k}", fontsize=9)
    more = f" (first {shown} shown)" if shown < basis.dim else ""
    fig.suptitle(_title(basis) + more, fontsize=10)
    fig.tight_layout()
    return fig


def _draw_diagrams(new, basis: Any, max_panels: int):
    from ._basis_text import _letters
    from .diagrams import blocks

    terms = list(basis.terms)[:max_panels]
    fig, axes = _grid(new, len(terms), size=1.8)
    for t, (ax, term) in enumerate(zip(axes, terms)):
        ax.set_title(_letters(t), fontsize=9)  # the diagram's name in the text output
        k = basis.in_degrees[term.in_block]
        l = basis.out_degrees[term.out_block]
        width = max(k, l, 1)

        def place(p: int, k=k, l=l, width=width) -> tuple[float, float]:
            if p < l:  # outputs on top
                return (p + (width - l) / 2, 1.0)
            return (p - l + (width - k) / 2, 0.0)

        colours = parameter_colours(max(len(term.diagram), 1))
        for b, blk in enumerate(blocks(term.diagram)):
            pts = np.array([place(p) for p in blk])
            ax.plot(pts[:, 0], pts[:, 1], "-o", color=colours[b], markersize=5, linewidth=2)
        ax.set_xlim(-0.5, width - 0.5)
        ax.set_ylim(-0.3, 1.3)
    more = f" (first {len(terms)} shown)" if len(terms) < basis.dim else ""
    fig.suptitle(
        f"{_title(basis)}, n = {basis.n}: diagrams (top: out, bottom: in){more}", fontsize=9
    )
    fig.tight_layout()
    return fig
