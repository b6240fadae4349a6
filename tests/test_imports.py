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
