"""The spec parsers: valid input round-trips, malformed and hostile input fails clearly."""

import json

import pytest

from intertwine.errors import IntertwineError, RepError, SpecError
from intertwine.spec import parse_action, parse_rep


@pytest.mark.parametrize(
    "text,dim",
    [
        ("V", 4),
        ("1", 1),
        ("V**2", 16),
        ("V + V**2", 20),
        ("V* * V", 16),
        ("(V*)**2", 16),
        ("3*V", 12),
        ("2*V + 1", 9),
        ("(V + 1)**2", 25),
        ("V*V*V", 64),
        ("V**0", 1),
        ("  V  +  1 ", 5),
        ("V*", 4),
        ("V**2*", 16),
    ],
)
def test_rep_expressions(text, dim):
    a = parse_action("S(4)")
    rep = parse_rep(a, text)
    assert rep.dim == dim
    assert parse_rep(a, str(rep)) == rep  # printed back readably


def test_dual_and_tensor_disambiguation():
    a = parse_action("GL(2)")
    assert parse_rep(a, "V* * V") == parse_rep(a, "V").dual() * parse_rep(a, "V")
    assert parse_rep(a, "(V*)**2") == parse_rep(a, "V").dual() ** 2
    assert parse_rep(a, "V**2*") == (parse_rep(a, "V") ** 2).dual()


def test_product_reps():
    a = parse_action("S(3) x Z(4)")
    assert parse_rep(a, "V1*V2").dim == 12
    with pytest.raises(SpecError, match="V1, V2"):
        parse_rep(a, "V")


@pytest.mark.parametrize(
    "text,match",
    [
        ("", "empty"),
        ("V**", "ends too early"),
        ("V***2", "integer exponent"),
        ("V+", "ends too early"),
        ("(V", "ends too early"),
        ("(V))", "unexpected"),
        ("2", "copies"),
        ("V*2", "multiplicity goes on the left"),
        ("V^2", "unexpected character"),
        ("V**100", "too large"),
        ("V3", "no rep"),
        ("__import__('os')", "unexpected character"),
        ("V**-1", "unexpected character"),
        ("0*V", "at least 1"),
        ("(" * 200 + "V" + ")" * 200, "deeper"),
        ("V" * 3000, "limit"),
    ],
)
def test_malformed_reps(text, match):
    with pytest.raises(SpecError, match=match):
        parse_rep(parse_action("S(3)"), text)


def test_monoid_has_no_dual():
    with pytest.raises(RepError, match="monoid.*no dual"):
        parse_rep(parse_action("Shift(8)"), "V*")


@pytest.mark.parametrize(
    "text,match",
    [
        ("", "empty"),
        ("S(", "parentheses"),
        ("S(5", "parentheses"),
        ("S(a)", "integer"),
        ("Q(5)", "unknown group"),
        ("s(5)", "did you mean 'S'"),
        ("S(5) x", "missing factor"),
        ("S(1,2,3)", "argument"),
        ("S(99999999999)", "too large"),
        ("S(0)", "out of range"),
        ("SO(1)", "out of range"),
        ("__import__('os').system('x')", "unexpected character"),
        ("O(0,3)", "p, q >= 1"),
        ("S(5)(6)", "parentheses"),
        ("S" * 2000, "limit"),
    ],
)
def test_malformed_groups(text, match):
    with pytest.raises(IntertwineError, match=match):
        parse_action(text)


def _write(tmp_path, obj, name="g.json"):
    p = tmp_path / name
    p.write_text(json.dumps(obj) if not isinstance(obj, str) else obj)
    return f"@{p}"


def test_custom_group_and_monoid(tmp_path):
    g = parse_action(_write(tmp_path, {"kind": "group", "degree": 3, "permutations": [[1, 2, 0]]}))
    assert g.order() == 3 and g.is_group
    m = parse_action(
        _write(tmp_path, {"kind": "monoid", "degree": 3, "transformations": [[0, 0, 1]]}, "m.json")
    )
    assert not m.is_group
    lie = parse_action(
        _write(
            tmp_path, {"kind": "group", "degree": 2, "lie_algebra": [[[0, -1], [1, 0]]]}, "l.json"
        )
    )
    assert lie.generators[0].kind == "lie"
    rat = parse_action(
        _write(tmp_path, {"kind": "group", "degree": 2, "matrices": [[[0.5, 0], [0, 2]]]}, "r.json")
    )
    assert rat.generators[0].matrices[0].domain == "RR"


@pytest.mark.parametrize(
    "obj,match",
    [
        ({"kind": "group", "degree": 3, "permutations": [[0, 1, 2]], "name": "x"}, "unknown key"),
        ({"kind": "group", "degree": 3, "permutations": [[0, 0, 1]]}, "not a bijection"),
        ({"kind": "group", "degree": 3, "permutations": [[0, 1]]}, "3 integers"),
        ({"kind": "group", "degree": 3, "permutations": [[0, 1, 5]]}, "0..2"),
        ({"kind": "grp", "degree": 3}, "'kind'"),
        ({"kind": "group", "degree": 0, "permutations": []}, "'degree'"),
        ({"kind": "group", "degree": 2}, "no generators"),
        ({"kind": "group", "degree": 2, "transformations": [[0, 0]]}, "belong to a monoid"),
        ({"kind": "monoid", "degree": 2, "lie_algebra": [[[0, 1], [0, 0]]]}, "needs a group"),
        ({"kind": "group", "degree": 2, "matrices": [[[1, 1], [1, 1]]]}, "singular"),
        ({"kind": "group", "degree": 2, "matrices": [[[1, 0, 0], [0, 1, 0]]]}, "square"),
        ({"kind": "group", "degree": 3, "matrices": [[[1, 0], [0, 1]]]}, "degree is 3"),
        ({"kind": "group", "degree": 2, "matrices": [[[1, "a"], [0, 1]]]}, "non-numeric"),
        ('{"kind": "group", "degree": 2, "matrices": [[[NaN, 0], [0, 1]]]}', "NaN"),
        ('{"kind": "group", ', "invalid JSON"),
        ([1, 2], "JSON object"),
    ],
)
def test_custom_validation(tmp_path, obj, match):
    with pytest.raises(SpecError, match=match):
        parse_action(_write(tmp_path, obj))


def test_custom_missing_file(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        parse_action(f"@{tmp_path}/nope.json")
