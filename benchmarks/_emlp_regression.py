"""EMLP's side of benchmarks/networks.py, run in EMLP's own virtualenv (see setup_emlp.sh).

    python _emlp_regression.py TASK N_TRAIN SEED [EPOCHS]   # prints one JSON record

With EPOCHS, only that many epochs are run (a timing of seconds per epoch; no test MSE).

EMLP(rep_in, rep_out, group=dataset.symmetry, num_layers=3, ch=384) wrapped in EMLP's own
Standardize, trained as EMLP's ``RegressorPlus`` does (objax Adam, objax.Jit of GradValues of the
MSE on the original scale) with the recipe and the evaluation points of ``_regression_train.py``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _regression_data import LR, N_EVALS, TASKS, batch_for, epochs_for, split  # noqa: E402


def run(task: str, n_train: int, seed: int, max_epochs: int | None = None) -> dict:
    import emlp.datasets
    import jax.numpy as jnp
    import objax
    from emlp.nn import EMLP, Standardize

    sp = split(task, n_train, seed)
    np.random.seed(seed)  # uniform_rep allocates tensor ranks with np.random
    objax.random.DEFAULT_GENERATOR.seed(seed)
    ds = getattr(emlp.datasets, TASKS[task].emlp_class)(2)  # for its reps and group only
    f32 = np.float32
    stats = tuple(np.asarray(s, f32) for s in sp.stats)
    built = time.perf_counter()
    model = Standardize(EMLP(ds.rep_in, ds.rep_out, group=ds.symmetry, num_layers=3, ch=384), stats)
    build_s = time.perf_counter() - built

    def loss(x, y):
        return jnp.mean((model(x, training=True) - y) ** 2)

    gradvals = objax.Jit(objax.GradValues(loss, model.vars()), model.vars())
    opt = objax.optimizer.Adam(model.vars())

    def _step(x, y):
        g, v = gradvals(x, y)
        opt(LR, g)
        return v

    step = objax.Jit(_step, model.vars() + opt.vars())
    predict = objax.Jit(lambda x: model(x, training=False), model.vars())

    def mse(x, y):
        return float(jnp.mean((predict(x) - y) ** 2))

    xtr, ytr = sp.x_train.astype(f32), sp.y_train.astype(f32)
    xva, yva = sp.x_val.astype(f32), sp.y_val.astype(f32)
    xte, yte = sp.x_test.astype(f32), sp.y_test.astype(f32)
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
            value = step(xtr[idx], ytr[idx])
        value[0].block_until_ready()
        times.append(time.perf_counter() - t0)
        if epoch in checks and max_epochs is None:
            val = mse(xva, yva)
            if val <= best[0] or not np.isfinite(best[0]):
                best = (val, mse(xte, yte), epoch)
            print(f"epoch {epoch}: val {val:.4g}, best {best}", file=sys.stderr, flush=True)
    total = time.perf_counter() - start
    return {
        "task": task,
        "model": "emlp",
        "n_train": n_train,
        "seed": seed,
        "test_mse": best[1],
        "val_mse": best[0],
        "best_epoch": best[2],
        "seconds_per_epoch": float(np.median(times[1:] if len(times) > 1 else times)),
        "seconds_total": total,
        "seconds_build": build_s,
        "epochs": epochs,
        "parameters": int(sum(v.value.size for v in model.vars().values())),
    }


if __name__ == "__main__":
    cap = int(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), cap)))
