import os

import pytest


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


# a script run in a subprocess by the tests, not a test module (doctest collection would import it)
collect_ignore = ["_data_parallel.py"]
