"""One API: action first everywhere, strings and values alike, values that behave as values."""

import subprocess
import sys

import numpy as np
import pytest
import sympy

import intertwine as it
from intertwine.core import Matrix, Standard, Sum, Trivial
from intertwine.errors import IntertwineError, RepError, SpecError
from intertwine.spec import parse_action, parse_rep, resolve


def test_every_entry_point_takes_the_action_first_as_string_or_value():
    action = it.action("S(4)")
    v2 = it.rep("S(4)", "V**2")
    assert it.rep(action, "V**2") == v2 == parse_rep(action, "V**2")
    assert it.solve("S(4)", "V", v2).dim == it.solve(action, action.V(), "V**2").dim == 5
    assert it.invariants(action, "V**2").dim == 2
    a, ri, ro = resolve("S(4)", "V", v2)
    assert (a, ri, ro) == (action, action.V(), v2)


def test_swapped_arguments_say_how_to_call():
    with pytest.raises(SpecError, match="action first"):
        parse_rep("V**2", parse_action("S(3)"))
    with pytest.raises(SpecError, match="action first"):
        it.solve(it.rep("S(3)", "V"), "V", "V")
    with pytest.raises(RepError, match="belongs to S\\(4\\)"):
        it.solve("S(3)", it.rep("S(4)", "V"), "V")


def test_layers_and_mlps_take_strings_and_values():
    from intertwine.codegen import equivariant_linear, equivariant_mlp

    action = it.action("S(5)")
    by_string = equivariant_mlp("S(5)", "V", "1", "V + V**2", 2, channels=3)
    by_value = equivariant_mlp(action, action.V(), action.trivial(), it.rep(action, "V + V**2"), 2)
    assert [lay.dim for lay in by_string.layouts] == [lay.dim for lay in by_value.layouts]
    # Bell numbers: Hom(V, V + V²) = 2 + 5, Hom(V + V², V + V²) = 2 + 5 + 5 + 15, Hom(., 1) = 1 + 2
    assert [lay.dim for lay in by_string.layouts] == [7, 27, 3]
    layer = equivariant_linear(action, "V**2", action.V() ** 2)
    assert layer.layout.dim == 15
    with pytest.raises(IntertwineError, match="depth"):
        equivariant_mlp("S(5)", "V", "1", "V", 0)


def test_printing_a_layer_is_one_line():
    from intertwine.codegen import equivariant_linear, equivariant_mlp

    layer = equivariant_linear("S(5)", "V**2", "V**2", channels=(4, 8))
    for text in (repr(layer), str(layer), repr(layer.layout)):
        assert "\n" not in text and len(text) < 200, text
        assert "S(5)" in text and "V**2" in text
    assert "15 tied weights" in repr(layer)
    mlp = equivariant_mlp("S(5)", "V", "1", "V", 2)
    assert "\n" not in repr(mlp) and "3 layers" in repr(mlp)


def test_import_intertwine_verify_gives_the_module_and_calls_verify():
    import intertwine.verify as verify_module

    assert isinstance(verify_module, type(sys))
    assert it.verify is verify_module
    w = it.solve("S(4)", "V", "V").weight(np.array([1.0, 2.0]))
    assert bool(it.verify(w, "S(4)", "V", "V"))  # calling the module calls verify
    assert bool(verify_module.verify(w, "S(4)", "V", "V"))


def test_emit_is_exported_beside_the_layers_and_takes_the_target_by_keyword():
    from intertwine import codegen

    assert "emit" in codegen.__all__
    basis = it.solve("S(4)", "V", "V")
    assert "def Layer" in codegen.emit(basis, target="numpy", name="Layer").source
    with pytest.raises(IntertwineError, match="target='numpy'"):
        codegen.emit(basis, "numpy")


def test_sums_keep_the_order_written():
    action = it.action("SO(3)")
    v = action.V()
    left, right = 1 + v, v + 1
    assert isinstance(left.node, Sum)
    assert isinstance(left.node.parts[0].node, Trivial)
    assert isinstance(left.node.parts[1].node, Standard)
    assert str(left) == "1 + V" and str(right) == "V + 1"
    assert left == it.rep(action, "1 + V") and left != right  # different block order
    assert np.allclose(left.generators[0].to_numpy()[1:, 1:], v.generators[0].to_numpy())


def test_rep_nodes_are_small_dataclasses():
    rep = it.rep("S(3)", "2*(V**2) + V* * V")
    parts = rep.node.parts
    assert type(parts[0].node).__name__ == "Copies" and parts[0].node.count == 2
    assert type(parts[1].node).__name__ == "Tensor" and len(parts[1].node.parts) == 2
    assert parse_rep(rep.action, str(rep)) == rep


def test_equal_algebraic_matrices_hash_equal():
    a = Matrix.from_dense([[sympy.sqrt(3) / 2, 0], [0, 1]])
    b = Matrix.from_dense([[sympy.sqrt(12) / 4, 0], [0, sympy.Integer(1)]])
    c = Matrix.from_dense([[sympy.sqrt(3) * sympy.Rational(1, 2), 0], [0, 1]])
    assert a == b == c
    assert hash(a) == hash(b) == hash(c)
    assert len({a, b, c}) == 1
    assert Matrix.from_dense([[sympy.sqrt(2) / 2, 0], [0, 1]]) != a


def test_actions_with_equal_algebraic_generators_are_equal():
    assert it.action("C(12)") == it.action("C(12)")
    assert hash(it.rep("D(6)", "V**2")) == hash(it.rep("D(6)", "V**2"))


def test_a_basis_is_immutable_once_returned():
    basis = it.solve("S(5)", "V**2", "V**2")
    for name in ("exact", "method", "group", "coefficients"):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(basis, name, None)
    with pytest.raises(ValueError, match="read-only"):
        basis.sparse.data[0] = 7
    with pytest.raises(ValueError, match="read-only"):
        basis.tying[0, 0] = 3
    assert basis.dim == 15 and basis.exact


def test_cache_hit_labels_come_from_the_request(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERTWINE_CACHE_DIR", str(tmp_path))
    shifts = {"kind": "monoid", "degree": 3, "transformations": [[1, 2, 0]]}
    group = {"kind": "group", "degree": 3, "permutations": [[1, 2, 0]]}
    (tmp_path / "m.json").write_text(__import__("json").dumps(shifts))
    (tmp_path / "g.json").write_text(__import__("json").dumps(group))
    first = it.solve(f"@{tmp_path / 'm.json'}", "V", "V")
    second = it.solve(f"@{tmp_path / 'g.json'}", "V", "V")  # same generators: a cache hit
    assert first.kind == "monoid" and second.kind == "group"


def test_import_intertwine_and_codegen_import_no_framework():
    code = (
        "import sys, intertwine, intertwine.codegen, intertwine.verify\n"
        "print(sorted(m for m in ('jax', 'equinox', 'flax', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
