"""The orbit stage against Burnside's lemma and the character inner product, computed here from
the enumerated group: the number of (signed) orbits on the entries of W is dim Hom(IN, OUT)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import intertwine as it
from intertwine.solver._constraints import constraints
from intertwine.solver._orbit import orbit_tying


def _cube_generators(d: int) -> list[np.ndarray]:
    """Signed permutation matrices generating the symmetries of the d-cube (order 2^d d!)."""
    swap = np.eye(d, dtype=int)[:, [1, 0, *range(2, d)]]
    cycle = np.eye(d, dtype=int)[:, [*range(1, d), 0]]
    flip = np.diag([-1] + [1] * (d - 1))
    return [swap, cycle, flip]


def _vertex_permutations(d: int) -> list[list[int]]:
    """The same generators acting on the 2^d vertices (bit vectors; a sign flips a bit)."""
    perms = []
    for g in _cube_generators(d):
        image = []
        for v in range(2**d):
            x = np.array([1 if (v >> b) & 1 else -1 for b in range(d)])
            y = g @ x
            image.append(sum(1 << b for b in range(d) if y[b] > 0))
        perms.append(image)
    return perms


def _closure(generators: list[np.ndarray]) -> list[np.ndarray]:
    seen = {g.tobytes(): g for g in generators}
    frontier = list(generators)
    while frontier:
        new = []
        for a in frontier:
            for g in generators:
                c = g @ a
                if c.tobytes() not in seen:
                    seen[c.tobytes()] = c
                    new.append(c)
        frontier = new
    return list(seen.values())


@pytest.mark.parametrize("d, k, l", [(3, 2, 2), (3, 1, 3), (2, 2, 1)])
def test_orbits_of_a_permutation_group_are_counted_by_burnside(tmp_path, d, k, l):
    perms = _vertex_permutations(d)
    path = tmp_path / "cube.json"
    path.write_text(json.dumps({"kind": "group", "degree": 2**d, "permutations": perms}))
    mats = [np.eye(2**d, dtype=int)[:, p] for p in perms]  # e_i -> e_{p[i]}
    group = _closure(mats)
    assert len(group) == 2**d * math.factorial(d)
    # Burnside: orbits on V^{⊗l} ⊗ V^{⊗k} entries = mean number of fixed entries = mean fix(g)^(k+l)
    burnside = sum(int(np.trace(g)) ** (k + l) for g in group) / len(group)
    a = it.action(f"@{path}")
    r_in, r_out = it.rep(a, "V" if k == 1 else f"V**{k}"), it.rep(a, "V" if l == 1 else f"V**{l}")
    pairs = [c.monomial() for c in constraints(r_in, r_out)]
    assert all(p is not None for p in pairs)
    tying = orbit_tying(pairs, r_in.dim, r_out.dim)
    assert tying.count == burnside and not tying.signed
    assert np.all(tying.param >= 0)  # a permutation group forces no entry to zero


@pytest.mark.parametrize("k, l", [(1, 1), (2, 2), (1, 2), (3, 1)])
def test_signed_orbits_and_forced_zeros_match_the_character_inner_product(tmp_path, k, l):
    # the cube group on R^3 by signed permutation matrices: signs tie entries with -1 and force
    # zeros (an entry tied to its own negative); the count is (1/|G|) Σ χ(g)^(k+l)
    gens = _cube_generators(3)
    path = tmp_path / "b3.json"
    path.write_text(
        json.dumps({"kind": "group", "degree": 3, "matrices": [g.tolist() for g in gens]})
    )
    group = _closure(gens)
    assert len(group) == 48
    want = sum(int(np.trace(g)) ** (k + l) for g in group) / len(group)
    a = it.action(f"@{path}")
    r_in, r_out = it.rep(a, "V" if k == 1 else f"V**{k}"), it.rep(a, "V" if l == 1 else f"V**{l}")
    tying = orbit_tying([c.monomial() for c in constraints(r_in, r_out)], r_in.dim, r_out.dim)
    assert tying.count == want
    if k + l > 2:
        assert np.any(tying.param < 0)  # entries tied to their own negatives are zero
    # the tying is a basis of intertwiners: W ρ_in(g) = ρ_out(g) W for each basis matrix
    basis = tying.matrix().toarray().T.reshape(-1, r_out.dim, r_in.dim)
    for g_in, g_out in zip(r_in.generators, r_out.generators):
        x_in, x_out = g_in.to_numpy(), g_out.to_numpy()
        assert np.allclose(basis @ x_in, x_out @ basis)


def test_signs_that_survive_tie_entries_with_minus_one(tmp_path):
    # C(4) on R^2 by the rotation J = [[0, -1], [1, 0]]: the commutant a·I + b·J ties W[0, 1] to
    # −W[1, 0]; (1/4) Σ χ(g)² = (4 + 0 + 4 + 0) / 4 = 2
    rot = np.array([[0, -1], [1, 0]])
    path = tmp_path / "c4.json"
    path.write_text(json.dumps({"kind": "group", "degree": 2, "matrices": [rot.tolist()]}))
    group = _closure([rot])
    want = sum(int(np.trace(g)) ** 2 for g in group) / len(group)
    r = it.rep(it.action(f"@{path}"), "V")
    tying = orbit_tying([c.monomial() for c in constraints(r, r)], 2, 2)
    assert tying.count == want == 2 and tying.signed
    assert tying.param.tolist() == [0, 1, 1, 0] and tying.sign.tolist() == [1, 1, -1, 1]
