"""The small templates the emitters assemble: how each framework applies each plan.

A generated module has: docstring, imports, the embedded data, constants, one *core* function
``_linear(theta, x)`` for x of shape (b, C_IN, IN_DIM) (how W x is applied: gather, scatter,
the plain diagram plan of one block pair, the general one with classes of block pairs, forms
and ε operands, or an FFT convolution), and a *wrapper* (a function pair, an Equinox, Flax or
PyTorch module) that adds the invariant bias and handles leading axes. Cores exist for three
array libraries (NumPy, JAX, PyTorch); Equinox and Flax share the JAX cores. Placeholders are
``$name`` (string.Template); every value put into them is generated, never user text.
"""

from __future__ import annotations

# ----------------------------------------------------------------- shared by NumPy and JAX
# written once with `xp.` for the array module; _in(library, text) names it
_MATMUL = '''def _matmul(w, x):
    """y[b, o] = sum_c W[o, c] x[b, c], as one matrix product."""
    w2 = w.transpose(0, 2, 1, 3).reshape((C_OUT * OUT_DIM, C_IN * IN_DIM))
    y = x.reshape((x.shape[0], C_IN * IN_DIM)) @ w2.T
    return y.reshape((x.shape[0], C_OUT, OUT_DIM))
'''

_GATHER = '''def _gather(theta, index, sign):
    """sign * theta~[..., index]; theta~ is theta with a zero appended."""
    pad = xp.zeros(theta.shape[:-1] + (1,), theta.dtype)
    padded = xp.concatenate([theta, pad], -1)
    return padded[..., index] * xp.asarray(sign, theta.dtype)
'''

_TYING = (
    _GATHER
    + "\n\n"
    + _MATMUL
    + '''

def _linear(theta, x):
    """W x, where W[o, c].flat = SIGN * theta~[o, c][INDEX]."""
    w = _gather(theta, INDEX, SIGN).reshape((C_OUT, C_IN, OUT_DIM, IN_DIM))
    return _matmul(w, x)
'''
)


# the general diagram plan (sums of tensor powers, invariant forms, ε operands), once for
# NumPy and JAX: each class of block pairs is one application, its blocks extra channels
_DIAGRAMS = '''def _map_axes(t, axes, gather, sign):
    """The form on each axis: t'[.., j, ..] = sign[j] * t[.., gather[j], ..]."""
    for axis in axes:
        mask = [1] * t.ndim
        mask[2 + axis] = N
        if PERMUTES:
            t = xp.take(t, gather, axis=2 + axis)
        t = t * xp.asarray(sign, t.dtype).reshape(mask)
    return t


def _apply_plan(plan, phi, x):
    """sum over the diagrams s of phi[:, :, s] D_s x, for x (b, c, N**k)."""
    b, c_out, k_in, l_out = x.shape[0], phi.shape[0], plan["k"], plan["l"]
    xs = x.reshape((b, x.shape[1]) + (N,) * k_in)
    eye = xp.eye(N, dtype=x.dtype)
    y = xp.zeros((b, c_out) + (1,) * l_out, x.dtype)
    for s in range(len(plan["reduce"])):
        t = _map_axes(xs, plan["in_maps"][s], IN_GATHER, IN_SIGN) if FORMS else xs
        operands = [t, xp.asarray(LEVI, x.dtype)] if plan["eps"][s] else [t]
        t = xp.einsum(plan["reduce"][s], *operands)
        term = xp.einsum("bc...,oc->bo...", t, phi[:, :, s])
        term = term.reshape([b, c_out] + plan["shape"][s])
        for p, q in plan["dups"][s]:
            mask = [1] * (2 + l_out)
            mask[2 + p] = mask[2 + q] = N
            term = term * eye.reshape(mask)
        if FORMS:
            term = _map_axes(term, plan["out_maps"][s], OUT_GATHER, OUT_SIGN)
        y = y + term
    y = xp.broadcast_to(y, (b, c_out) + (N,) * l_out)
    return y.reshape((b, c_out, N**l_out))


def _linear(theta, x):
    """W x: one application per class of block pairs, its blocks as channels."""
    b = x.shape[0]
    pad = xp.zeros((C_OUT, C_IN, 1), theta.dtype)
    padded = xp.concatenate([theta, pad], -1)
    pieces = [[] for _ in OUT_DEGREES]
    for plan in PLANS:
        na, nb = len(plan["in_blocks"]), len(plan["out_blocks"])
        starts = [(IN_STARTS[a], IN_STARTS[a + 1]) for a in plan["in_blocks"]]
        blocks = [x[:, :, lo:hi] for lo, hi in starts]
        xa = xp.stack(blocks, axis=2).reshape((b, C_IN * na, N ** plan["k"]))
        phi = padded[:, :, plan["terms"]].transpose(0, 2, 1, 3, 4)
        phi = MATMUL(phi.reshape((C_OUT * nb, C_IN * na, -1)), plan["mobius"])
        ya = _apply_plan(plan, phi, xa).reshape((b, C_OUT, nb, N ** plan["l"]))
        for i, block in enumerate(plan["out_blocks"]):
            pieces[block].append(ya[:, :, i])
    parts = []
    for block, degree in enumerate(OUT_DEGREES):
        total = xp.zeros((b, C_OUT, N**degree), x.dtype)
        for piece in pieces[block]:
            total = total + piece
        parts.append(total)
    return xp.concatenate(parts, axis=-1)
'''


