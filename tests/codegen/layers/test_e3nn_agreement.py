"""Agreement with e3nn-jax (a peer library) on the same weights, where it is installed.

The conventions match: e3nn-jax's real spherical-harmonic basis (1o in the order x, y, z; the
PyTorch e3nn uses y, z, x), its Clebsch–Gordan tensors of Frobenius norm 1, copies
multiplicity-major ("8x1o" = 8 blocks of 3), and for the tensor product its default
normalisation (irrep "component", path "element", weights N(0, 1)). The map of weights:

- tensor product: our flat weights, path by path in e3nn's instruction order (i_1, i_2, i_out
  nested), each of shape (P = 1, u, v, w), are e3nn's weight list with P dropped;
- linear: e3nn's weight w[u, v] of an irrep type times its path weight 1/√(mul_in) is our
  block coefficient W[out copy v, in copy u] (our layer normalises by its own fan-in), so
  e3nn's ``FunctionalLinear.matrix(ws)`` with ws = √(mul_in) · (our blocks) is our Wᵀ;
- gate: e3nn reads "scalars + gates + non-scalars" and normalises its activations (second
  moment 1 under N(0, 1)); ours reads "H + gates" with plain SiLU and sigmoid: equal with the
  gates moved and ``normalize_act=False``.

e3nn-jax is in the ``test`` extra; without it these tests skip. Every side runs jitted (op by op,
the einsums of a few dozen paths take seconds).
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

e3nn = pytest.importorskip("e3nn_jax", reason="e3nn-jax is an optional peer for comparison")
pytest.importorskip("e3nn_jax.legacy", reason="e3nn-jax without its legacy tensor product")

from intertwine.codegen import equivariant_linear, tensor_product  # noqa: E402

TP = [
    ("8x0e + 8x1o + 8x2e", "1x0e + 1x1o + 1x2e", "8x0e + 8x1o + 8x2e"),
    ("2x0e + 3x1o + 1x2o + 1x3e", "2x1e + 1x0o", "1x0o + 2x1o + 2x2e + 1x3o + 1x1e"),
]


@pytest.mark.parametrize("a,b,c", TP)
def test_fully_connected_tensor_product_equals_e3nn(a, b, c):
    tp = tensor_product("O(3)", a, b, c)
    ia, ib, ic = (e3nn.Irreps(s.replace(" ", "")) for s in (a, b, c))
    etp = e3nn.legacy.FunctionalFullyConnectedTensorProduct(ia, ib, ic)
    assert [(i.i_in1, i.i_in2, i.i_out) for i in etp.instructions] == [
        (p.i, p.j, p.k) for p in tp.plan.paths
    ]
    rng = np.random.default_rng(0)
    w = rng.normal(size=tp.plan.num_weights)
    x, y = rng.normal(size=(4, ia.dim)), rng.normal(size=(4, ib.dim))
    ws = [w[p.offset : p.offset + p.size].reshape(p.shape[1:]) for p in tp.plan.paths]
    with jax.enable_x64():
        ours = np.asarray(jax.jit(tp.apply)({"weights": w}, x, y))
        theirs = np.asarray(
            jax.jit(
                jax.vmap(
                    lambda u, v: (
                        etp.left_right(ws, e3nn.IrrepsArray(ia, u), e3nn.IrrepsArray(ib, v)).array
                    )
                )
            )(x, y)
        )
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


def test_channel_wise_tensor_product_equals_e3nn_uvu():
    a, b, c = "3x0e + 2x1o", "1x0e + 1x1o", "3x0e + 3x1o + 2x1o + 2x1e"
    tp = tensor_product("O(3)", a, b, c, mode="uvu")
    ia, ib, ic = (e3nn.Irreps(s.replace(" ", "")) for s in (a, b, c))
    instructions = [(p.i, p.j, p.k, "uvu", True) for p in tp.plan.paths]
    etp = e3nn.legacy.FunctionalTensorProduct(ia, ib, ic, instructions)
    rng = np.random.default_rng(1)
    w = rng.normal(size=tp.plan.num_weights)
    x, y = rng.normal(size=(3, ia.dim)), rng.normal(size=(3, ib.dim))
    ws = [w[p.offset : p.offset + p.size].reshape(p.shape[1:]) for p in tp.plan.paths]
    with jax.enable_x64():
        ours = np.asarray(jax.jit(tp.apply)({"weights": w}, x, y))
        theirs = np.asarray(
            jax.jit(
                jax.vmap(
                    lambda u, v: (
                        etp.left_right(ws, e3nn.IrrepsArray(ia, u), e3nn.IrrepsArray(ib, v)).array
                    )
                )
            )(x, y)
        )
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("rep", ["16x0e + 16x1o + 16x2e + 16x3o", "4x0e + 2x1o + 3x2e"])
def test_linear_layer_is_e3nn_linear_in_the_same_coordinates(rep):
    layer = equivariant_linear("O(3)", rep, rep, bias=False)
    params = layer.init(jax.random.PRNGKey(0))
    with jax.enable_x64():
        f64 = {"theta": np.asarray(params["theta"], np.float64)}
        ours = np.asarray(
            jax.jit(layer.apply)(f64, np.eye(layer.layout.in_dim))
        ).T  # W, column by column
    irreps = e3nn.Irreps(rep.replace(" ", ""))
    lin = e3nn.FunctionalLinear(irreps, irreps)
    slices = irreps.slices()
    ws = []
    for ins in lin.instructions:
        mul_in, ir = irreps[ins.i_in]
        mul_out = irreps[ins.i_out].mul
        block = ours[slices[ins.i_out], slices[ins.i_in]]
        # e3nn: W^T block = path_weight · kron(w, I); read w from the first coordinate of each copy
        w = block[:: ir.dim, :: ir.dim].T / ins.path_weight
        assert w.shape == (mul_in, mul_out)
        ws.append(w)
    with jax.enable_x64():
        theirs = np.asarray(jax.jit(lin.matrix)(ws))
    np.testing.assert_allclose(theirs, ours.T, atol=1e-6)


def test_gate_is_e3nn_gate_with_the_gates_moved():
    """e3nn's gate reads "scalars + gates + non-scalars" and normalises its activations; ours
    reads "H + gates" (the gates appended) with plain SiLU and sigmoid. With the gates moved and
    normalize_act=False the two agree."""
    from intertwine.codegen import irrep_gate

    gate = irrep_gate("O(3)", "2x0e + 1x1o + 1x2e")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, gate.rep_in.dim))
    ours = np.asarray(jax.jit(gate.apply)(x))
    scalars, vectors, gates = x[:, :2], x[:, 2:10], x[:, 10:]

    def e3nn_gate(a):
        return e3nn.gate(
            e3nn.IrrepsArray("2x0e + 2x0e + 1x1o + 1x2e", a),
            even_act=jax.nn.silu,
            even_gate_act=jax.nn.sigmoid,
            normalize_act=False,
        )

    e3nn_in = np.concatenate([scalars, gates, vectors], -1)
    assert str(e3nn_gate(e3nn_in[0]).irreps) == "2x0e+1x1o+1x2e"
    theirs = jax.jit(lambda a: e3nn_gate(a).array)(e3nn_in)
    np.testing.assert_allclose(ours, np.asarray(theirs), atol=1e-6)


def _e3nn_linear_weights(lin, layer, params):
    """e3nn's ``FunctionalLinear`` weights (biases last) that make it our layer: blocks read off
    our matrix (its columns: the layer applied to the unit vectors), divided by e3nn's path
    weight."""
    apply = jax.jit(layer.apply)
    b = np.asarray(apply(params, np.zeros(layer.layout.in_dim)))
    m = np.asarray(apply(params, np.eye(layer.layout.in_dim))).T - b[:, None]
    si, so = lin.irreps_in.slices(), lin.irreps_out.slices()
    ws = []
    for ins in lin.instructions:
        d = lin.irreps_in[ins.i_in].ir.dim
        w = b[so[ins.i_out]] if ins.i_in == -1 else m[so[ins.i_out], si[ins.i_in]][::d, ::d].T
        ws.append(jax.numpy.asarray(w / ins.path_weight))
    return ws


def test_irrep_network_is_the_same_network_written_in_e3nn():
    """Notebook 08's side by side, at depth 2 under O(3) in float64: e3nn's ``FunctionalLinear``
    (biases on scalars), fully connected tensor product and gate (gates as the last scalars,
    ``normalize_act=False``), loaded with our weights, compute our network's function."""
    from intertwine.codegen import irrep_gate, irrep_network, tensor_product

    hidden = "4x0e + 2x1o + 2x1e + 1x2e"
    net = irrep_network("O(3)", "1x1o", "1x1o", hidden, depth=2)
    gate_in = irrep_gate("O(3)", hidden).rep_in
    x_ir, h_ir = e3nn.Irreps("1x1o"), e3nn.Irreps(hidden.replace(" ", ""))
    g_ir = h_ir + e3nn.Irreps("5x0e")
    assert gate_in.dim == g_ir.dim  # H, then one invariant gate per non-scalar copy
    with jax.enable_x64():
        # random weights and biases (the init's biases are zero), in float64
        rng = np.random.default_rng(3)
        shapes = jax.eval_shape(net.init, jax.random.PRNGKey(0))
        params = jax.tree_util.tree_map(lambda a: rng.normal(size=a.shape), shapes)
        ours_lin = [
            equivariant_linear("O(3)", "1x1o", gate_in),
            equivariant_linear("O(3)", hidden, gate_in),
            equivariant_linear("O(3)", hidden, "1x1o"),
        ]
        ours_tp = [tensor_product("O(3)", r, r, gate_in) for r in ("1x1o", hidden)]
        lins = [
            e3nn.FunctionalLinear(x_ir, g_ir, biases=True),
            e3nn.FunctionalLinear(h_ir, g_ir, biases=True),
            e3nn.FunctionalLinear(h_ir, x_ir, biases=True),
        ]
        tps = [e3nn.legacy.FunctionalFullyConnectedTensorProduct(r, r, g_ir) for r in (x_ir, h_ir)]
        lin_w = [
            _e3nn_linear_weights(lin, lay, p)
            for lin, lay, p in zip(lins, ours_lin, params["linear"])
        ]
        tp_w = []
        for etp, tp, p in zip(tps, ours_tp, params["products"]):
            assert [(i.i_in1, i.i_in2, i.i_out) for i in etp.instructions] == [
                (q.i, q.j, q.k) for q in tp.plan.paths
            ]
            w = p["weights"]
            tp_w.append(
                [
                    jax.numpy.asarray(w[q.offset : q.offset + q.size].reshape(q.shape[1:]))
                    for q in tp.plan.paths
                ]
            )

        def e3nn_net(v):
            x = e3nn.IrrepsArray(x_ir, v)
            for i in range(2):
                h = lins[i](lin_w[i], x) + tps[i].left_right(tp_w[i], x, x)
                x = e3nn.gate(
                    h, even_act=jax.nn.silu, even_gate_act=jax.nn.sigmoid, normalize_act=False
                )
            return lins[2](lin_w[2], x).array

        pts = np.random.default_rng(2).normal(size=(8, 3))
        ours = np.asarray(jax.jit(net.apply)(params, pts))
        theirs = np.asarray(jax.jit(jax.vmap(e3nn_net))(pts))
    assert np.abs(ours).max() > 1e-3  # not a trivially zero network
    np.testing.assert_allclose(ours, theirs, atol=1e-10)
