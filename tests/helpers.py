"""Independent checks used by the tests (never the solver's own checker)."""

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent  # the repository


def assert_intertwines(basis, rep_in, rep_out, tol=1e-9):
    """Every basis matrix W satisfies W X_in = X_out W for every generator, in float64."""
    dense = basis.dense
    for a, b in zip(rep_in.generators, rep_out.generators):
        xa, xb = a.to_numpy(), b.to_numpy()
        scale = max(np.abs(xa).max(initial=0), np.abs(xb).max(initial=0), 1.0)
        for w in dense:
            assert np.abs(w @ xa - xb @ w).max(initial=0) <= tol * scale * max(np.abs(w).max(), 1)


def span_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Do the rows of a and b (k × N) span the same space?"""
    if a.shape[0] != b.shape[0]:
        return False
    if a.shape[0] == 0:
        return True
    r = np.linalg.matrix_rank
    return r(a) == r(b) == r(np.vstack([a, b]))


def load_source(tmp_path: Path, source: str, name: str):
    """The module a generated ``source`` defines, written to ``tmp_path/name.py``, imported."""
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