def _in(library: str, text: str) -> str:
    return text.replace("xp.", f"{library}.")


# ----------------------------------------------------------------- cores: NumPy
NUMPY_CORE = {
    "diagrams": _in("np", _DIAGRAMS).replace("MATMUL(", "np.matmul("),
    "tying": _in("np", _TYING),
    "sparse": _MATMUL
    + '''

# coefficients grouped by entry of W: a vectorised scatter-add (np.add.at is slow)
_ORDER = np.argsort(COLS, kind="stable")
_ENTRIES, _STARTS = np.unique(COLS[_ORDER], return_index=True)


def _linear(theta, x):
    """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
    flat = np.zeros((C_OUT, C_IN, OUT_DIM * IN_DIM), theta.dtype)
    if _ORDER.size:
        contrib = theta[..., ROWS[_ORDER]] * VALS[_ORDER].astype(theta.dtype)
        flat[..., _ENTRIES] = np.add.reduceat(contrib, _STARTS, axis=-1)
    return _matmul(flat.reshape((C_OUT, C_IN, OUT_DIM, IN_DIM)), x)
''',
    "diagram": '''def _linear(theta, x):
    """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
    b = x.shape[0]
    phi = theta @ MOBIUS.astype(theta.dtype)
    xs = x.reshape((b, C_IN) + (N,) * K)
    eye = np.eye(N, dtype=x.dtype)
    y = np.zeros((b, C_OUT) + (N,) * L, x.dtype)
    for s in range(DIM):
        t = np.einsum(REDUCE[s], xs)
        term = np.einsum("bc...,oc->bo...", t, phi[:, :, s], optimize=True)
        term = term.reshape([b, C_OUT] + SHAPE[s])
        for p, q in DUPS[s]:
            mask = [1] * (2 + L)
            mask[2 + p] = mask[2 + q] = N
            term = term * eye.reshape(mask)
        y = y + term
    return y.reshape((b, C_OUT, OUT_DIM))
''',
    "convolution": _in("np", _GATHER)
    + '''

def _linear(theta, x):
    """W x as an FFT convolution: W[i, j] = g[i - j], g of length LENGTH."""
    g = _gather(theta, KERNEL_INDEX, KERNEL_SIGN)
    # NumPy's float32 FFTs are several times slower than its float64 ones
    xf = np.fft.rfft(x.astype(np.float64), n=LENGTH, axis=-1)
    gf = np.fft.rfft(g.astype(np.float64), axis=-1)
    yf = np.einsum("bcf,ocf->bof", xf, gf, optimize=True)
    return np.fft.irfft(yf, n=LENGTH, axis=-1)[..., :OUT_DIM].astype(x.dtype)
''',
}

# ----------------------------------------------------------------- cores: JAX
# phi in full float32 precision on accelerators (no TF32), so that it carries theta exactly
_JAX_HIGHEST = """

def _highest(a, b):
    return jnp.matmul(a, jnp.asarray(b, a.dtype), precision="highest")
"""

