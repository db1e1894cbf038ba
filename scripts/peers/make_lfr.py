"""Generate LFR benchmark graphs (networkx) with planted communities, once, outside the repository.

usage: make_lfr.py OUT_DIR
writes OUT_DIR/lfr100k.csv (source,target; ~1M edges), OUT_DIR/lfr100k.truth (one community id per line, by node id),
and OUT_DIR/lfr5k.csv / lfr5k.truth (~50k edges). Existing files are kept.
"""
import os
import sys
import time

import networkx as nx


def make(out_dir, name, n, seed, **kw):
    edges_path = os.path.join(out_dir, f"{name}.csv")
    truth_path = os.path.join(out_dir, f"{name}.truth")
    if os.path.exists(edges_path) and os.path.exists(truth_path):
        print(f"{name}: present")
        return
    t0 = time.perf_counter()
    g = nx.LFR_benchmark_graph(n, seed=seed, **kw)
    g.remove_edges_from(nx.selfloop_edges(g))
    community = [0] * n
    seen = {}
    for v in g:
        key = min(g.nodes[v]["community"])
        community[v] = seen.setdefault(key, len(seen))
    with open(edges_path + ".tmp", "w") as f:
        f.write("source,target\n")
        for u, v in g.edges():
            f.write(f"{u},{v}\n")
    with open(truth_path, "w") as f:
        f.write("\n".join(str(c) for c in community) + "\n")
    os.replace(edges_path + ".tmp", edges_path)
    print(f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {len(seen)} communities, "
          f"{time.perf_counter() - t0:.1f} s")


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    common = dict(tau1=2.5, tau2=1.5, mu=0.2, average_degree=17, max_degree=200, min_community=50,
                  max_community=2000, max_iters=5000)
    make(out_dir, "lfr5k", 5000, 7, **common)
    make(out_dir, "lfr100k", 100000, 7, **common)


if __name__ == "__main__":
    main()
