"""The text around an exported invariant-theory network's core: ``init`` and the function of
NumPy and JAX, the Equinox and Flax modules over the JAX function, the PyTorch module.
Placeholders are ``$name`` (string.Template): the validated name, the array namespace and, for
PyTorch, the core's attributes, buffers and methods; never user text."""

LOADS = '''

def init():
    """The exported parameters (a fresh copy): {"mlp": [(w, b), ...], "poly": ...,
    "bilinear": (a, b, c) when RANK}."""
    params = {
        "mlp": [(_p(f"mlp_w{i}"), _p(f"mlp_b{i}")) for i in range(LAYERS)],
        "poly": _p("poly"),
    }
    if RANK:
        params["bilinear"] = tuple(_p(k) for k in BILINEAR)
    return params


def _apply(mlp, poly, bilinear, x):
    x = $xp.asarray(x)
    if not $xp.issubdtype(x.dtype, $xp.floating):
        x = x.astype($xp.float32)
    if x.ndim < 1 or x.shape[-1] != IN_DIM:
        raise ValueError(f"the network takes x of shape (..., {IN_DIM}), not {x.shape}")
    a, b, c = bilinear if RANK else (None, None, None)
    ws, bs = [w for w, _ in mlp], [v for _, v in mlp]
    y = _network(ws, bs, poly, a, b, c, x.reshape((-1, IN_DIM)))
    return y.reshape(x.shape[:-1] + (OUT_DIM,))
'''

FUNCTION = '''

def $name(params, x):
    """y (..., OUT_DIM) for x (..., IN_DIM)."""
    return _apply(params["mlp"], params["poly"], params.get("bilinear"), x)
'''

EQUINOX = '''

class $name(eqx.Module):
    """The network as an Equinox module, starting at the embedded parameters."""

    mlp: list
    poly: jax.Array
    bilinear: tuple | None

    def __init__(self):
        params = init()
        self.mlp, self.poly = params["mlp"], params["poly"]
        self.bilinear = params.get("bilinear")

    def __call__(self, x):
        """y (..., OUT_DIM) for x (..., IN_DIM)."""
        return _apply(self.mlp, self.poly, self.bilinear, x)
'''

FLAX = '''

def _embedded(key, name):
    return _p(name)


class $name(nn.Module):
    """The network as a Flax (linen) module, starting at the embedded values."""

    @nn.compact
    def __call__(self, x):
        """y (..., OUT_DIM) for x (..., IN_DIM)."""
        p = {k: self.param(k, _embedded, k) for k in PARAMS}
        mlp = [(p[f"mlp_w{i}"], p[f"mlp_b{i}"]) for i in range(LAYERS)]
        bilinear = tuple(p[k] for k in BILINEAR) if RANK else None
        return _apply(mlp, p["poly"], bilinear, x)
'''

TORCH = '''class $name(torch.nn.Module):
    """The network as a PyTorch module (eager, torch.compile, torch.export), its
    parameters starting at the embedded values."""
$attributes
    def __init__(self):
        super().__init__()

        def param(key):
            return torch.nn.Parameter(torch.from_numpy(_DATA[key].copy()))

        self.mlp_w = torch.nn.ParameterList([param(f"mlp_w{i}") for i in range(LAYERS)])
        self.mlp_b = torch.nn.ParameterList([param(f"mlp_b{i}") for i in range(LAYERS)])
        self.poly = param("poly")
        self.bilinear = torch.nn.ParameterList([param(k) for k in BILINEAR])
        for key in ($buffers):
            tensor = torch.from_numpy(_DATA[key].copy())
            self.register_buffer(key, tensor, persistent=False)
$assign
$core
    def forward(self, x):
        """y (..., OUT_DIM) for x (..., IN_DIM)."""
        ws = [w for w in self.mlp_w]
        bs = [b for b in self.mlp_b]
        if x.shape[-1] != IN_DIM:
            msg = f"the network takes x of shape (..., {IN_DIM}), not {tuple(x.shape)}"
            raise ValueError(msg)
        a = b = c = None
        if RANK:
            a, b, c = self.bilinear[0], self.bilinear[1], self.bilinear[2]
        y = self._network(ws, bs, self.poly, a, b, c, x.reshape(-1, IN_DIM))
        return y.reshape(list(x.shape[:-1]) + [OUT_DIM])

    def extra_repr(self):
        return DESCRIPTION
'''
