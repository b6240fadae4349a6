"""Run one solve case cold in this process; print a JSON line with seconds, dim and peak memory.

Usage: python _run_case.py {intertwine|intertwine-numeric|emlp} GROUP IN OUT
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
    else:
        sys.path.insert(0, sys.argv[5])
        from _cases import emlp_group, emlp_rep

        g = emlp_group(group)
        if g is None:
            print(json.dumps({"unsupported": True}))
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
