"""Pictures and Jupyter displays: never empty, and the PNG the CLI writes is the figure."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import intertwine as it
from intertwine.cli import main
from intertwine.solver._picture import parameter_colours

pytest.importorskip("matplotlib", reason="pictures are the optional 'plot' extra")


def _png_size(path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        data = fh.read(32)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(
    "group, rep_in, rep_out",
    [
        ("S(5)", "V**2", "V**2"),  # a tying pattern
        ("S(4)", "1 + V", "2*V"),  # block boundaries
        ("SO(3)", "V**2", "V**2"),  # signed or general: small multiples
        ("D(5)", "V", "V"),  # algebraic entries: panels
        ("O(60)", "V**2", "V**2"),  # diagrams, n too large for a grid
    ],
)
def test_plot_writes_a_png_of_the_figure_size(tmp_path, group, rep_in, rep_out):
    basis = it.solve(group, rep_in, rep_out)
    fig = basis.plot()
    width, height = fig.get_size_inches() * 100  # the default dpi of plot(path)
    path = tmp_path / "basis.png"
    basis.plot(str(path))
    got = _png_size(path)
    assert abs(got[0] - width) <= 1 and abs(got[1] - height) <= 1
    assert path.stat().st_size > 2000  # something was drawn


def test_cli_plot(tmp_path, capsys):
    path = tmp_path / "edges.png"
    assert main(["solve", "S(5)", "V**2", "V**2", "--plot", str(path), "-q"]) == 0
    assert "dim:     15" in capsys.readouterr().out
    w, h = _png_size(path)
    assert w > 300 and h > 300


def test_cli_plot_to_a_missing_folder_is_bad_input(tmp_path, capsys):
    code = main(["solve", "S(3)", "V", "V", "--plot", str(tmp_path / "no" / "x.png")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


def test_the_tying_picture_colours_each_parameter_once():
    basis = it.solve("S(4)", "V", "V")  # two parameters: the diagonal and the rest
    fig = basis.plot()
    image = fig.axes[0].images[0].get_array()
    colours = parameter_colours(2)
    diagonal = np.array([image[i, i] for i in range(4)])
    np.testing.assert_allclose(diagonal, np.repeat(colours[:1], 4, axis=0))
    assert not np.allclose(image[0, 1], colours[0])


def test_html_displays_are_never_empty():
    big = it.solve("S(30)", "V**2", "V**2")
    small = it.solve("S(4)", "V", "V")
    from intertwine.codegen import equivariant_linear, equivariant_mlp

    layer = equivariant_linear("S(4)", "V", "V")
    mlp = equivariant_mlp("S(4)", "V", "1", "V", depth=2)
    for value in (big, small, it.action("SO(3)"), it.rep("S(4)", "V**2"), layer, mlp):
        html = value._repr_html_()
        assert html and "<" in html
    assert big._repr_latex_() is None  # Jupyter then shows the HTML, not an empty LaTeX
    assert "background:rgb" in small._repr_html_()
    assert "dimension" in big._repr_html_() and "15" in big._repr_html_()


@pytest.fixture
def pdf_backend():
    """A backend other than Agg for the duration of a test (Agg is what a switch would pick)."""
    import matplotlib

    before = matplotlib.get_backend()
    matplotlib.use("pdf")
    yield "pdf"
    matplotlib.use(before)


def test_plot_never_switches_the_backend(pdf_backend, tmp_path):
    """In Jupyter a switch to Agg ends inline pictures for the session: plot() to the screen
    and to a file both leave the backend alone, and a file needs no pyplot figure."""
    import matplotlib
    import matplotlib.pyplot as plt

    basis = it.solve("S(4)", "V", "V")
    fig = basis.plot()
    assert matplotlib.get_backend() == pdf_backend
    assert fig.number in plt.get_fignums()  # a pyplot figure: shown inline
    plt.close(fig)
    open_before = plt.get_fignums()
    saved = basis.plot(str(tmp_path / "b.png"))
    assert matplotlib.get_backend() == pdf_backend
    assert plt.get_fignums() == open_before  # a bare Figure, not registered with pyplot
    assert _png_size(tmp_path / "b.png") == tuple(
        int(round(v)) for v in saved.get_size_inches() * 100
    )


def test_the_tying_picture_names_each_parameter_by_its_letter():
    """Every cell of a small tying picture carries its parameter's letter, as the text output
    does: the letters drawn are the pattern text's letters, cell by cell."""
    import matplotlib.pyplot as plt

    basis = it.solve("S(5)", "V**2", "V**2")
    fig = basis.plot()
    texts = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
        for t in fig.axes[0].texts
    }
    plt.close(fig)
    grid = [row.split() for row in basis.pattern_text().splitlines()]
    assert len(texts) == 25 * 25
    assert all(texts[(r, c)] == grid[r][c] for r in range(25) for c in range(25))
    assert len({tuple(c) for c in parameter_colours(15)}) == 15


def test_html_of_a_large_diagram_basis_lists_diagrams_never_w():
    """S(100) V**2 -> V**2 acts on W with 10^8 entries: the display shows the 15 diagrams
    without listing W (nothing materialised, a small page, little memory)."""
    import tracemalloc

    basis = it.solve("S(100)", "V**2", "V**2")
    tracemalloc.start()
    try:
        html = basis._repr_html_()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert basis._lazy == {}  # no coefficients, no tying listed
    assert peak < 20 * 2**20 and len(html) < 20_000
    assert "diagrams (orbit tensors, n = 100" in html and "out a b | in c d" in html
    assert "background:rgb" not in html  # no grid
    small = it.solve("S(3)", "V**2", "V**2")._repr_html_()
    assert "background:rgb" in small and "diagrams" in small
