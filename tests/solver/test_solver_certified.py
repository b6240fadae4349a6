"""The iterative stage certifies its dimension; float generators decide the rank at a stated
tolerance; C(k) and D(k) are exact. Every dimension here is computed independently in the test
(Stirling numbers, characters summed over an enumerated group, a Weyl integral)."""

from __future__ import annotations

import json
from math import comb

import numpy as np
import pytest

import intertwine as it
from intertwine.cli import main
from intertwine.errors import SolverError
from intertwine.solver import _iterative, _solve, _stages


def stirling2(n: int, k: int) -> int:
    return sum((-1) ** (k - j) * comb(k, j) * j**n for j in range(k + 1)) // _fact(k)


def _fact(k: int) -> int:
    out = 1
    for i in range(2, k + 1):
        out *= i
    return out


def sn_dim(n: int, k: int, l: int) -> int:  # noqa: E741
    """dim Hom_{S_n}(V^k, V^l) = Σ_{t ≤ n} S(k + l, t)."""
    return sum(stirling2(k + l, t) for t in range(min(n, k + l) + 1))


# ---------------------------------------------------------------- 1. the iterative stage
@pytest.mark.parametrize(
    "rep_in, rep_out, want",
    [("1 + V**2", "V**2", sn_dim(3, 0, 2) + sn_dim(3, 2, 2)), ("V**2", "V**2", sn_dim(3, 2, 2))],
)
def test_iterative_dimension_is_never_short(rep_in, rep_out, want, monkeypatch):
    dims = [
        it.solve("S(3)", rep_in, rep_out, method="iterative", cache=False).dim for _ in range(4)
    ]
    assert dims == [want] * 4
    # the Lanczos path with deflation (not the small-problem full spectrum), several starts
    monkeypatch.setattr(_iterative, "DENSE_MAX", 0)
    for _ in range(2):
        basis = it.solve("S(3)", rep_in, rep_out, method="iterative", cache=False)
        assert basis.dim == want and not basis.lower_bound
    for seed in range(3):
        _, ri, ro = it.resolve("S(3)", rep_in, rep_out)
        cons = [c for c in _solve.constraints(ri, ro) if not c.helper]
        m = _solve.sp.vstack([_solve.operator(c, exact=False) for c in cons], format="csr")
        found = _iterative.certified_nullspace(m, ri.dim * ro.dim, seed=seed)
        assert found.certified and found.vectors.shape[0] == want and found.margin > found.tol


SO3 = {
    "kind": "group",
    "degree": 3,
    "lie_algebra": [
        [[0, 0, 0], [0, 0, -1], [0, 1, 0]],
        [[0, 0, 1], [0, 0, 0], [-1, 0, 0]],
        [[0, -1, 0], [1, 0, 0], [0, 0, 0]],
    ],
}


def so3_dim(p: int) -> int:
    """dim (V^⊗p)^SO(3) by the Weyl integral (2/π) ∫_0^π (1 + 2cos θ)^p sin²(θ/2) dθ."""
    theta = np.linspace(0, np.pi, 20001)
    f = (1 + 2 * np.cos(theta)) ** p * np.sin(theta / 2) ** 2
    return round(2 / np.pi * np.trapezoid(f, theta))


def test_auto_takes_the_certified_iterative_stage(tmp_path, monkeypatch):
    path = tmp_path / "so3.json"
    path.write_text(json.dumps(SO3))
    monkeypatch.setattr(_stages, "EXACT_MAX_UNKNOWNS", 0)  # as above 8192 unknowns
    monkeypatch.setattr(_stages, "DENSE_MAX_BYTES", 0)
    monkeypatch.setattr(_iterative, "DENSE_MAX", 0)
    basis = it.solve(f"@{path}", "V**2", "V**2", cache=False)
    assert basis.method == "iterative" and not basis.lower_bound
    assert basis.dim == so3_dim(4) == 3