JAX_CORE = {
    "diagrams": _in("jnp", _DIAGRAMS + _JAX_HIGHEST).replace("MATMUL(", "_highest("),
    "tying": _in("jnp", _TYING),
    "sparse": _MATMUL
    + '''

def _linear(theta, x):
    """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
    flat = jnp.zeros((C_OUT, C_IN, OUT_DIM * IN_DIM), theta.dtype)
    flat = flat.at[..., COLS].add(theta[..., ROWS] * jnp.asarray(VALS, theta.dtype))
    return _matmul(flat.reshape((C_OUT, C_IN, OUT_DIM, IN_DIM)), x)
''',
    "diagram": '''def _linear(theta, x):
    """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
    b = x.shape[0]
    phi = jnp.matmul(theta, jnp.asarray(MOBIUS, theta.dtype), precision="highest")
    xs = x.reshape((b, C_IN) + (N,) * K)
    eye = jnp.eye(N, dtype=x.dtype)
    y = jnp.zeros((b, C_OUT) + (N,) * L, x.dtype)
    for s in range(DIM):
        t = jnp.einsum(REDUCE[s], xs)
        term = jnp.einsum("bc...,oc->bo...", t, phi[:, :, s])
        term = term.reshape([b, C_OUT] + SHAPE[s])
        for p, q in DUPS[s]:
            mask = [1] * (2 + L)
            mask[2 + p] = mask[2 + q] = N
            term = term * eye.reshape(mask)
        y = y + term
    return y.reshape((b, C_OUT, OUT_DIM))
''',
    "convolution": _in("jnp", _GATHER)
    + '''

def _linear(theta, x):
    """W x as an FFT convolution: W[i, j] = g[i - j], g of length LENGTH."""
    g = _gather(theta, KERNEL_INDEX, KERNEL_SIGN)
    if jnp.finfo(x.dtype).bits < 32:  # no FFT in float16/bfloat16: upcast, cast back
        g = g.astype(jnp.float32)
    xf = jnp.fft.rfft(x.astype(g.dtype), n=LENGTH, axis=-1)
    gf = jnp.fft.rfft(g, axis=-1)
    if C_OUT * C_IN <= 64:  # few channels: a broadcast multiply-add beats a batched dot
        yf = jnp.sum(xf[:, None, :, :] * gf[None], axis=2)
    else:
        yf = jnp.einsum("bcf,ocf->bof", xf, gf)
    return jnp.fft.irfft(yf, n=LENGTH, axis=-1)[..., :OUT_DIM].astype(x.dtype)
''',
}

# ----------------------------------------------------------------- cores: PyTorch (methods)
# Written for torch.jit.script as well as eager and torch.compile: no `...` indexing, typed
# list attributes, buffers for the arrays (unannotated arguments are tensors to TorchScript).
_TORCH_GATHER = '''    def _gather(self, theta, index, sign):
        """sign * theta~[..., index]; theta~ is theta with a zero appended."""
        pad = theta.new_zeros(list(theta.shape[:-1]) + [1])
        padded = torch.cat([theta, pad], -1)
        return padded.index_select(-1, index) * sign.to(theta.dtype)
'''

_TORCH_MATMUL = '''    def _matmul(self, w, x):
        """y[b, o] = sum_c W[o, c] x[b, c], as one matrix product."""
        w2 = w.permute(0, 2, 1, 3).reshape(self.c_out * self.out_dim, -1)
        y = x.reshape(x.shape[0], -1) @ w2.t()
        return y.reshape(x.shape[0], self.c_out, self.out_dim)
'''

