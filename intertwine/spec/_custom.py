"""Custom actions from JSON (``@path.json``), validated strictly.

Schema (DESIGN contract)::

    {"kind": "group" | "monoid", "degree": n,
     "permutations":    [[images of 0..n-1], ...],   (groups)
     "transformations": [[images of 0..n-1], ...],   (monoids; any maps)
     "matrices":        [[[row], ...], ...],         (discrete generators, n x n)
     "lie_algebra":     [[[row], ...], ...]}         (groups)

Unknown keys, wrong shapes, NaN or infinite numbers, non-bijective permutations and degrees that
do not match are errors that name the key and the fix.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any

from ..core import Action, Generator, Matrix
from ..errors import ActionError, SpecError
from ..groups import MAX_MATRIX_DEGREE, MAX_PERMUTATION_DEGREE, checked_matrices

ALLOWED_KEYS = ("kind", "degree", "permutations", "transformations", "matrices", "lie_algebra")
MAX_FILE_BYTES = 64 * 2**20


def _reject_constant(name: str) -> Any:
    raise SpecError(f"{name} is not a number; custom actions need finite numbers")


def load_custom_action(path: str) -> Action:
    """Read and validate a custom action file; the action is named ``@path``."""
    if not path:
        raise SpecError("'@' must be followed by a JSON file path, e.g. @my_group.json")
    try:
        info = os.stat(path)
    except OSError:
        raise SpecError(f"cannot read custom action file {path!r}: no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise SpecError(
            f"custom action file {path!r} is not a regular file (a directory, device or pipe); "
            f"give a JSON file"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise SpecError(
            f"custom action file {path!r} is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}"
        )
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(MAX_FILE_BYTES + 1)  # the file may grow after the check
        if len(text) > MAX_FILE_BYTES:
            raise SpecError(f"custom action file {path!r} is over {MAX_FILE_BYTES} bytes")
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read custom action file {path!r}: {exc}") from None
    except RecursionError:
        raise SpecError(
            f"{path}: JSON nested too deeply; a custom action is at most 4 deep"
        ) from None
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None
    try:
        return action_from_dict(data, name=f"@{path}")
    except ActionError as exc:
        raise SpecError(f"{path}: {exc}") from None


def _int_lists(value: Any, key: str, n: int) -> list[list[int]]:
    if not isinstance(value, list):
        raise ActionError(f"'{key}' must be a list of lists of {n} integers")
    out = []
    for k, row in enumerate(value):
        if not isinstance(row, list) or len(row) != n:
            raise ActionError(f"'{key}'[{k}] must list the images of 0..{n - 1} ({n} integers)")
        if not all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x < n for x in row):
            raise ActionError(f"'{key}'[{k}] must contain integers in 0..{n - 1}")
        out.append(row)
    return out


def action_from_dict(data: Any, name: str = "custom") -> Action:
    """Validate a parsed custom-action object and build the :class:`Action`."""
    if not isinstance(data, dict):
        raise ActionError("a custom action is a JSON object with keys kind, degree, ...")
    unknown = sorted(set(data) - set(ALLOWED_KEYS))
    if unknown:
        raise ActionError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; allowed keys are "
            f"{', '.join(ALLOWED_KEYS)}"
        )
    kind = data.get("kind")
    if kind not in ("group", "monoid"):
        raise ActionError('\'kind\' must be "group" or "monoid"')
    n = data.get("degree")
    limit = (
        MAX_PERMUTATION_DEGREE
        if not ({"matrices", "lie_algebra"} & set(data))
        else MAX_MATRIX_DEGREE
    )
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= limit:
        raise ActionError(f"'degree' must be an integer in 1..{limit}")
    gens: list[Generator] = []
    perms = _int_lists(data.get("permutations", []), "permutations", n)
    for k, p in enumerate(perms):
        if sorted(p) != list(range(n)):
            raise ActionError(
                f"'permutations'[{k}] is not a bijection of 0..{n - 1}; "
                f"use 'transformations' in a monoid for other maps"
            )
        gens.append(Generator(f"p{k}", "discrete", (Matrix.from_map(p),)))
    if "transformations" in data and kind == "group":
        raise ActionError(
            '\'transformations\' belong to a monoid; set "kind": "monoid" or give '
            "bijections as 'permutations'"
        )
    maps = _int_lists(data.get("transformations", []), "transformations", n)
    gens += [Generator(f"t{k}", "discrete", (Matrix.from_map(t),)) for k, t in enumerate(maps)]
    for key in ("matrices", "lie_algebra"):
        if key in data and not isinstance(data[key], list):
            raise ActionError(f"'{key}' must be a list of {n}x{n} matrices")
    if "lie_algebra" in data and kind == "monoid":
        raise ActionError(
            '\'lie_algebra\' needs a group: a monoid has no Lie algebra; set "kind": "group"'
        )
    mats = checked_matrices(data.get("matrices", []), "matrices", n)
    lie = checked_matrices(data.get("lie_algebra", []), "lie_algebra", n)
    gens += [Generator(f"m{k}", "discrete", (m,)) for k, m in enumerate(mats)]
    gens += [Generator(f"A{k}", "lie", (m,)) for k, m in enumerate(lie)]
    if not gens:
        raise ActionError(
            "no generators: give 'permutations', 'transformations', 'matrices' or 'lie_algebra'"
        )
    action = Action(
        name,
        kind,
        (n,),
        gens,
        permutations=perms if len(perms) == len(gens) else None,
        description=f"custom {kind} on {n} points/dimensions with {len(gens)} generators",
    )
    if kind == "group":
        _ = action.inverses  # singular matrices in a group are an error now
    return action
