"""The wrappers of an emitted layer: the forward pass (the core, the mean scale, the bias) and
the function pair or module of each target around it.

NumPy and JAX define ``init`` and a function ``NAME(params, x)``; Equinox and Flax a module over
the JAX forward; PyTorch a ``torch.nn.Module`` whose methods are the plan's PyTorch core.
Placeholders are ``$name`` (string.Template); every value put into them is generated (the name
is a validated identifier), never user text.
"""

from __future__ import annotations

# ----------------------------------------------------------------- wrappers
# A forward pass shared by the wrappers of one array library: the core, then the bias.
# $scale: the mean normalisation (theta times SCALE, one factor per basis element) or nothing.
# (SCALE (DIM,) given theta's leading axes (C_OUT, C_IN, DIM), for strict rank promotion)
_MEAN = "\n    # mean: B_k / its number of terms"
NUMPY_SCALE = _MEAN + "\n    theta = theta * SCALE.astype(x.dtype)[None, None]"
JAX_SCALE = _MEAN + "\n    theta = theta * jnp.asarray(SCALE, x.dtype)[None, None]"
TORCH_SCALE = "        theta = theta * self.scale.to(x.dtype)  # mean: B_k / its number of terms\n"
NUMPY_FORWARD = '''

def _forward(theta, bias, x):
    """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
    lead = x.shape[:-2]
    theta = theta.astype(x.dtype)$scale
    y = _linear(theta, x.reshape((-1, C_IN, IN_DIM)))
    if bias is not None:
        y = y + (bias @ BIAS_BASIS).astype(x.dtype)[None]
    return y.reshape(lead + (C_OUT, OUT_DIM))
'''

JAX_FORWARD = '''

def _forward(theta, bias, x):
    """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
    lead = x.shape[:-2]
    theta = theta.astype(x.dtype)$scale
    y = _linear(theta, x.reshape((-1, C_IN, IN_DIM)))
    if bias is not None:
        y = y + (bias.astype(x.dtype) @ jnp.asarray(BIAS_BASIS, x.dtype))[None]
    return y.reshape(lead + (C_OUT, OUT_DIM))
'''

# $name is the layer's (validated) name.
NUMPY_WRAPPER = '''

def init(seed=0, dtype=np.float32):
    """theta ~ N(0, THETA_STD**2), and a zero bias when the layer has one."""
    rng = np.random.default_rng(seed)
    theta = THETA_STD * rng.standard_normal((C_OUT, C_IN, DIM))
    params = {"theta": theta.astype(dtype)}
    if BIAS_BASIS is not None:
        params["bias"] = np.zeros((C_OUT, BIAS_DIM), dtype)
    return params


def $name(params, x):
    """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
    return _forward(params["theta"], params.get("bias"), x)
'''

JAX_WRAPPER = '''

def init(key, dtype=jnp.float32):
    """theta ~ N(0, THETA_STD**2), and a zero bias when the layer has one."""
    params = {"theta": THETA_STD * jax.random.normal(key, (C_OUT, C_IN, DIM), dtype)}
    if BIAS_BASIS is not None:
        params["bias"] = jnp.zeros((C_OUT, BIAS_DIM), dtype)
    return params


def $name(params, x):
    """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
    return _forward(params["theta"], params.get("bias"), x)
'''

EQUINOX_WRAPPER = '''

class $name(eqx.Module):
    """The layer as an Equinox module: only theta and bias are arrays that train."""

    theta: jax.Array
    bias: jax.Array | None

    def __init__(self, key, dtype=jnp.float32):
        self.theta = THETA_STD * jax.random.normal(key, (C_OUT, C_IN, DIM), dtype)
        has_bias = BIAS_BASIS is not None
        self.bias = jnp.zeros((C_OUT, BIAS_DIM), dtype) if has_bias else None

    def __call__(self, x):
        """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
        return _forward(self.theta, self.bias, x)
'''

FLAX_WRAPPER = '''

def _theta_init(key, shape, dtype=jnp.float32):
    return THETA_STD * jax.random.normal(key, shape, dtype)


class $name(nn.Module):
    """The layer as a Flax (linen) module: params "theta" and "bias"."""

    @nn.compact
    def __call__(self, x):
        """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
        theta = self.param("theta", _theta_init, (C_OUT, C_IN, DIM))
        bias = None
        if BIAS_BASIS is not None:
            bias = self.param("bias", nn.initializers.zeros, (C_OUT, BIAS_DIM))
        return _forward(theta, bias, x)
'''

# PyTorch: $attributes (typed lists for the diagram plan), $bias_param, $buffers, $assign,
# $core (the methods above), $scale, $bias_add.
TORCH_WRAPPER = '''

class $name(torch.nn.Module):
    """The layer as a PyTorch module: only theta and bias are parameters. Works eagerly,
    under torch.jit.script and under torch.compile."""
$attributes
    def __init__(self, dtype=torch.float32):
        super().__init__()
        theta = THETA_STD * torch.randn(C_OUT, C_IN, DIM, dtype=dtype)
        self.theta = torch.nn.Parameter(theta)
        self.c_in, self.c_out, self.dim = C_IN, C_OUT, DIM
        self.in_dim, self.out_dim = IN_DIM, OUT_DIM
$bias_param        for key in ($buffers):
            tensor = torch.from_numpy(_DATA[key].copy())
            self.register_buffer(key, tensor, persistent=False)
$assign
$core
    def forward(self, x):
        """y (..., C_OUT, OUT_DIM) = W x + b for x (..., C_IN, IN_DIM)."""
        lead = list(x.shape[:-2])
        x = x.reshape(-1, self.c_in, self.in_dim)
        theta = self.theta.to(x.dtype)
$scale        y = self._linear(theta, x)
$bias_add        return y.reshape(lead + [self.c_out, self.out_dim])

    def extra_repr(self):
        return DESCRIPTION
'''

TORCH_BIAS_PARAM = (
    "        self.bias = torch.nn.Parameter(torch.zeros(C_OUT, BIAS_DIM, dtype=dtype))\n"
)
TORCH_BIAS_ADD = "        y = y + (self.bias.to(x.dtype) @ self.bias_basis.to(x.dtype))[None]\n"
