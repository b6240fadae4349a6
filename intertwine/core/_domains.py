"""Exact entries of a sparse matrix: their domains, canonical coordinate form and zero tests.

- ``"ZZ"``: integers (int64; beyond 62 bits, Python ints kept exact as sympy Integers in QQ);
- ``"QQ"``: rationals (sympy ``Rational``);
- ``"EX"``: algebraic numbers as sympy expressions (e.g. ``sqrt(3)/2``);
- ``"RR"``: float64, for user matrices that are not exact.

sympy is imported only where an entry is rational or algebraic.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import sympy

DOMAINS = ("ZZ", "QQ", "EX", "RR")


_INT_LIMIT = 2**62


def join_domains(*domains: str) -> str:
    """The smallest domain that holds entries of every given domain."""
    return max(domains, key=DOMAINS.index) if domains else "ZZ"


_join = join_domains


def _to_sympy(value: Any) -> sympy.Expr:
    import sympy

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.sympify(value) if isinstance(value, (int, np.integer)) else value


def _domain_of_objects(vals: np.ndarray) -> str:
    if all(getattr(v, "is_Integer", False) and abs(int(v)) < _INT_LIMIT for v in vals):
        return "ZZ"
    if all(getattr(v, "is_Rational", False) for v in vals):
        return "QQ"
    return "EX"


def _guess_domain(vals: Any) -> str:
    arr = np.asarray(vals)
    if arr.dtype.kind in "iub":
        return "ZZ"
    if arr.dtype.kind == "f":
        return "RR"
    objs = list(np.asarray(vals, dtype=object).ravel())
    if all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and abs(int(v)) < _INT_LIMIT
        for v in objs
    ):
        return "ZZ"  # plain integers: no need of sympy to see it
    if any(isinstance(v, (float, np.floating)) or getattr(v, "is_Float", False) for v in objs):
        return "RR"
    return "EX"


def _canonical(n, m, rows, cols, vals, domain):
    if rows.size == 0:
        return rows, cols, vals
    key = rows * m + cols
    order = np.argsort(key, kind="stable")
    key, rows, cols, vals = key[order], rows[order], cols[order], vals[order]
    uniq, start = np.unique(key, return_index=True)
    if uniq.size != key.size:
        if domain == "ZZ":
            most = int(np.max(np.diff(np.append(start, key.size))))
            if int(np.max(np.abs(vals))) * most >= _INT_LIMIT:  # sum in Python ints
                vals = np.array([int(v) for v in vals], dtype=object)
            vals = np.add.reduceat(vals, start)
        elif domain == "RR":
            vals = np.add.reduceat(vals, start)
        else:
            import sympy

            vals = np.array(
                [
                    sympy.expand(sum(vals[s:e], sympy.Integer(0)))
                    for s, e in zip(start, list(start[1:]) + [key.size])
                ],
                dtype=object,
            )
        rows, cols = rows[start], cols[start]
    if domain in ("ZZ", "RR"):
        keep = vals != 0
    elif uniq.size != key.size:  # entries that were summed may cancel
        keep = np.array([not is_zero_exact(v) for v in vals], dtype=bool)
    else:
        keep = np.array([not (v == 0) for v in vals], dtype=bool)
    return rows[keep], cols[keep], vals[keep]


@lru_cache(maxsize=65536)
def _float_of(v: Any) -> float:
    import sympy

    return float(sympy.N(v, 20))


@lru_cache(maxsize=65536)
def is_zero_exact(v: Any) -> bool:
    """Exact zero test for an algebraic sympy number: structural first, then numeric (a value
    far from 0 at 30 digits is nonzero), and simplify only for the rare near-zero case."""
    if v == 0:
        return True
    if getattr(v, "is_Rational", False):
        return False
    import sympy

    approx = abs(complex(sympy.N(v, 30)))
    if approx > 1e-20:
        return False
    return bool(sympy.simplify(v) == 0)
