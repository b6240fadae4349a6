"""Data-parallel training of an intertwine layer across processes, on JAX's own distributed
runtime (``jax.distributed``; JAX >= 0.7 for ``jax.shard_map`` and ``jax.lax.pcast``): every
process holds its shard of the batch, computes the gradient of its shard's loss, and the
gradients are averaged by JAX's all-reduce (``jax.lax.pmean`` inside ``jax.shard_map`` over a
mesh of every process's devices). The parameters stay replicated: after every step each process
holds the same values, equal to one process training on the whole batch (the mean of
equal-sized shards' mean losses is the mean loss of the batch, so the averaged gradient is the
batch's gradient).

Two processes on this machine (CPU collectives over TCP by gloo), in two terminals:

    python examples/distributed_training.py --num-processes 2 --process-id 0 --port 12355
    python examples/distributed_training.py --num-processes 2 --process-id 1 --port 12355

Each prints one JSON line per step: its process id, the step, the loss of the whole batch and
its copy of the parameters (float64). On several hosts give every process the address of
process 0 (--coordinator HOST:PORT); see docs/distributed.md (GPUs included).
"""

from __future__ import annotations

import argparse
import json

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from intertwine.codegen import equivariant_linear

GROUP, REP_IN, REP_OUT, CHANNELS = "S(5)", "V**2", "V", (2, 3)
BATCH, STEPS, LR, SEED = 32, 5, 0.1, 0


def problem():
    """The layer, its initial parameters (float64) and the whole batch (x, y), the same in every
    process (seeded): each process then keeps only its rows."""
    layer = equivariant_linear(GROUP, REP_IN, REP_OUT, channels=CHANNELS, dtype=jnp.float64)
    params = layer.init(jax.random.PRNGKey(SEED))
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((BATCH, CHANNELS[0], layer.layout.in_dim))
    y = rng.standard_normal((BATCH, CHANNELS[1], layer.layout.out_dim))
    return layer, params, x, y


def loss(layer, params, x, y):
    """Mean squared error over the examples given."""
    return jnp.mean((layer.apply(params, x) - y) ** 2)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--num-processes", type=int, default=2)
    parser.add_argument("--process-id", type=int, required=True)
    parser.add_argument("--coordinator", default=None, help="HOST:PORT of process 0")
    parser.add_argument("--port", type=int, default=12355, help="with no --coordinator")
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args(argv)

    jax.config.update("jax_enable_x64", True)  # float64: the comparison is to rounding
    jax.config.update("jax_cpu_collectives_implementation", "gloo")  # CPU cross-process
    jax.distributed.initialize(
        coordinator_address=args.coordinator or f"127.0.0.1:{args.port}",
        num_processes=args.num_processes,
        process_id=args.process_id,
        initialization_timeout=120,
    )
    layer, params, x, y = problem()

    # one mesh over every process's devices; the batch axis is split over it
    mesh = Mesh(np.array(jax.devices()), ("data",))
    rows = NamedSharding(mesh, PartitionSpec("data"))
    replicated = NamedSharding(mesh, PartitionSpec())
    per_process = BATCH // jax.process_count()
    mine = slice(jax.process_index() * per_process, (jax.process_index() + 1) * per_process)
    # each process contributes only its shard of the batch to the global arrays
    xs = jax.make_array_from_process_local_data(rows, x[mine], x.shape)
    ys = jax.make_array_from_process_local_data(rows, y[mine], y.shape)
    params = jax.device_put(params, replicated)

    def local_gradient(p, xb, yb):
        # p is replicated; marked as varying over "data", its gradient is this shard's own
        # (otherwise shard_map's autodiff would sum the shards' gradients implicitly)
        p = jax.lax.pcast(p, "data", to="varying")
        g = jax.grad(lambda q: loss(layer, q, xb, yb))(p)
        return jax.lax.pmean(g, "data")  # the all-reduce: JAX's collective, over processes

    @jax.jit
    def step(p, xb, yb):
        spec = PartitionSpec("data")
        grads = jax.shard_map(
            local_gradient,
            mesh=mesh,
            in_specs=(PartitionSpec(), spec, spec),
            out_specs=PartitionSpec(),
        )(p, xb, yb)
        return jax.tree_util.tree_map(lambda a, b: a - LR * b, p, grads)

    whole = jax.jit(lambda p, xb, yb: loss(layer, p, xb, yb))
    for t in range(1, args.steps + 1):
        params = step(params, xs, ys)
        local = {k: np.asarray(v.addressable_data(0)).ravel().tolist() for k, v in params.items()}
        record = {
            "process": jax.process_index(),
            "step": t,
            "loss": float(whole(params, xs, ys)),
            "params": local,
        }
        print(json.dumps(record), flush=True)
    jax.distributed.shutdown()


if __name__ == "__main__":
    main()
