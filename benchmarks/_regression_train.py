"""One training run of EMLP's regression recipe for a JAX model of ours (or a plain MLP).

    python _regression_train.py MODEL TASK N_TRAIN SEED [EPOCHS]   # prints one JSON record

With EPOCHS, only that many epochs are run (a timing of seconds per epoch; no test MSE).

The recipe (EMLP's ``experiments/train_regression.py`` and ``data_efficiency.py``): Adam at a
constant lr 3e-3, batch min(500, n), min(int(900000/n), 1000) epochs, the model wrapped in
EMLP's Standardize, the loss the MSE on the original target scale; validation and test MSE are
evaluated ``N_EVALS`` times (evenly spaced, and at the end) and the test MSE reported is the one at
the best validation MSE (EMLP's trainer keeps the logged row of the best ``val_MSE``; it logs by
wall clock, at least 1.2 s apart, which is not reproducible, so we log at fixed epochs).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _regression_data import LR, N_EVALS, TASKS, batch_for, epochs_for, split  # noqa: E402

WIDTH = 384  # EMLP's ch and its MLP baseline's width
# The gated network per task: DEPTH steps of linear + products → gated nonlinearity on the hidden
# rep mixed_rep(G, BUDGET) (scalars, V, V**2), MAX_COPIES multiplier blocks per product, and with
# PRODUCT_HEAD the products of the last pre-activation added to the output. Chosen per task by
# validation MSE at 300 samples, seed 0: the polynomial targets (inertia, degree 3; particle,
# degree 4) take one step with the product head, among depth 1-4, budget 64-2048, max_copies
# 4-64, products of the step's input or of its linear output (EMLP's order), a product head on
# the gated or the pre-activation; O(5) (not a polynomial) keeps three steps without the head.
GATED = {
    "o5": {"budget": 128, "depth": 3},
    "inertia": {"budget": 384, "depth": 1, "product_head": True, "max_copies": 64},
    "particle": {"budget": 384, "depth": 1, "product_head": True, "max_copies": 64},
}
# The invariant network per task: an MLP of DEPTH x HIDDEN (depth 0: a linear map) beside a
# rank-BILINEAR bilinear head and, with POLYNOMIAL=D, the graded polynomial head of degree D
# (GAIN on the linear/polynomial head). Chosen per task by validation MSE at 3000 samples, seed 0,
# among ten: (hidden, depth, bilinear) = (64, 1, 32), (128, 2, 64), (256, 2, 128), (64, 1, 128),
# (128, 1, 64) without the polynomial head, and with it at gain 10: depth 0 and bilinear 0 for
# D = 2, 3, 4, depth 1 of 64 and bilinear 0 for D = 3, 4 (gain 10 chosen the same way among 1, 3,
# 10, 30, 100 on the inertia task). O(5) (not a polynomial) takes the MLP;
# the inertia tensor (degree 3) and the electron-muon amplitude (degree 4) the polynomial head.
INVARIANT = {
    "o5": {"hidden": 128, "depth": 2, "bilinear": 64, "norms": True},
    "inertia": {"hidden": 64, "depth": 0, "bilinear": 0, "polynomial": 3, "gain": 10.0},
    "particle": {"hidden": 64, "depth": 0, "bilinear": 0, "polynomial": 4, "gain": 10.0},
}


def build(model: str, task: str):
    """(init, apply) of a model for a task."""
    import jax

    t = TASKS[task]
    if model == "intertwine-gated":
        from intertwine.codegen import gated_network, mixed_rep

        cfg = dict(GATED[task])
        hidden = mixed_rep(t.group, cfg.pop("budget"))
        net = gated_network(
            t.group, t.rep_in, t.rep_out, hidden, cfg.pop("depth"), bilinear=True, **cfg
        )
        return net.init, net.apply
    if model == "intertwine-invariant":
        from intertwine import invariant_network

        net = invariant_network(t.group, t.rep_in, t.rep_out, **INVARIANT[task])
        return net.init, net.apply
    if model == "mlp":  # EMLP's baseline MLP: 3 hidden layers of 384, swish, objax's init
        import intertwine as it

        d_in, d_out = it.rep(t.group, t.rep_in).dim, it.rep(t.group, t.rep_out).dim
        sizes = [d_in, WIDTH, WIDTH, WIDTH, d_out]

        def init(key):
            keys = jax.random.split(key, len(sizes) - 1)
            return [
                # objax.nn.Linear: xavier_normal weights, std sqrt(2 / (fan_in + fan_out))
                (jax.random.normal(k, (a, b)) * np.sqrt(2 / (a + b)), jax.numpy.zeros(b))
                for k, a, b in zip(keys, sizes[:-1], sizes[1:])
            ]

        def apply(params, x):
            for i, (w, b) in enumerate(params):
                x = x @ w + b
                if i < len(params) - 1:
                    x = jax.nn.swish(x)
            return x

        return init, apply
    raise SystemExit(f"unknown model {model!r}")


def run(model: str, task: str, n_train: int, seed: int, max_epochs: int | None = None) -> dict:
    import jax
    import jax.numpy as jnp

    sp = split(task, n_train, seed)
    f32 = np.float32
    mx, sx, my, sy = (jnp.asarray(np.asarray(s, f32)) for s in sp.stats)
    init, apply = build(model, task)
    params = init(jax.random.PRNGKey(seed))

    def predict(p, x):  # EMLP's Standardize
        return sy * apply(p, (x - mx) / sx) + my

    def loss(p, x, y):
        return jnp.mean((predict(p, x) - y) ** 2)

    tree = jax.tree_util.tree_map
    opt = (tree(jnp.zeros_like, params), tree(jnp.zeros_like, params), jnp.zeros((), f32))

    @jax.jit
    def step(p, opt, x, y):
        m, v, t = opt
        g = jax.grad(loss)(p, x, y)
        t = t + 1
        m = tree(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = tree(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9**t, 1 - 0.999**t
        p = tree(lambda q, a, b: q - LR * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), p, m, v)
        return p, (m, v, t)

    mse = jax.jit(loss)
    xtr, ytr = sp.x_train.astype(f32), sp.y_train.astype(f32)
    xva, yva = jnp.asarray(sp.x_val, f32), jnp.asarray(sp.y_val, f32)
    xte, yte = jnp.asarray(sp.x_test, f32), jnp.asarray(sp.y_test, f32)
    epochs, bs = epochs_for(n_train), batch_for(n_train)
    if max_epochs is not None:  # a timing run: no evaluation
        epochs = min(epochs, max_epochs)
    checks = set(np.unique(np.linspace(1, epochs, N_EVALS).round().astype(int)).tolist())
    rng = np.random.default_rng(seed)
    times, best = [], (np.inf, np.nan, 0)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n_train)
        t0 = time.perf_counter()
        for i in range(0, n_train, bs):
            idx = order[i : i + bs]
            params, opt = step(params, opt, xtr[idx], ytr[idx])
        jax.block_until_ready(params)
        times.append(time.perf_counter() - t0)
        if epoch in checks and max_epochs is None:
            val = float(mse(params, xva, yva))
            if val <= best[0] or not np.isfinite(best[0]):
                best = (val, float(mse(params, xte, yte)), epoch)
    total = time.perf_counter() - start
    n_params = int(sum(np.size(a) for a in jax.tree_util.tree_leaves(params)))
    return {
        "task": task,
        "model": model,
        "n_train": n_train,
        "seed": seed,
        "test_mse": best[1],
        "val_mse": best[0],
        "best_epoch": best[2],
        "seconds_per_epoch": float(np.median(times[1:] if len(times) > 1 else times)),
        "seconds_total": total,
        "epochs": epochs,
        "parameters": n_params,
    }


if __name__ == "__main__":
    model, task, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    cap = int(sys.argv[5]) if len(sys.argv) > 5 else None
    print(json.dumps(run(model, task, n, seed, cap)))
