"""Pictures of a basis (matplotlib, an optional extra, imported only here and only when drawn).

- A tying pattern: the out × in grid with one colour per parameter, white for forced zeros, a
  darker shade and a minus sign for entries tied with sign −1, and thick lines on the block
  boundaries of direct sums (``1 + V``, ``2*V``, ...).
- A general basis: small multiples, one panel per basis matrix B_k on a diverging scale.
- A diagram basis: its diagrams, output points on the top row and input points on the bottom,
  each block drawn as connected points.
"""

from __future__ import annotations

import colorsys
from typing import Any

import numpy as np

from ..errors import IntertwineError

MAX_PANELS = 24


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        raise IntertwineError("pictures need matplotlib: pip install 'intertwine[plot]'") from None
    return plt


def parameter_colours(count: int) -> np.ndarray:
    """count RGB colours, distinct neighbours (hues spaced by the golden ratio)."""
    golden = 0.618033988749895
    return np.array(
        [colorsys.hsv_to_rgb((k * golden) % 1.0, 0.55 + 0.2 * (k % 2), 0.92) for k in range(count)]
    ).reshape(count, 3)


def _block_edges(rep: Any) -> list[int]:
    """Inner block boundaries of a direct sum (empty for anything else)."""
    from ..core._rep import Copies, Sum

    node = getattr(rep, "node", None)
    if isinstance(node, Sum):
        sizes = [r.dim for r in node.parts]
    elif isinstance(node, Copies):
        sizes = [node.base.dim] * node.count
    else:
        return []
    return list(np.cumsum(sizes)[:-1])


def draw(basis: Any, path: str | None = None, max_panels: int = MAX_PANELS, dpi: int = 100):
    """Draw ``basis`` (see the module docstring); save to ``path`` if given; return the Figure."""
    plt = _pyplot()
    if getattr(basis, "terms", None) is not None and basis.out_dim * basis.in_dim > 40_000:
        fig = _draw_diagrams(plt, basis, max_panels)
    elif basis.out_dim * basis.in_dim > 250_000:
        raise IntertwineError(
            f"a {basis.out_dim} x {basis.in_dim} picture is too large to draw; draw a smaller case"
        )
    elif basis._tying is not None:
        fig = _draw_tying(plt, basis)
    elif getattr(basis, "terms", None) is not None:
        fig = _draw_diagrams(plt, basis, max_panels)
    else:
        fig = _draw_panels(plt, basis, max_panels)
    if path is not None:
        try:
            fig.savefig(path, dpi=dpi)
        except OSError as exc:
            raise IntertwineError(f"cannot write {path}: {exc.strerror or exc}") from None
        finally:
            plt.close(fig)
    return fig


def _title(basis: Any) -> str:
    return (
        f"{basis.group}: {basis.rep_in} -> {basis.rep_out}, {basis.dim} "
        f"parameter{'' if basis.dim == 1 else 's'}"
    )


def _draw_tying(plt, basis: Any):
    index, sign = basis.signed_tying
    out_dim, in_dim = index.shape
    colours = parameter_colours(max(basis.dim, 1))
    image = np.ones((out_dim, in_dim, 3))
    live = index >= 0
    image[live] = colours[index[live]]
    negative = sign < 0
    image[negative] *= 0.6
    side = float(np.clip(max(out_dim, in_dim) / 4, 3, 10))
    fig, ax = plt.subplots(figsize=(side * in_dim / max(out_dim, in_dim) + 1.5, side + 0.8))
    ax.imshow(image, interpolation="nearest")
    if max(out_dim, in_dim) <= 40:
        ax.set_xticks(np.arange(-0.5, in_dim, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, out_dim, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.6)
        ax.tick_params(which="minor", length=0)
    if max(out_dim, in_dim) <= 30:
        for r, c in zip(*np.nonzero(negative)):
            ax.text(c, r, "−", ha="center", va="center", fontsize=9, color="white")
    for edge in _block_edges(basis.rep_in):
        ax.axvline(edge - 0.5, color="black", linewidth=2)
    for edge in _block_edges(basis.rep_out):
        ax.axhline(edge - 0.5, color="black", linewidth=2)
    ax.set_xlabel(f"input ({basis.rep_in}, {in_dim})")
    ax.set_ylabel(f"output ({basis.rep_out}, {out_dim})")
    ax.set_title(_title(basis) + (" (darker: sign −1)" if negative.any() else ""), fontsize=10)
    fig.tight_layout()
    return fig


def _grid(plt, count: int, size: float = 2.0):
    cols = int(min(6, max(1, count)))
    rows = int(np.ceil(max(count, 1) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows + 0.6), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    return fig, axes.ravel()


def _draw_panels(plt, basis: Any, max_panels: int):
    shown = min(basis.dim, max_panels)
    fig, axes = _grid(plt, shown)
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


def _draw_diagrams(plt, basis: Any, max_panels: int):
    from ._diagrams import blocks

    terms = list(basis.terms)[:max_panels]
    fig, axes = _grid(plt, len(terms), size=1.8)
    for ax, term in zip(axes, terms):
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
