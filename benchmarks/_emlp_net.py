"""EMLP's side of benchmarks/networks.py, run in EMLP's own virtualenv.

    python _emlp_net.py data TASK N_TRAIN N_TEST OUT.npz    # EMLP's dataset class -> arrays
    python _emlp_net.py train TASK SEED EPOCHS DATA.npz     # EMLP trained on those arrays

Prints one JSON line.
"""

import json
import sys
import time

import numpy as np

TASKS = {"o5": "O5Synthetic", "inertia": "Inertia", "lorentz": "ParticleInteraction"}


def dataset(task: str, n: int):
    import emlp.datasets as d

    return getattr(d, TASKS[task])(n)


def make_data(task: str, n_train: int, n_test: int, out: str) -> None:
    ds = dataset(task, n_train + n_test)
    x, y = np.asarray(ds.X, np.float32), np.asarray(ds.Y, np.float32)
    np.savez(out, x_train=x[:n_train], y_train=y[:n_train], x_test=x[n_train:], y_test=y[n_train:])
    print(json.dumps({"task": task, "x": list(x.shape), "y": list(y.shape)}))


def train(task: str, seed: int, epochs: int, path: str) -> None:
    import jax.numpy as jnp
    import objax
    from emlp.nn import EMLP

    data = np.load(path)
    scale = float(np.std(data["y_train"]))
    xtr, ytr = jnp.asarray(data["x_train"]), jnp.asarray(data["y_train"] / scale)
    xte, yte = jnp.asarray(data["x_test"]), jnp.asarray(data["y_test"] / scale)
    ds = dataset(task, 2)
    objax.random.DEFAULT_GENERATOR.seed(seed)
    start = time.perf_counter()
    model = EMLP(ds.rep_in, ds.rep_out, group=ds.symmetry, num_layers=3, ch=128)
    build = time.perf_counter() - start
    opt = objax.optimizer.Adam(model.vars())

    def loss(x, y):
        return ((model(x) - y) ** 2).mean()

    grad = objax.GradValues(loss, model.vars())

    @objax.Function.with_vars(model.vars() + opt.vars())
    def step(x, y):
        g, value = grad(x, y)
        opt(3e-3, g)
        return value

    step = objax.Jit(step)
    predict = objax.Jit(lambda x: model(x), model.vars())
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(epochs):
        order = rng.permutation(xtr.shape[0])
        t = time.perf_counter()
        for i in range(0, xtr.shape[0], 500):
            idx = order[i : i + 500]
            step(xtr[idx], ytr[idx])
        predict(xte[:1]).block_until_ready()
        times.append(time.perf_counter() - t)
    test = float(((predict(xte) - yte) ** 2).mean())
    params = int(sum(v.value.size for v in model.vars().values()))
    print(
        json.dumps(
            {
                "test_mse": test,
                "epoch_s": float(np.median(times[1:])),
                "first_epoch_s": times[0],
                "build_s": build,
                "params": params,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "data":
        make_data(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        train(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
