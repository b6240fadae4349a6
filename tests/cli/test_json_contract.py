"""The JSON contract never drops a key silently: ``basis`` up to 10^6 numbers (``--full``
beyond), ``tying`` whenever W can be listed, and ``omitted`` (plus one line on stderr) naming
every key left out with the reason and the flag; a ``--full`` too large is refused before
solving."""

import itertools
import json

import numpy as np
import pytest

from intertwine.cli import main


def _cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _pattern_labels(n: int) -> np.ndarray:
    """Entry ((i, j), (k, l)) of W: V**2 -> V**2 labelled by the equality pattern of (i, j, k, l)
    (S(n) ties two entries iff their index tuples have the same pattern), from scratch."""
    labels = np.zeros((n * n, n * n), dtype=np.int64)
    seen: dict[tuple, int] = {}
    for i, j, k, l in itertools.product(range(n), repeat=4):
        idx = (i, j, k, l)
        pattern = tuple(idx.index(v) for v in idx)
        labels[i * n + j, k * n + l] = seen.setdefault(pattern, len(seen))
    return labels


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.ravel().tolist(), b.ravel().tolist()))
    return len(pairs) == len(set(a.ravel().tolist())) == len(set(b.ravel().tolist()))


def test_s20_edges_list_the_tying_and_say_the_basis_is_left_out(capsys):
    code, out, err = _cli(capsys, "solve", "S(20)", "V**2", "V**2", "--format", "json", "-q")
    data = json.loads(out)
    assert code == 0 and data["dim"] == 15
    tying = np.array(data["tying"])
    assert tying.shape == (400, 400) and _same_partition(tying, _pattern_labels(20))
    assert "basis" not in data and "--full" in data["omitted"]["basis"]
    assert set(data["omitted"]) == {"basis"}
    assert err.count("\n") == 1 and "leaves out basis" in err and "--full" in err


def test_full_lists_the_basis(capsys):
    code, out, err = _cli(
        capsys, "solve", "S(20)", "V**2", "V**2", "--format", "json", "--full", "-q"
    )
    data = json.loads(out)
    assert code == 0 and "omitted" not in data and err == ""
    basis, tying = np.array(data["basis"]), np.array(data["tying"])
    assert basis.shape == (15, 400, 400)
    # an orbit basis: element t is the indicator of the entries tied to parameter t
    np.testing.assert_array_equal(basis, np.arange(15)[:, None, None] == tying[None])


def test_too_large_for_full_is_refused_before_solving(capsys, monkeypatch):
    import intertwine.solver as solver_package

    def no_solving(*args, **kwargs):
        raise AssertionError("solved before refusing")

    monkeypatch.setattr(solver_package, "solve", no_solving)
    code, out, err = _cli(capsys, "solve", "S(300)", "V**2", "V**2", "--format", "json", "--full")
    # 15 diagrams on W with 300^4 entries: 15 * 8.1e9 numbers
    assert code == 2 and out == "" and "would list 1.22e+11 numbers" in err


def test_a_huge_diagram_basis_says_what_it_leaves_out(capsys):
    code, out, err = _cli(capsys, "solve", "S(100)", "V**2", "V**2", "--format", "json", "-q")
    data = json.loads(out)
    assert code == 0 and len(data["diagrams"]) == 15
    assert {"basis", "tying"} <= set(data["omitted"])
    assert not {"basis", "tying"} & set(data)
    assert all(g["in"] is None for g in data["generators"]) and "generators" in data["omitted"]
    assert "leaves out basis, tying, generators" in err


@pytest.mark.parametrize("fmt", ["text", "npz"])
def test_full_needs_json(capsys, tmp_path, fmt):
    code, _, err = _cli(
        capsys, "solve", "S(3)", "V", "V", "--format", fmt, "--full", "-o", str(tmp_path / "x")
    )
    assert code == 2 and "--format json" in err


def test_a_signed_pattern_is_called_signed(capsys):
    code, out, _ = _cli(capsys, "solve", "SO(3)", "V**2", "V", "-q")
    assert code == 0 and "tying:   signed tying pattern" in out
    code, out, _ = _cli(capsys, "solve", "S(3)", "V", "V", "-q")
    assert "tying:   tying pattern" in out
