"""EMLP's Linear layer, forward+backward, timed in EMLP's own virtualenv (objax backend).

Usage: python _emlp_layer.py GROUP REP CHANNELS BATCH REPEATS
"""

import json
import sys
import time

import numpy as np


def main() -> None:
    group, rep, channels, batch, repeats = sys.argv[1:6]
    channels, batch, repeats = int(channels), int(batch), int(repeats)
    sys.path.insert(0, sys.argv[6])
    import jax
    import jax.numpy as jnp
    import objax
    from _cases import emlp_group, emlp_rep
    from emlp.nn import Linear

    g = emlp_group(group)
    if g is None:
        print(json.dumps({"unsupported": True}))
        return
    r = channels * emlp_rep(rep, g)
    start = time.perf_counter()
    layer = Linear(r, r)
    build = time.perf_counter() - start
    x = jnp.asarray(np.random.default_rng(0).standard_normal((batch, r.size())), jnp.float32)

    def loss(x):
        return jnp.sum(layer(x) ** 2)

    grad = objax.Jit(objax.GradValues(loss, layer.vars()), layer.vars())
    jax.block_until_ready(grad(x))
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        jax.block_until_ready(grad(x))
        times.append(time.perf_counter() - t)
    print(json.dumps({"ms": 1000 * float(np.median(times)), "build_s": build}))


if __name__ == "__main__":
    main()
