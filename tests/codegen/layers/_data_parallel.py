"""Train a generated layer data-parallel over 4 host devices and on one; print the difference.

Run with XLA_FLAGS=--xla_force_host_platform_device_count=4 (test_layers.py beside it does).
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from intertwine.codegen import equivariant_linear

layer = equivariant_linear("S(6)", "V**2", "V", channels=(2, 3))
rng = np.random.default_rng(0)
x = jnp.asarray(rng.standard_normal((64, 2, 36)), jnp.float32)
y = jnp.asarray(rng.standard_normal((64, 3, 6)), jnp.float32)


def loss(p, x, y):
    return jnp.mean((layer.apply(p, x) - y) ** 2)


@jax.jit
def step(p, x, y):
    g = jax.grad(loss)(p, x, y)
    return jax.tree_util.tree_map(lambda a, b: a - 0.1 * b, p, g)


def train(x, y):
    p = layer.init(jax.random.PRNGKey(0))
    for _ in range(20):
        p = step(p, x, y)
    return p


single = jax.device_get(train(x, y))
mesh = Mesh(np.array(jax.devices()), ("data",))
batch = NamedSharding(mesh, PartitionSpec("data"))
xs, ys = jax.device_put(x, batch), jax.device_put(y, batch)
sharded = train(xs, ys)
assert len(xs.sharding.device_set) == 4
diff = max(
    float(np.max(np.abs(a - np.asarray(b))))
    for a, b in zip(jax.tree_util.tree_leaves(single), jax.tree_util.tree_leaves(sharded))
)
print(json.dumps({"devices": len(jax.devices()), "max_param_difference": diff}))
