"""Exact means proved: no int64 wrap-around, a proved dimension, cache hits proved again."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp
import sympy

import intertwine as it
from intertwine.cli import main
from intertwine.errors import SolverError
from intertwine.solver import _cache, _certificate, _solve, _stages
from intertwine.solver._intmatrix import IntMatrix
from intertwine.spec import resolve


def _true_invariant_dim(matrix: list[list[int]], power: int) -> int:
    """dim of {w : (M^{⊗power})ᵀ w = w} with sympy over Q, from Python-int Kronecker products."""
    m = sympy.Matrix(matrix)
    big = m
    for _ in range(power - 1):
        big = sympy.kronecker_product(big, m)
    return len((big.T - sympy.eye(big.shape[0])).nullspace())


def _custom(tmp_path, matrices, name="g.json", kind="group"):
    path = tmp_path / name
    path.write_text(json.dumps({"kind": kind, "degree": len(matrices[0]), "matrices": matrices}))
    return f"@{path}"


@pytest.mark.parametrize(
    "matrix, power",
    [([[60000, 59999], [1, 1]], 4), ([[2000, 1999], [1, 1]], 6), ([[3, 1], [1, 0]], 8)],
)
def test_large_entries_do_not_wrap(tmp_path, matrix, power):
    """(60000^4 > 2^63): the tensor power and the constraint products stay exact."""
    action = _custom(tmp_path, [matrix])
    basis = it.solve(action, f"V**{power}", "1", cache=False)
    assert basis.exact
    assert basis.dim == _true_invariant_dim(matrix, power)


def test_generator_beyond_64_bits(tmp_path, capsys):
    action = _custom(tmp_path, [[[4294967296]]])
    basis = it.solve(action, "V**2", "V**4", cache=False)
    assert basis.dim == 0  # 2^64 x != 2^128 x
    assert it.solve(action, "V**2", "V**2", cache=False).dim == 1
    assert main(["info", action, "V**2"]) == 0
    assert "18446744073709551616" in capsys.readouterr().out
    assert main(["solve", action, "V**2", "V**2", "--format", "json", "--no-cache"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["generators"][0]["in"] == [[2**64]]  # an exact integer, not a float


def test_intmatrix_switches_to_python_ints():
    a = IntMatrix.from_scipy(sp.csr_array(np.array([[2**40, 1], [0, 2**40]], dtype=np.int64)))
    prod = a @ a @ a
    assert prod.is_big
    assert prod.tolist()[0][0] == 2**120
    assert prod.tolist()[0][1] == 3 * 2**80
    assert (a.kron(a)).max_abs() == 2**80


def test_rank_lower_bound_is_the_rank_for_random_integer_matrices():
    rng = np.random.default_rng(1)
    for rows, cols, rank in [(12, 9, 5), (40, 10, 10), (5, 8, 3)]:
        m = rng.integers(-5, 6, size=(rows, rank)) @ rng.integers(-5, 6, size=(rank, cols))
        true = sympy.Matrix(m.tolist()).rank()
        bound = _certificate.rank_lower_bound(IntMatrix.from_scipy(sp.csr_array(m)), cols, cols)
        assert bound == true


def test_float_rank_certificate_refuses_a_singular_matrix():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert not _certificate.certify_rank_float(sp.csr_array(singular), 2, 1e-15)
    assert _certificate.certify_rank_float(sp.csr_array(np.eye(3) * 1e-3), 3, 1e-12)


@pytest.mark.parametrize(
    "group, rep_in, rep_out",
    [
        ("SO(3)", "V**2", "V**2"),
        ("SO(3)", "V**3", "1"),
        ("SL(3)", "V", "V**2"),  # dimension 0: proving that nothing exists
        ("D(5)", "V**2", "V**2"),
        ("C(7)", "V", "V"),
    ],
)
def test_rounded_float_bases_are_exact_only_with_a_proof(group, rep_in, rep_out, monkeypatch):
    """The numeric path rounds to rationals; exact needs the certificate (mod p or balls)."""
    proved = it.solve(group, rep_in, rep_out, method="numeric", cache=False)
    reference = it.solve(group, rep_in, rep_out, method="auto", cache=False)
    assert proved.exact and proved.dim == reference.dim
    monkeypatch.setattr(_stages, "_proved", lambda *a, **k: False)
    unproved = it.solve(group, rep_in, rep_out, method="numeric", cache=False)
    assert not unproved.exact and unproved.dim == reference.dim
    if group.startswith(("D", "C")):
        # C(k), D(k) are solved by weights (exact by construction); without that route the
        # general exact method must refuse what it cannot prove
        monkeypatch.setattr(_solve, "planar_basis", lambda *a, **k: None)
        with pytest.raises(SolverError, match="could not prove"):
            it.solve(group, rep_in, rep_out, method="exact", cache=False)


def test_certificate_detects_a_missing_vector():
    """dim null(M) ≤ k fails when k is one less than the true nullity."""
    _, ri, ro = resolve("SO(3)", "V**2", "V**2")
    cons = _solve.constraints(ri, ro)
    assert _solve._dimension_proved(cons, 9, 9, 3)
    assert not _solve._dimension_proved(cons, 9, 9, 2)


def _forge(key: str, basis: it.Basis, keep: int) -> None:
    """Overwrite a cache entry with the first ``keep`` vectors of a basis, checksum intact."""
    subset = it.Basis(
        basis.coefficients[:keep],
        exact=True,
        method=basis.method,
        group=basis.group,
        kind=basis.kind,
        rep_in=basis.rep_in,
        rep_out=basis.rep_out,
        in_dim=basis.in_dim,
        out_dim=basis.out_dim,
    )
    subset.save(_cache.cache_dir() / f"{key}.npz")


@pytest.mark.parametrize("group, method", [("S(5)", "orbit"), ("SO(3)", "exact")])
def test_forged_cache_entry_with_a_subset_is_recomputed(group, method):
    first = it.solve(group, "V**2", "V**2", method=method)
    _, ri, ro = resolve(group, "V**2", "V**2")
    key = _cache.cache_key(ri, ro, method)
    assert (_cache.cache_dir() / f"{key}.npz").exists()
    _forge(key, first, 1)
    notes: list[str] = []
    again = it.solve(group, "V**2", "V**2", method=method, progress=notes.append)
    assert again.dim == first.dim
    assert any("cache entry failed its check" in n for n in notes)
    third = it.solve(group, "V**2", "V**2", method=method)
    assert third.dim == first.dim


def test_unproved_bases_are_not_cached(monkeypatch):
    monkeypatch.setattr(_stages, "_proved", lambda *a, **k: False)
    basis = it.solve("D(5)", "V", "V", method="numeric")
    assert not basis.exact
    assert not any(_cache.cache_dir().glob("*.npz"))


def test_cache_hit_labels_come_from_the_request(tmp_path):
    perms = [[1, 2, 0]]
    group = tmp_path / "grp.json"
    group.write_text(json.dumps({"kind": "group", "degree": 3, "permutations": perms}))
    monoid = tmp_path / "mon.json"
    monoid.write_text(json.dumps({"kind": "monoid", "degree": 3, "transformations": perms}))
    a = it.solve(f"@{group}", "V", "V")
    b = it.solve(f"@{monoid}", "V", "V")
    assert (a.kind, b.kind) == ("group", "monoid")
    assert b.group == f"@{monoid}"
