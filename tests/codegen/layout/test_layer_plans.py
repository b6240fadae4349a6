"""Layer plans as typed values: one plan type per mode, equal by content, shared compiled code."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from intertwine.codegen import (
    Module,
    equivariant_linear,
    equivariant_mlp,
    gated_network,
    tensor_product,
)
from intertwine.codegen.layers import apply_layer, init_params
from intertwine.codegen.layout import (
    MODES,
    PLAN_TYPES,
    ConvolutionPlan,
    DensePlan,
    DiagramPlan,
    GatherPlan,
    IrrepPlan,
    ScatterPlan,
    layout_from_basis,
)
from intertwine.codegen.source import source_mode
from intertwine.recursion import dense_cell, fold

# one case per plan type (the mode forced where the default would pick another)
CASES = [
    ("S(5)", "V**2", "V**2", None, DiagramPlan),
    ("Shift(100)", "V", "V", None, ConvolutionPlan),
    ("S(4)", "V", "V", "tying", GatherPlan),
    ("S(4)", "V", "V", "sparse", ScatterPlan),
    ("S(4)", "V", "V", "dense", DensePlan),
    ("O(3)", "4x0e + 2x1o", "2x0e + 2x1o", None, IrrepPlan),
]


def test_every_mode_is_one_plan_type():
    assert {t.mode for t in PLAN_TYPES} == set(MODES) and len(MODES) == len(PLAN_TYPES)
    assert {case[-1] for case in CASES} == set(PLAN_TYPES)


@pytest.mark.parametrize("group,a,b,mode,kind", CASES)
def test_equal_layouts_are_equal_values(group, a, b, mode, kind):
    """Two layouts built separately from the same request are equal and hash alike; their
    arrays cannot be changed in place (the hash stays true)."""
    one = layout_from_basis(group, a, b, channels=(2, 3), mode=mode)
    two = layout_from_basis(group, a, b, channels=(2, 3), mode=mode)
    assert isinstance(one.plan, kind) and one.mode == kind.mode
    assert one is not two and one == two and hash(one) == hash(two)
    assert one.plan == two.plan and hash(one.plan) == hash(two.plan)
    assert one != layout_from_basis(group, a, b, channels=(3, 3), mode=mode)
    if one.tying is not None:
        with pytest.raises(ValueError, match="read-only"):
            one.tying.index[0] = 0


def test_a_plan_differs_by_its_arrays():
    sign = np.array([1.0, -1.0])
    assert GatherPlan.of([0, 1], sign) == GatherPlan.of(np.array([0, 1]), sign)
    assert GatherPlan.of([0, 1], sign) != GatherPlan.of([1, 0], sign)
    assert GatherPlan.of([0, 1], sign) != ScatterPlan.of([0, 1], [0, 1], sign)


@pytest.mark.parametrize("group,a,b,mode,kind", CASES)
def test_equal_layers_share_one_compiled_function(group, a, b, mode, kind):
    """jit with the layout static: a second call, and a second equal layer built separately,
    trace nothing again; a layer of other channels traces once more."""
    traces = []

    def run(layout, params, x):
        traces.append(layout)  # a Python side effect: runs only while tracing
        return apply_layer(layout, params, x)

    jitted = jax.jit(run, static_argnums=0)
    first = layout_from_basis(group, a, b, channels=(2, 3), mode=mode)
    second = layout_from_basis(group, a, b, channels=(2, 3), mode=mode)
    params = init_params(first, jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (4, 2, first.in_dim))
    y1 = jitted(first, params, x)
    y2 = jitted(first, params, x)
    y3 = jitted(second, params, x)
    assert len(traces) == 1
    np.testing.assert_array_equal(np.asarray(y1), np.asarray(y3))
    np.testing.assert_array_equal(np.asarray(y1), np.asarray(y2))
    other = layout_from_basis(group, a, b, channels=(1, 3), mode=mode)
    jitted(other, init_params(other, jax.random.PRNGKey(0)), x[:, :1])
    assert len(traces) == 2


def test_equal_equinox_layers_share_one_compiled_function():
    eqx = pytest.importorskip("equinox", reason="Equinox is an optional test dependency")
    from intertwine.codegen import EquivariantLinear

    traces = []

    @eqx.filter_jit
    def run(module, x):
        traces.append(1)
        return module(x)

    key = jax.random.PRNGKey(0)
    one = EquivariantLinear("S(6)", "V", "V", channels=(2, 2), key=key)
    two = EquivariantLinear("S(6)", "V", "V", channels=(2, 2), key=key)
    x = jnp.ones((2, 6))
    run(one, x)
    run(one, x)
    run(two, x)
    assert len(traces) == 1


@pytest.mark.parametrize("group,a,b,mode,kind", CASES)
def test_emitted_kind_follows_the_plan_type(group, a, b, mode, kind):
    layout = layout_from_basis(group, a, b, mode=mode)
    want = {
        DiagramPlan: "diagram_pair",
        ConvolutionPlan: "convolution",
        GatherPlan: "tying",
        ScatterPlan: "sparse",
        DensePlan: "tying",  # a dense basis that is a tying is emitted as its gather
        IrrepPlan: "irrep",
    }
    assert source_mode(layout) == want[kind]


def test_every_trainable_is_a_module():
    """Layer, MLP, Network, tensor product, Cell and Fold share the Module protocol."""
    cell_nil = dense_cell(0, 3, 0)
    cell_cons = dense_cell(2, 3, 1)
    things = [
        equivariant_linear("S(4)", "V", "V"),
        equivariant_mlp("S(4)", "V", "1", "V", depth=1, channels=2),
        gated_network("S(4)", "V", "1", "V", 1),
        tensor_product("O(3)", "1x1o", "1x1o", "1x0e + 1x1e"),
        cell_nil,
        fold("1 + A*X", [cell_nil, cell_cons]),
    ]
    for thing in things:
        assert isinstance(thing, Module), type(thing)
        assert callable(thing.init) and callable(thing.apply)
    assert not isinstance(lambda x: x, Module)
