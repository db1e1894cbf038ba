"""igraph side of scripts/bench-graph: the same tasks as crates/graph/benches/graph.rs, one JSON object per line.

usage: graph_igraph.py EDGES.csv [TRUTH] [TASKS]   (TASKS: comma-separated leiden,louvain,pagerank,betweenness100,betweenness,truth)
"""
import csv
import json
import random
import sys
import time

import igraph as ig


def main():
    edges_f = sys.argv[1]
    truth_f = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    tasks = (sys.argv[3] if len(sys.argv) > 3 else "leiden,louvain,pagerank,betweenness100").split(",")
    t = time.perf_counter()
    with open(edges_f) as f:
        r = csv.reader(f)
        next(r)
        el = [(int(a), int(b)) for a, b, *_ in r]
    n = max(max(a, b) for a, b in el) + 1
    g = ig.Graph(n=n, edges=el).simplify()
    print(json.dumps({"task": "build", "seconds": round(time.perf_counter() - t, 4), "nodes": g.vcount(), "edges": g.ecount()}))
    truth = [int(x) for x in open(truth_f).read().split()] if truth_f else None
    random.seed(1)
    ig.set_random_number_generator(random.Random(1))
    for task in tasks:
        t = time.perf_counter()
        cpu = time.process_time()
        if task in ("leiden", "louvain"):
            if task == "leiden":
                c = g.community_leiden(objective_function="modularity", n_iterations=2)
            else:
                c = g.community_multilevel()
            secs = time.perf_counter() - t
            out = {"task": task, "seconds": round(secs, 4), "modularity": round(g.modularity(c.membership), 4),
                   "communities": len(c), "cpu": round(time.process_time() - cpu, 2)}
            if truth:
                out["nmi"] = round(ig.compare_communities(c.membership, truth, method="nmi"), 4)
            print(json.dumps(out))
        elif task == "truth" and truth:
            print(json.dumps({"task": "truth", "modularity": round(g.modularity(truth), 4), "communities": len(set(truth))}))
        elif task == "pagerank":
            pr = g.pagerank()
            print(json.dumps({"task": task, "seconds": round(time.perf_counter() - t, 4), "sum": round(sum(pr), 6),
                              "cpu": round(time.process_time() - cpu, 2)}))
        elif task == "betweenness100":
            sources = random.Random(1).sample(range(n), 100)
            b = g.betweenness(sources=sources)
            print(json.dumps({"task": task, "seconds": round(time.perf_counter() - t, 4), "cpu": round(time.process_time() - cpu, 2)}))
        elif task == "betweenness":
            b = g.betweenness()
            print(json.dumps({"task": task, "seconds": round(time.perf_counter() - t, 4), "max": round(max(b), 1),
                              "cpu": round(time.process_time() - cpu, 2)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
