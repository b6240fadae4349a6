"""The benchmark cases: (group, IN, OUT), and how each maps to EMLP (None: EMLP cannot say it)."""

from pathlib import Path

# cases also timed on the float route (``--method numeric``: dense SVD, then rounding), the
# baseline for the exact route they take by default (C(k), D(k): weights over Q(cos 2π/m))
FLOAT_BASELINE = {"C(7)", "D(7)"}

# the automorphism group of the 6-cube (order 46080) on its 64 vertices, from three generators
HYPERCUBE6 = f"@{Path(__file__).resolve().parent / 'hypercube6.json'}"

# cases where the orbit stage is also timed alone against scipy's connected components over the
# same index pairs (``_csgraph_baseline.py``)
BASELINE_CASES = [(HYPERCUBE6, "V**2", "V**2")]

SOLVE_CASES = [
    ("S(5)", "V", "V"),
    ("S(5)", "V**2", "V**2"),
    ("S(10)", "V", "V"),
    ("S(10)", "V**2", "V**2"),
    ("S(20)", "V", "V"),
    ("S(20)", "V**2", "V**2"),
    ("S(50)", "V", "V"),
    ("S(50)", "V**2", "V**2"),
    ("S(12)", "V**3", "V**3"),
    ("SO(3)", "V**2", "V**2"),
    ("SO(3)", "V**3", "V"),
    ("SO(3)", "V+V**2", "V+V**2"),
    ("SO(3)", "V**4", "V**4"),
    ("O(3)", "V**3", "V**3"),
    ("O(5)", "V**2", "V**2"),
    ("O(5)", "V**3", "V**3"),
    ("O(1,3)", "V**2", "V**2"),
    ("Z(64)", "V", "V"),
    ("Z(256)", "V", "V"),
    ("D(16)", "V**3", "V**3"),
    ("C(7)", "V**4", "V**4"),
    ("D(7)", "V**4", "V**4"),
    ("C(7)", "V**7", "V**6+1"),
    ("SO(2)", "V**3", "V**3"),
    ("Shift(64)", "V", "V"),
    ("Trans(6)", "V**2", "V**2"),
    (HYPERCUBE6, "V**2", "V**2"),
]


def emlp_group(spec: str):
    """The EMLP group object for a spec, or None where EMLP has no such action (monoids)."""
    import emlp.groups as g

    if spec.startswith("@"):
        return None
    name, _, args = spec.partition("(")
    nums = [int(a) for a in args.rstrip(")").split(",")] if args else []
    table = {"S": g.S, "SO": g.SO, "O": g.O, "Z": g.Z, "D": g.D, "C": g.C}
    if spec == "O(1,3)":
        return g.Lorentz()
    if name in table:
        return table[name](*nums)
    return None


def emlp_rep(expr: str, group):
    """EMLP's rep for our expression language (only the forms used in the cases)."""
    from emlp.reps import Scalar, V

    v = V(group)
    total = None
    for term in expr.replace(" ", "").split("+"):
        if term == "1":
            total = Scalar if total is None else total + Scalar
            continue
        base, _, power = term.partition("**")
        assert base == "V", term
        r = v ** int(power) if power else v
        total = r if total is None else total + r
    return total
