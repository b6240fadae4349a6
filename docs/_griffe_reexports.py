"""A Griffe extension for the API pages (``mkdocs.yml``: mkdocstrings' ``extensions``).

- A package's ``from ._module import Name as Name`` re-exports are its public API (the
  convention of this project and of Equinox), so they are marked public and rendered on the
  package's page; a module's lazy-loading ``__getattr__`` and ``__dir__`` are hidden.
- Docstrings are written for ``help()`` and the doctests: their ``>>>`` examples become
  ``pycon`` code blocks, and Sphinx roles (``:class:`Basis```) plain code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HIDDEN = {"__getattr__", "__dir__"}
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|exc|data|obj):`~?([^`]+)`")


class ReExports(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._visit(pkg)

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(_ROLE.sub(r"`\1`", obj.docstring.value))

    def _visit(self, module: griffe.Module) -> None:
        for name, member in module.members.items():
            if name in _HIDDEN:
                member.public = False
            elif member.is_alias:
                if module.is_init_module and not name.startswith("_"):
                    member.public = member.target_path.startswith(f"{module.package.path}.")
            elif member.is_module:
                self._visit(member)  # type: ignore[arg-type]


def fence_doctests(text: str) -> str:
    """Wrap each run of ``>>>`` lines and their output (up to a blank line) in a ``pycon``
    fence, unless it already stands in a fence."""
    out: list[str] = []
    lines = text.split("\n")
    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fenced = not fenced
        if fenced or not stripped.startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(stripped)]
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        out += [f"{indent}```pycon", *block, f"{indent}```"]
    return "\n".join(out)
