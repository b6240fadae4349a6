"""Run one solve case cold in this process; print a JSON line with seconds, dim and peak memory.

Usage: python _run_case.py {intertwine|intertwine-numeric|orbit|emlp} GROUP IN OUT

``orbit`` times the orbit stage alone (``orbit_tying`` on the constraint pairs, built before the
clock starts), the stage that ``_csgraph_baseline.py`` is compared with.
"""

import json
import resource
import sys
import time


def main() -> None:
    tool, group, rep_in, rep_out = sys.argv[1:5]
    if tool in ("intertwine", "intertwine-numeric"):
        import intertwine as it

        action = it.parse_action(group)
        ri, ro = it.parse_rep(action, rep_in), it.parse_rep(action, rep_out)
        method = "numeric" if tool == "intertwine-numeric" else "auto"
        start = time.perf_counter()
        basis = it.solve(action, ri, ro, method=method, cache=False)
        seconds = time.perf_counter() - start
        dim, extra = basis.dim, basis.method
        exact = basis.exact
    elif tool == "orbit":
        import intertwine as it
        from intertwine.solver._constraints import constraints
        from intertwine.solver._orbit import orbit_tying

        action = it.parse_action(group)
        ri, ro = it.parse_rep(action, rep_in), it.parse_rep(action, rep_out)
        pairs = [c.monomial() for c in constraints(ri, ro)]
        start = time.perf_counter()
        tying = orbit_tying(pairs, ri.dim, ro.dim)
        seconds = time.perf_counter() - start
        dim, extra, exact = tying.count, "orbit stage", True
    else:
        sys.path.insert(0, sys.argv[5])
        from _cases import emlp_group, emlp_rep

        g = emlp_group(group)
        if g is None:
            why = "a custom group file" if group.startswith("@") else "monoid"
            print(json.dumps({"unsupported": True, "why": why}))
            return
        ri, ro = emlp_rep(rep_in, g), emlp_rep(rep_out, g)
        start = time.perf_counter()
        basis = (ri >> ro).equivariant_basis()
        seconds = time.perf_counter() - start
        dim, extra = int(basis.shape[-1]), "emlp"
        exact = False
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "dim": dim, "peak_mb": peak_mb, "method": extra, "exact": exact}
        )
    )


if __name__ == "__main__":
    main()