def test_an_uncertified_dimension_is_refused_unless_accepted(tmp_path, monkeypatch, capsys):
    real = _iterative.certified_nullspace

    def uncertified(*args, **kw):
        found = real(*args, **kw)
        return _iterative.IterativeNullspace(found.vectors[:-1], False, 0.0, found.tol)

    monkeypatch.setattr(_iterative, "certified_nullspace", uncertified)
    with pytest.raises(SolverError, match="at least 13"):
        it.solve("S(3)", "V**2", "V**2", method="iterative", cache=False)
    basis = it.solve(
        "S(3)", "V**2", "V**2", method="iterative", cache=False, accept_lower_bound=True
    )
    assert basis.lower_bound and basis.dim == 13 and basis.to_json()["lower_bound"] is True
    assert "AT LEAST 13" in basis.to_text()
    args = ["solve", "S(3)", "V**2", "V**2", "--method", "iterative", "--no-cache", "-q"]
    assert main(args) == 2
    assert "at least 13" in capsys.readouterr().err
    assert main([*args, "--accept-lower-bound", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["lower_bound"] is True and "lower bound" in captured.err
    saved = tmp_path / "b.npz"
    basis.save(saved)
    assert it.Basis.load(saved).lower_bound


def test_rational_constraints_certify_by_the_nullity_mod_p(monkeypatch):
    """When the eigenvalues cannot certify a complete set, rank mod p still can; it never
    certifies an incomplete one (above)."""
    real = _iterative.certified_nullspace

    def unsure(*args, **kw):
        found = real(*args, **kw)
        return _iterative.IterativeNullspace(found.vectors, False, 0.0, found.tol)

    monkeypatch.setattr(_iterative, "certified_nullspace", unsure)
    basis = it.solve("S(3)", "V**2", "V**2", method="iterative", cache=False)
    assert basis.dim == sn_dim(3, 2, 2) and not basis.lower_bound


# ---------------------------------------------------------------- 2. rounded float generators
def _rotation(axis, angle: float) -> np.ndarray:
    a = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k


PHI = (1 + 5**0.5) / 2
ICO = [
    _rotation([0, 1, PHI], 2 * np.pi / 5),  # about a vertex of the icosahedron
    _rotation([PHI, 0, 1 + 2 * PHI], 2 * np.pi / 3),  # about the centre of a face
]


def _closure(gens: list[np.ndarray]) -> list[np.ndarray]:
    elements, seen, todo = [], set(), [np.eye(3)]
    while todo:
        g = todo.pop()
        key = tuple(np.round(g, 6).ravel())
        if key not in seen:
            seen.add(key)
            elements.append(g)
            todo.extend(h @ g for h in gens)
    return elements


ICO_GROUP = _closure(ICO)


def ico_dim(p: int, q: int) -> int:
    """dim Hom(V^p, V^q) = (1/|G|) Σ_g χ(g)^(p+q) over the 60 rotations."""
    chars = np.array([np.trace(g) for g in ICO_GROUP])
    return round(float(np.mean(chars ** (p + q))))


def _ico_file(tmp_path, decimals: int) -> str:
    path = tmp_path / f"ico{decimals}.json"
    mats = [np.round(g, decimals).tolist() for g in ICO]
    path.write_text(json.dumps({"kind": "group", "degree": 3, "matrices": mats}))
    return f"@{path}"


def test_the_enumerated_group_is_the_icosahedral_group():
    assert len(ICO_GROUP) == 60
    assert sorted(round(float(np.trace(g)), 6) for g in ICO_GROUP).count(3.0) == 1


@pytest.mark.parametrize("decimals", [6, 9, 10])
@pytest.mark.parametrize("p, q", [(3, 3), (2, 0)])
def test_rounded_icosahedral_generators(tmp_path, decimals, p, q):
    rep = {0: "1", 2: "V**2", 3: "V**3"}
    basis = it.solve(_ico_file(tmp_path, decimals), rep[p], rep[q], cache=False)  # no warning
    assert basis.dim == ico_dim(p, q) and not basis.exact
    gap = basis.rank_gap
    assert gap is not None and gap.clear and gap.largest_dropped < 1e-6 < gap.smallest_kept


def test_rounded_generators_report_their_gap_in_json_and_text(tmp_path, capsys):
    args = ["solve", _ico_file(tmp_path, 9), "V**2", "V**2", "--no-cache", "-q"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dim"] == ico_dim(2, 2) and out["rank_gap"]["tol"] == 1e-6
    assert out["rank_gap"]["largest_dropped"] < 1e-6 < out["rank_gap"]["smallest_kept"]
    assert main(args) == 0
    assert "rank gap at tol 1e-06" in capsys.readouterr().out


def test_a_tolerance_tighter_than_the_rounding_warns(tmp_path, capsys):
    group = _ico_file(tmp_path, 6)
    with pytest.warns(UserWarning, match="looser tolerance"):
        basis = it.solve(group, "V**2", "1", cache=False, tol=1e-10)
    assert basis.dim == 0 and basis.rank_gap.looser_extra == 1
    assert main(["solve", group, "V**2", "1", "--tol", "1e-10", "--no-cache", "-q"]) == 0
    assert "warning: " in capsys.readouterr().err
    assert main(["solve", group, "V**2", "1", "--tol", "2", "--no-cache", "-q"]) == 2


# ---------------------------------------------------------------- 9. C(k) and D(k), exactly
def planar_dim(k: int, reflect: bool, p: int, q: int) -> int:
    """(1/|G|) Σ_g χ(g)^(p+q): rotations have χ = 2cos(2πj/k), reflections χ = 0."""
    chars = 2 * np.cos(2 * np.pi * np.arange(k) / k)
    total = float(np.sum(chars ** (p + q)))
    if reflect:
        total += k * (1.0 if p + q == 0 else 0.0)
    return round(total / (2 * k if reflect else k))


@pytest.mark.parametrize("k", range(1, 13))
@pytest.mark.parametrize("family", ["C", "D"])
def test_planar_groups_on_v4_are_exact(family, k):
    basis = it.solve(f"{family}({k})", "V**4", "V**4", cache=False)
    assert basis.exact and basis.dim == planar_dim(k, family == "D", 4, 4)
    rot = it.resolve(f"{family}({k})", "V**4", "V**4")[1].numpy()
    w = basis.dense
    for g in rot:
        assert np.allclose(np.einsum("kij,jl->kil", w, g), np.einsum("ij,kjl->kil", g, w))


@pytest.mark.parametrize("k", [5, 7, 9])
@pytest.mark.parametrize("family", ["C", "D"])
@pytest.mark.parametrize("p, q", [(3, 1), (2, 0), (4, 2), (1, 3), (3, 3)])
def test_planar_groups_on_smaller_reps_are_exact(family, k, p, q):
    rep = {0: "1", 1: "V", 2: "V**2", 3: "V**3", 4: "V**4"}
    basis = it.solve(f"{family}({k})", rep[p], rep[q], cache=False)
    assert basis.exact and basis.dim == planar_dim(k, family == "D", p, q)
    assert all(isinstance(v, int) for m in basis.to_json()["basis"] for r in m for v in r)


def test_planar_sums_and_duals():
    basis = it.solve("C(7)", "V* * V + 1", "V**2 + 2*1", cache=False)
    want = sum(
        planar_dim(7, False, a, b) * ca * cb
        for a, ca in ((2, 1), (0, 1))
        for b, cb in ((2, 1), (0, 2))
    )
    assert basis.exact and basis.dim == want


@pytest.mark.slow
def test_c7_on_a_large_sum_is_exact():
    basis = it.solve("C(7)", "V**7", "V**6 + 1", cache=False)
    want = planar_dim(7, False, 7, 6) + planar_dim(7, False, 7, 0)
    assert basis.exact and basis.dim == want == 574


# ---------------------------------------------------------------- 3. bases beyond 64 bits
@pytest.mark.parametrize("a", [[[100000, 99999], [1, 1]]])
def test_hyperbolic_generators_keep_big_integer_bases(tmp_path, capsys, a):
    """A has eigenvalues λ, 1/λ with λ no root of unity, so V⊗⁴ has the weights λ^(4−2j) with
    multiplicity C(4, j), and dim End = Σ_j C(4, j)²."""
    import flint

    path = tmp_path / "hyp.json"
    path.write_text(json.dumps({"kind": "group", "degree": 2, "matrices": [a]}))
    args = ["solve", f"@{path}", "V**4", "V**4", "--no-cache", "-q"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exact"] and out["dim"] == sum(comb(4, j) ** 2 for j in range(5))
    big = np.array(a, dtype=object)
    a4 = big
    for _ in range(3):
        a4 = np.kron(a4, big)  # Python integers: no wrap-around
    mats = [np.array(m, dtype=object) for m in out["basis"]]
    assert max(abs(int(v)) for m in mats for v in m.ravel()).bit_length() > 63
    assert all(np.array_equal(m.dot(a4), a4.dot(m)) for m in mats)
    rows = [[int(v) for v in m.ravel()] for m in mats]
    assert flint.fmpz_mat(rows).rank() == len(rows)
    saved = tmp_path / "b.npz"
    assert main([*args, "--format", "npz", "--output", str(saved)]) == 0
    loaded = it.Basis.load(saved)
    assert loaded.exact and loaded.to_json()["basis"] == out["basis"]


def test_big_integer_values_that_disagree_with_the_data_are_refused(tmp_path):
    from intertwine.errors import IntertwineError
    from intertwine.solver._basis import _checksum

    path = tmp_path / "hyp.json"
    path.write_text(
        json.dumps({"kind": "group", "degree": 2, "matrices": [[[100000, 99999], [1, 1]]]})
    )
    saved = tmp_path / "b.npz"
    basis = it.solve(f"@{path}", "V**4", "V**4", cache=False)
    assert basis.exact_values is not None
    basis.save(saved)
    with np.load(saved, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if k != "checksum"}
    values = arrays["exact_values"].tolist()
    values[0] = str(int(values[0]) + 1)  # a forged value under a valid checksum
    arrays["exact_values"] = np.array(values, dtype=str)
    arrays["checksum"] = np.array(_checksum(arrays))
    with open(saved, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(IntertwineError, match="not a valid intertwine basis file"):
        it.Basis.load(saved)