TORCH_CORE = {
    "diagrams": '''    def _map_axes(self, t, axes: list[int], gather, sign):
        """The form on each axis: t'[.., j, ..] = sign[j] * t[.., gather[j], ..]."""
        for axis in axes:
            if self.permutes:
                t = t.index_select(2 + axis, gather)
            mask = [1] * t.dim()
            mask[2 + axis] = self.n
            t = t * sign.to(t.dtype).reshape(mask)
        return t

    def _apply_plan(self, p: int, phi, x):
        """sum over the diagrams j of class p of phi[:, :, j] D_j x."""
        k_in, l_out = self.plan_kl[p][0], self.plan_kl[p][1]
        b, c_out = x.shape[0], phi.shape[0]
        xs = x.reshape([b, x.shape[1]] + [self.n] * k_in)
        eye = torch.eye(self.n, dtype=x.dtype, device=x.device)
        y = x.new_zeros([b, c_out] + [1] * l_out)
        first = self.plan_steps[p][0]
        for j in range(self.plan_steps[p][1]):
            s = first + j
            t = xs
            if self.forms:
                in_maps = self.steps_in_maps[s]
                t = self._map_axes(t, in_maps, self.in_gather, self.in_sign)
            if self.steps_eps[s]:
                t = torch.einsum(self.steps_reduce[s], [t, self.levi.to(x.dtype)])
            else:
                t = torch.einsum(self.steps_reduce[s], [t])
            term = torch.einsum("bc...,oc->bo...", [t, phi[:, :, j]])
            term = term.reshape([b, c_out] + self.steps_shape[s])
            for pq in self.steps_dups[s]:
                mask = [1] * (2 + l_out)
                mask[2 + pq[0]] = self.n
                mask[2 + pq[1]] = self.n
                term = term * eye.reshape(mask)
            if self.forms:
                out_maps = self.steps_out_maps[s]
                term = self._map_axes(term, out_maps, self.out_gather, self.out_sign)
            y = y + term
        return y.expand([b, c_out] + [self.n] * l_out).reshape(b, c_out, -1)

    def _linear(self, theta, x):
        """W x: one application per class of block pairs, its blocks as channels."""
        b = x.shape[0]
        padded = torch.cat([theta, theta.new_zeros(self.c_out, self.c_in, 1)], -1)
        outs = [x.new_zeros(b, self.c_out, size) for size in self.out_sizes]
        for p in range(len(self.plan_kl)):
            ins = self.plan_in_blocks[p]
            out_blocks = self.plan_out_blocks[p]
            na, nb = len(ins), len(out_blocks)
            blocks = [x[:, :, self.in_starts[a] : self.in_starts[a + 1]] for a in ins]
            xa = torch.stack(blocks, 2).reshape(b, self.c_in * na, -1)
            size = self.plan_steps[p][1]
            lo = self.plan_terms[p]
            idx = self.terms_flat[lo : lo + nb * na * size].reshape(nb, na, size)
            phi = padded[:, :, idx].permute(0, 2, 1, 3, 4)
            phi = phi.reshape(self.c_out * nb, self.c_in * na, size)
            lo = self.plan_mobius[p]
            mobius = self.mobius_flat[lo : lo + size * size].reshape(size, size)
            phi = torch.matmul(phi, mobius.to(phi.dtype))
            ya = self._apply_plan(p, phi, xa).reshape(b, self.c_out, nb, -1)
            for i, block in enumerate(out_blocks):
                outs[block] = outs[block] + ya[:, :, i]
        return torch.cat(outs, -1)
''',
    "tying": _TORCH_GATHER
    + "\n"
    + _TORCH_MATMUL
    + '''
    def _linear(self, theta, x):
        """W x, where W[o, c].flat = SIGN * theta~[o, c][INDEX]."""
        w = self._gather(theta, self.index, self.sign)
        w = w.reshape(self.c_out, self.c_in, self.out_dim, self.in_dim)
        return self._matmul(w, x)
''',
    "sparse": _TORCH_MATMUL
    + '''
    def _linear(self, theta, x):
        """W x, where W[o, c].flat[COLS] += theta[o, c][ROWS] * VALS."""
        contrib = theta.index_select(-1, self.rows) * self.vals.to(theta.dtype)
        flat = theta.new_zeros(self.c_out, self.c_in, self.out_dim * self.in_dim)
        flat = flat.index_add(-1, self.cols, contrib)
        w = flat.reshape(self.c_out, self.c_in, self.out_dim, self.in_dim)
        return self._matmul(w, x)
''',
    "diagram": '''    def _linear(self, theta, x):
        """W x = sum over partition diagrams s of phi[:, :, s] D_s x (no W)."""
        b = x.shape[0]
        phi = torch.matmul(theta, self.mobius.to(theta.dtype))
        xs = x.reshape([b, self.c_in] + [self.n] * self.k)
        eye = torch.eye(self.n, dtype=x.dtype, device=x.device)
        y = x.new_zeros([b, self.c_out] + [self.n] * self.l)
        for s in range(self.dim):
            t = torch.einsum(self.reduce[s], [xs])
            term = torch.einsum("bc...,oc->bo...", [t, phi[:, :, s]])
            term = term.reshape([b, self.c_out] + self.shape[s])
            for pq in self.dups[s]:
                mask = [1] * (2 + self.l)
                mask[2 + pq[0]] = self.n
                mask[2 + pq[1]] = self.n
                term = term * eye.reshape(mask)
            y = y + term
        return y.reshape(b, self.c_out, self.out_dim)
''',
    "convolution": _TORCH_GATHER
    + '''
    def _linear(self, theta, x):
        """W x as an FFT convolution: W[i, j] = g[i - j], g of length self.length."""
        g = self._gather(theta, self.kernel_index, self.kernel_sign)
        if x.dtype == torch.float16 or x.dtype == torch.bfloat16:
            g = g.float()  # no FFT in half precision on CPUs: upcast, cast back
        xf = torch.fft.rfft(x.to(g.dtype), n=self.length, dim=-1)
        gf = torch.fft.rfft(g, dim=-1)
        if self.c_out * self.c_in <= 64:  # few channels: broadcast multiply-add
            yf = (xf.unsqueeze(1) * gf.unsqueeze(0)).sum(2)
        else:
            yf = torch.einsum("bcf,ocf->bof", xf, gf)
        y = torch.fft.irfft(yf, n=self.length, dim=-1)
        return y.narrow(-1, 0, self.out_dim).to(x.dtype)
''',
}

