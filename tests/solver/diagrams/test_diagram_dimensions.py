"""The dimension texts of diagram bases and of a symbolic n are true at every n they name:
checked against nullspaces computed here from scratch (generators built in NumPy, the
invariants of V^⊗m found by an eigendecomposition), and degree-0 cases (1 -> 1) for every
family."""

import re

import numpy as np
import pytest

import intertwine as it
from intertwine.cli import main
from intertwine.solver import every_n
from intertwine.solver.diagrams import double_factorial

MAX_SIZE = 729  # n^m of the brute-force invariant spaces


def _generators(family: str, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(discrete, Lie) generators on V = R^n (n = 2r for Sp(r)), built here."""
    if family == "S":
        cycle = np.roll(np.eye(n), 1, axis=0)
        swap = np.eye(n)[[1, 0] + list(range(2, n))] if n > 1 else np.eye(n)
        return [cycle, swap], []
    if family == "Sp":
        r = n // 2
        j = np.block([[np.zeros((r, r)), np.eye(r)], [-np.eye(r), np.zeros((r, r))]])
        sym = []
        for a in range(n):
            for b in range(a, n):
                s = np.zeros((n, n))
                s[a, b] = s[b, a] = 1
                sym.append(j @ s)  # X = J S: Xᵀ J + J X = 0
        return [], sym
    anti = []
    for a in range(n):
        for b in range(a + 1, n):
            x = np.zeros((n, n))
            x[a, b], x[b, a] = 1, -1
            anti.append(x)
    reflection = np.diag([-1.0] + [1.0] * (n - 1))
    return ([reflection] if family == "O" else []), anti


def _brute_invariants(family: str, n: int, m: int) -> int:
    """dim (V^⊗m)^G from scratch; Hom(V^⊗k, V^⊗l) is (V^⊗(k+l))^G for these self-dual V."""
    if m == 0:
        return 1
    discrete, lie = _generators(family, n)
    size = n**m
    gram = np.zeros((size, size))
    for g in discrete:
        a = g
        for _ in range(m - 1):
            a = np.kron(a, g)
        a = a - np.eye(size)
        gram += a.T @ a
    for x in lie:
        a = np.zeros((size, size))
        for axis in range(m):
            a += np.kron(np.kron(np.eye(n**axis), x), np.eye(n ** (m - axis - 1)))
        gram += a.T @ a
    w = np.linalg.eigvalsh(gram)
    return int(np.sum(w < 1e-8 * max(1.0, w.max())))


def _claims(text: str, variable: str = "n") -> list[tuple[int, int, bool]]:
    """(dimension, n, from n on) for every "D for n >= T" and "D for n = T" in one pair's text."""
    found = re.findall(rf"(\d+)(?: \(Bell\(\d+\)\))? for {re.escape(variable)} (>=|=) (\d+)", text)
    return [(int(d), int(t), op == ">=") for d, op, t in found]


def _check_claims(family: str, m: int, claims, lowest: int) -> None:
    """Every claim against the brute-force count, at its n and two more above a '>='."""
    assert claims
    for dim, n, onwards in claims:
        for nn in [n, n + 1, n + 2] if onwards else [n]:
            v = 2 * nn if family == "Sp" else nn
            if nn >= lowest and v**m <= MAX_SIZE:
                assert _brute_invariants(family, v, m) == dim, (family, m, nn)


@pytest.mark.parametrize(
    "group,a,b",
    [
        ("SO(5)", "V**2", "V**2"),  # was "3 for n >= 2": 6 at n = 2, 4 at n = 4
        ("SO(3)", "V**3", "V**3"),  # was "15 for n >= 3": 25 at n = 4, 16 at n = 6
        ("SO(2)", "1 + V", "1 + V"),
        ("O(3)", "V + 1", "V**2 + 1"),
        ("O(4)", "V**2", "V**2"),
        ("Sp(2)", "V**2", "V**2 + 1"),
        ("S(4)", "V", "V**2"),
    ],
)
def test_diagram_dimension_texts_are_true_at_every_n(group, a, b):
    basis = it.solve(group, a, b, method="diagram")
    family = basis.family
    lowest = 2 if family == "SO" else 1
    for part in basis.dimension_text().split(" | "):
        pair, text = part.split(": ", 1)
        k, l = (0 if s == "1" else 1 if s == "V" else int(s[3:]) for s in pair.split(" -> "))
        _check_claims(family, k + l, _claims(text), lowest)


def test_indefinite_dimension_texts_name_p_plus_q():
    """O(p,q) and SO(p,q) have the dimensions of O(p + q) and SO(p + q) (the complexified
    groups agree); the text says so in p + q, and the count here is the solved one."""
    basis = it.solve("SO(1,2)", "V**2", "V", method="diagram")
    claims = _claims(basis.dimension_text(), "p + q")
    assert (basis.dim, 3, False) in claims
    _check_claims("SO", 3, claims, 2)


@pytest.mark.parametrize("family", ["S", "O", "SO", "Sp"])
@pytest.mark.parametrize("a,b", [("1", "1"), ("V", "1"), ("1", "V**2"), ("V", "V"), ("V**2", "V")])
def test_every_n_small_degrees(family, a, b):
    """Degree-0 and small k + l for every family with the letter n: every n of the text is
    the brute-force count, and the solver at that n agrees."""
    text = every_n(f"{family}(n)", a, b).dimension_text()
    k, l = (0 if s == "1" else 1 if s == "V" else 2 for s in (a, b))
    _check_claims(family, k + l, _claims(text), 2 if family == "SO" else 1)


def test_scalars_of_special_orthogonal_groups_for_every_n(capsys):
    """SO(n) on 1 -> 1: dimension 1 for every n >= 2, by the CLI and by every_n."""
    assert every_n("SO(n)", "1", "1").dimension_text() == "1 for n >= 2"
    assert main(["solve", "SO(n)", "1", "1"]) == 0
    assert "dim:     1 for n >= 2" in capsys.readouterr().out
    for group in ("SO(2)", "SO(3)", "SO(1,1)", "O(1)", "S(1)", "Sp(1)", "O(1,1)"):
        assert it.solve(group, "1", "1").dim == 1, group


def test_epsilon_refusal_gives_advice_that_works(capsys):
    """SO(8) V**4 -> V**4 with --method diagram: the message gives the dimension (105 Brauer
    diagrams, (8 - 1)!!, and one ε diagram) and advice that works: O(8) solves."""
    assert main(["solve", "SO(8)", "V**4", "V**4", "--method", "diagram"]) == 2
    err = capsys.readouterr().err
    assert "--method auto" not in err and "use --method exact" not in err
    assert "dimension is 106: 105 from Brauer diagrams" in err and "solve O(8)" in err
    assert double_factorial(7) == 105
    assert it.solve("O(8)", "V**4", "V**4").dim == 105
    assert main(["solve", "Z(5)", "V", "V", "--method", "diagram"]) == 2
    assert "use --method auto" in capsys.readouterr().err
    assert main(["solve", "Z(5)", "V", "V", "--method", "auto"]) == 0  # that advice works
