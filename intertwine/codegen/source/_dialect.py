"""One core template, three array libraries: a :class:`Dialect` says how each spells a primitive.

A core is written once, as Python text against a few primitives, and :func:`instantiate` turns it
into the NumPy, JAX or PyTorch core. The template's vocabulary:

- ``xp.`` is the array namespace (``np.``, ``jnp.``, ``torch.``), for the calls the three spell
  alike (``xp.stack(items, axis)``, ``.reshape([...])``);
- ``$NAME`` is a constant of the emitted module: ``NAME`` for NumPy and JAX, the attribute or
  buffer ``self.name`` of the PyTorch module (declared by ``_template``);
- ``def f(`` and ``@f(`` define and call a function of the core: PyTorch makes it a method
  (``def f(self, ``, ``self.f(``) and indents the text into the class;
- the primitives whose spelling differs, as calls: ``EINSUM(spec, a, b)`` (fixed operands),
  ``EINSUMS(spec, operands)`` (a list), ``EYE(like)`` (the n×n identity, ``$N``),
  ``ZEROS(shape, like)``, ``CAST(a, like)``, ``CAT(items, axis)``, ``TAKE(a, index, axis)``,
  ``EXPAND(a, shape)`` (broadcast), ``PERMUTE(a, axes)``, ``MATMUL(a, b)`` (b cast to a's dtype;
  JAX in full float32 precision, no TF32), where ``like`` is the array whose dtype (and device)
  the result takes;
- a line ending in ``# [feature]`` is kept only when the plan has that feature (e.g. invariant
  forms), so that the emitted core holds no dead branches.

The PyTorch dialect writes TorchScript-compatible text (lists as typed attributes, no ``*args``).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """The spelling of the template primitives in one array library (format strings over the
    primitive's arguments ``{0}``, ``{1}``, ...; ``{rest}`` is every argument after the first,
    joined by commas). ``methods``: the core's functions are methods of a module (PyTorch)."""

    name: str
    xp: str
    methods: bool
    einsum: str
    einsums: str
    eye: str
    zeros: str
    cast: str
    cat: str
    take: str
    expand: str
    permute: str
    matmul: str

    def primitive(self, name: str, args: list[str]) -> str:
        form = getattr(self, name.lower())
        return form.format(*args, rest=", ".join(args[1:]))


NUMPY = Dialect(
    name="numpy",
    xp="np",
    methods=False,
    einsum="np.einsum({0}, {rest}, optimize=True)",
    einsums="np.einsum({0}, *{1}, optimize=True)",
    eye="np.eye($N, dtype={0}.dtype)",
    zeros="np.zeros({0}, {1}.dtype)",
    cast="{0}.astype({1}.dtype)",
    cat="np.concatenate({0}, {1})",
    take="np.take({0}, {1}, axis={2})",
    expand="np.broadcast_to({0}, {1})",
    permute="{0}.transpose({1})",
    matmul="np.matmul({0}, {1}.astype({0}.dtype))",
)

JAX = Dialect(
    name="jax",
    xp="jnp",
    methods=False,
    einsum="jnp.einsum({0}, {rest})",
    einsums="jnp.einsum({0}, *{1})",
    eye="jnp.eye($N, dtype={0}.dtype)",
    zeros="jnp.zeros({0}, {1}.dtype)",
    cast="jnp.asarray({0}, {1}.dtype)",
    cat="jnp.concatenate({0}, {1})",
    take="jnp.take({0}, {1}, axis={2})",
    expand="jnp.broadcast_to({0}, {1})",
    permute="{0}.transpose({1})",
    matmul='jnp.matmul({0}, jnp.asarray({1}, {0}.dtype), precision="highest")',
)

TORCH = Dialect(
    name="torch",
    xp="torch",
    methods=True,
    einsum="torch.einsum({0}, [{rest}])",
    einsums="torch.einsum({0}, {1})",
    eye="torch.eye($N, dtype={0}.dtype, device={0}.device)",
    zeros="{1}.new_zeros({0})",
    cast="{0}.to({1}.dtype)",
    cat="torch.cat({0}, {1})",
    take="{0}.index_select({2}, {1})",
    expand="{0}.expand({1})",
    permute="{0}.permute({1})",
    matmul="torch.matmul({0}, {1}.to({0}.dtype))",
)

DIALECTS = (NUMPY, JAX, TORCH)

_PRIMITIVES = ("EINSUMS", "EINSUM", "EYE", "ZEROS", "CAST", "CAT", "TAKE", "EXPAND", "PERMUTE")
_CALL = re.compile(r"\b(" + "|".join(_PRIMITIVES + ("MATMUL",)) + r")\(")
_TAG = re.compile(r"\s*# \[(\w+)\]$")


def _arguments(text: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose "(" is at ``start``, and the index after ")"."""
    depth, args, begin, quote = 0, [], start + 1, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[begin:i].strip())
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(text[begin:i].strip())
            begin = i + 1
    raise ValueError(f"unbalanced primitive call in a core template: {text[start:][:40]!r}")


def _expand(text: str, dialect: Dialect) -> str:
    """Every primitive call spelled in ``dialect`` (arguments first, so calls may nest)."""
    match = _CALL.search(text)
    if match is None:
        return text
    args, end = _arguments(text, match.end() - 1)
    spelled = dialect.primitive(match.group(1), [_expand(a, dialect) for a in args])
    return text[: match.start()] + spelled + _expand(text[end:], dialect)


def instantiate(template: str, dialect: Dialect, features: frozenset[str] = frozenset()) -> str:
    """The core ``template`` (see the module docstring) in ``dialect``, keeping the lines
    tagged with one of ``features``.

    >>> core = "def _f(x):\\n    return CAST($SIGN, x) * x  # [forms]\\n"
    >>> print(instantiate(core, TORCH, frozenset({"forms"})), end="")
        def _f(self, x):
            return self.sign.to(x.dtype) * x
    >>> instantiate(core, NUMPY)
    'def _f(x):\\n'
    """
    lines = []
    for line in template.splitlines():
        tag = _TAG.search(line)
        if tag is not None:
            if tag.group(1) not in features:
                continue
            line = line[: tag.start()]
        lines.append(line)
    text = _expand("\n".join(lines).strip("\n") + "\n", dialect)
    text = text.replace("xp.", dialect.xp + ".")
    if not dialect.methods:
        text = re.sub(r"\$([A-Z][A-Z0-9_]*)", r"\1", text)
        return text.replace("@_", "_")
    text = re.sub(r"\$([A-Z][A-Z0-9_]*)", lambda m: "self." + m.group(1).lower(), text)
    text = re.sub(r"^def (\w+)\(", r"def \1(self, ", text.replace("@_", "self._"), flags=re.M)
    return textwrap.indent(re.sub(r"\n{3,}", "\n\n", text), "    ")  # one blank line in a class