# ----------------------------------------------------------------- wrappers
# A forward pass shared by the wrappers of one array library: the core, then the bias.
# $scale: the mean normalisation (theta times SCALE, one factor per basis element) or nothing.
NUMPY_SCALE = "\n    theta = theta * SCALE.astype(x.dtype)  # mean: B_k / its number of terms"
JAX_SCALE = "\n    theta = theta * jnp.asarray(SCALE, x.dtype)  # mean: B_k / its number of terms"
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
TORCH_DIAGRAM_ATTRIBUTES = """
    reduce: list[str]
    shape: list[list[int]]
    dups: list[list[list[int]]]
"""
TORCH_DIAGRAM_ASSIGN = (
    "        self.n, self.k, self.l = N, K, L\n"
    "        self.reduce = REDUCE\n        self.shape = SHAPE\n        self.dups = DUPS\n"
)
TORCH_CONVOLUTION_ASSIGN = "        self.length = LENGTH\n"
# the general plan: the classes flattened into typed lists and buffers TorchScript can index
TORCH_DIAGRAMS_ATTRIBUTES = """
    n: int
    forms: bool
    permutes: bool
    in_starts: list[int]
    out_sizes: list[int]
    steps_reduce: list[str]
    steps_shape: list[list[int]]
    steps_dups: list[list[list[int]]]
    steps_in_maps: list[list[int]]
    steps_out_maps: list[list[int]]
    steps_eps: list[bool]
    plan_kl: list[list[int]]
    plan_steps: list[list[int]]
    plan_in_blocks: list[list[int]]
    plan_out_blocks: list[list[int]]
    plan_terms: list[int]
    plan_mobius: list[int]
"""
TORCH_DIAGRAMS_ASSIGN = """        self.n, self.forms, self.permutes = N, FORMS, PERMUTES
        self.in_starts, self.out_sizes = IN_STARTS, [N**d for d in OUT_DEGREES]
        self.steps_reduce, self.steps_shape, self.steps_dups = [], [], []
        self.steps_in_maps, self.steps_out_maps, self.steps_eps = [], [], []
        self.plan_kl, self.plan_steps, self.plan_terms = [], [], []
        self.plan_mobius, self.plan_in_blocks, self.plan_out_blocks = [], [], []
        terms, mobius = [], []
        for plan in PLANS:
            self.plan_kl.append([plan["k"], plan["l"]])
            self.plan_steps.append([len(self.steps_reduce), len(plan["reduce"])])
            self.plan_terms.append(sum(t.size for t in terms))
            self.plan_mobius.append(sum(m.size for m in mobius))
            self.plan_in_blocks.append(plan["in_blocks"])
            self.plan_out_blocks.append(plan["out_blocks"])
            terms.append(plan["terms"].reshape(-1))
            mobius.append(plan["mobius"].reshape(-1))
            self.steps_reduce += plan["reduce"]
            self.steps_shape += plan["shape"]
            self.steps_dups += plan["dups"]
            self.steps_in_maps += plan["in_maps"]
            self.steps_out_maps += plan["out_maps"]
            self.steps_eps += plan["eps"]
        flat = {
            "terms_flat": np.concatenate(terms),
            "mobius_flat": np.concatenate(mobius),
            "levi": LEVI if LEVI is not None else np.zeros(1, np.float32),
            "in_gather": IN_GATHER if FORMS else np.arange(N),
            "in_sign": IN_SIGN if FORMS else np.ones(N, np.float32),
            "out_gather": OUT_GATHER if FORMS else np.arange(N),
            "out_sign": OUT_SIGN if FORMS else np.ones(N, np.float32),
        }
        for key, value in flat.items():
            tensor = torch.from_numpy(np.ascontiguousarray(value))
            self.register_buffer(key, tensor, persistent=False)
"""
