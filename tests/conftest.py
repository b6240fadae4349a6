import os

# The tests run one worker per core (pytest-xdist): one BLAS thread per worker, so that two
# workers never fight over the cores (a 729 x 729 SVD took 38 s instead of 2 s that way).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Each test gets its own empty basis cache."""
    monkeypatch.setenv("INTERTWINE_CACHE_DIR", str(tmp_path / "cache"))
    yield


def pytest_configure(config):
    os.environ.setdefault("JAX_ENABLE_X64", "0")
    # implicit dtype promotion (int32 x float32 -> float32, float32 x float64 -> float64) is an
    # error in the tests, so that the layers never rely on it
    os.environ.setdefault("JAX_NUMPY_DTYPE_PROMOTION", "strict")
    # implicit rank promotion (adding a (d,) bias to a (batch, d) array) is an error too: the
    # library broadcasts explicitly, so that it works whatever a user's JAX setting is
    os.environ.setdefault("JAX_NUMPY_RANK_PROMOTION", "raise")


# a script run in a subprocess by the tests, not a test module (doctest collection would import it)
collect_ignore = ["codegen/layers/_data_parallel.py"]
