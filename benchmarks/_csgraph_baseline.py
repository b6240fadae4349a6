"""The baseline for the orbit stage: scipy's connected components over the same index pairs,
written plainly (permutation generators only; no signs, no forced zeros, no canonical order).

    python _csgraph_baseline.py GROUP IN OUT   -> one JSON line: seconds, dim (orbits), peak_mb
"""

import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


def csgraph_orbits(perms_in: list[np.ndarray], perms_out: list[np.ndarray]) -> int:
    """Orbits of the entries (i, j) of W under (i, j) -> (p_out[i], p_in[j]), one generator
    pair at a time: an edge from each entry to its image, then connected components."""
    d_out, d_in = perms_out[0].size, perms_in[0].size
    n = d_out * d_in
    entry = np.arange(n).reshape(d_out, d_in)
    src = np.concatenate([entry.ravel()] * len(perms_in))
    dst = np.concatenate([entry[np.ix_(po, pi)].ravel() for pi, po in zip(perms_in, perms_out)])
    graph = sp.coo_array((np.ones(src.size), (src, dst)), shape=(n, n)).tocsr()
    count, _ = connected_components(graph, directed=False)
    return int(count)


def main() -> None:
    import intertwine as it

    action = it.parse_action(sys.argv[1])
    r_in, r_out = it.parse_rep(action, sys.argv[2]), it.parse_rep(action, sys.argv[3])

    def perms(rep):  # column j of a permutation matrix has its 1 in row p[j]
        return [np.argmax(g.to_numpy(), axis=0) for g in rep.generators]

    p_in, p_out = perms(r_in), perms(r_out)
    start = time.perf_counter()
    dim = csgraph_orbits(p_in, p_out)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "dim": dim, "peak_mb": peak_mb, "method": "csgraph"}))


if __name__ == "__main__":
    main()
