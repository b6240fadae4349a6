"""Emitted cores of the general diagram plan: sums of tensor powers, invariant forms (O(p,q),
Sp(n)) and ε operands (SO(n)), one application per class of block pairs: kind
"diagram_classes".

``PLANS`` holds one dict per class (its degrees, blocks, terms, Möbius matrix and the einsum
steps of its diagrams); the forms are the gathers and signs ``IN_GATHER``/``IN_SIGN`` and
``OUT_GATHER``/``OUT_SIGN``, the Levi-Civita symbol ``LEVI`` (see
:class:`intertwine.codegen.layout.DiagramPlan`). The NumPy and JAX cores are written once with
``xp.``; PyTorch flattens the classes into typed lists and buffers TorchScript can index.
"""

from __future__ import annotations

import numpy as np

from ...solver import levi_civita
from ..layout import DiagramPlan
from ._recipe import Recipe
from ._text import list_literal
from ._tying import in_library

# the general diagram plan, once for NumPy and JAX: each class of block pairs is one
# application, its blocks extra channels
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

# phi in full float32 precision on accelerators (no TF32), so that it carries theta exactly
_JAX_HIGHEST = """

def _highest(a, b):
    return jnp.matmul(a, jnp.asarray(b, a.dtype), precision="highest")
"""

NUMPY_DIAGRAM_CLASSES = in_library("np", _DIAGRAMS).replace("MATMUL(", "np.matmul(")
JAX_DIAGRAM_CLASSES = in_library("jnp", _DIAGRAMS + _JAX_HIGHEST).replace("MATMUL(", "_highest(")

TORCH_DIAGRAM_CLASSES = '''    def _map_axes(self, t, axes: list[int], gather, sign):
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
'''

# the general plan: the classes flattened into typed lists and buffers TorchScript can index
TORCH_DIAGRAM_CLASSES_ATTRIBUTES = """
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
TORCH_DIAGRAM_CLASSES_ASSIGN = """        self.n, self.forms, self.permutes = N, FORMS, PERMUTES
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


def _arrays(layout: DiagramPlan) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for i, plan in enumerate(layout.classes):
        arrays[f"terms{i}"] = plan.terms.astype(np.int64)
        arrays[f"mobius{i}"] = plan.mobius.astype(np.float32)
    forms = layout.classes[0].forms
    if forms is not None and not forms.trivial:
        inverse = np.argsort(forms.in_perm)
        arrays["in_gather"] = inverse.astype(np.int64)
        arrays["in_sign"] = forms.in_sign[inverse].astype(np.float32)
        arrays["out_gather"] = forms.out_perm.astype(np.int64)
        arrays["out_sign"] = forms.out_sign.astype(np.float32)
    if any(any(plan.eps) for plan in layout.classes):
        arrays["levi"] = levi_civita(layout.n).astype(np.float32)
    return arrays


def _field(key: str, items: list[str]) -> str:
    """``"key": [...]`` inside a plan's dict, one item a line when it would run long."""
    one_line = f'"{key}": [' + ", ".join(items) + "]"
    if len(one_line) <= 70:
        return one_line
    return f'"{key}": [\n' + "".join(f"            {x},\n" for x in items) + "        ]"


def _general_constants(layout) -> list[str]:
    """N, the block offsets, the forms and one dict per class of block pairs (see
    ``intertwine.codegen.layout.DiagramClassPlan`` for the steps)."""
    n = layout.n
    starts = np.cumsum([0] + [n**k for k in layout.in_degrees]).tolist()
    forms = layout.classes[0].forms
    has_forms = forms is not None and not forms.trivial
    lines = [
        f"N = {n}",
        f"IN_STARTS = {starts}",
        f"OUT_DEGREES = {list(layout.out_degrees)}",
        f"FORMS = {has_forms}",
        f"PERMUTES = {bool(has_forms and forms.permutes)}",
    ]
    if has_forms:
        lines += [
            'IN_GATHER, IN_SIGN = _DATA["in_gather"], _DATA["in_sign"]',
            'OUT_GATHER, OUT_SIGN = _DATA["out_gather"], _DATA["out_sign"]',
        ]
    else:
        lines.append("IN_GATHER = IN_SIGN = OUT_GATHER = OUT_SIGN = None")
    has_eps = any(any(plan.eps) for plan in layout.classes)
    lines.append('LEVI = _DATA["levi"]' if has_eps else "LEVI = None")
    lines.append("# per class of block pairs: its diagrams' einsums, shapes, diagonals, forms")
    plans = []
    for i, plan in enumerate(layout.classes):
        fields = [
            f'"k": {plan.k}',
            f'"l": {plan.l}',
            f'"in_blocks": {list(plan.in_blocks)}',
            f'"out_blocks": {list(plan.out_blocks)}',
            f'"terms": _DATA["terms{i}"]',
            f'"mobius": _DATA["mobius{i}"]',
            _field("reduce", [f'"{r}"' for r in plan.reduce]),
            _field("shape", [str(list(x)) for x in plan.shape]),
            _field("dups", [str([list(pq) for pq in d]) for d in plan.dups]),
            _field("in_maps", [str(list(x)) for x in plan.in_maps]),
            _field("out_maps", [str(list(x)) for x in plan.out_maps]),
            _field("eps", [str(bool(e)) for e in plan.eps]),
        ]
        plans.append("{\n" + "".join(f"        {f},\n" for f in fields) + "    }")
    lines.append(list_literal("PLANS", plans))
    return lines


def diagram_classes_recipe(plan: DiagramPlan) -> Recipe:
    """The general plan (its arrays become PyTorch buffers of its own, flattened in
    ``__init__``)."""
    return Recipe(
        kind="diagram_classes",
        arrays=_arrays(plan),
        constants=tuple(_general_constants(plan)),
        numpy_core=NUMPY_DIAGRAM_CLASSES,
        jax_core=JAX_DIAGRAM_CLASSES,
        torch_core=TORCH_DIAGRAM_CLASSES,
        torch_attributes=TORCH_DIAGRAM_CLASSES_ATTRIBUTES,
        torch_assign=TORCH_DIAGRAM_CLASSES_ASSIGN,
        torch_buffers=False,
    )
