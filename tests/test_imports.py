"""The solver imports no sympy: exact algebraic entries load it when they first appear."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_solver_and_an_integer_solve_import_no_sympy():
    code = (
        "import sys, intertwine.solver as s\n"
        "before = 'sympy' in sys.modules\n"
        "s.solve('S(4)', 'V**2', 'V', cache=False, quiet=True)\n"
        "print(before, 'sympy' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False"]


# The flow of ARCHITECTURE.md, top to bottom: a package's module-level imports reach only the
# packages before it (a function may import a later one lazily: the public entry points that
# read spec strings, verify's recognition of our own modules).
FLOW = (
    "errors",
    "core",
    "groups",
    "monoids",
    "spec",
    "solver",
    "reps",
    "codegen",
    "recursion",
    "verify",
    "testing",
    "cli_files",
    "cli_solve",
    "cli_decompose",
    "cli_export",
    "cli_codegen",
    "cli_verify",
    "cli",
    "__init__",
)


def _relative_imports():
    """(importing package, imported path parts, module level?) of every relative import."""
    import ast

    pkg_root = ROOT / "intertwine"
    for path in sorted(pkg_root.rglob("*.py")):
        parts = path.relative_to(pkg_root).parts
        package = parts[0] if len(parts) > 1 else parts[0][:-3]
        tree = ast.parse(path.read_text())
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                here = list(parts[:-1])
                base = here[: len(here) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
                yield path, package, target, id(node) in top


def test_no_module_imports_another_packages_private_module():
    bad = [
        f"{path.relative_to(ROOT)}: {'.'.join(target)}"
        for path, package, target, _ in _relative_imports()
        if target
        and target[0] != package
        and any(part.startswith("_") and part != "__init__" for part in target[1:])
    ]
    assert bad == []


def test_module_level_imports_flow_down():
    rank = {name: i for i, name in enumerate(FLOW)}
    bad = [
        f"{path.relative_to(ROOT)} imports {'.'.join(target)}"
        for path, package, target, top in _relative_imports()
        if top and target and target[0] != package and rank[target[0]] >= rank[package]
    ]
    assert bad == []
    assert set(rank) >= {
        p.stem if p.is_file() else p.name
        for p in (ROOT / "intertwine").iterdir()
        if p.suffix == ".py" or (p / "__init__.py").exists()
    }
