"""Quality check of `veza graph` against igraph on the development networks (../shared/data/networks).

usage: graph_dev_networks.py VEZA_BINARY NETWORKS_DIR
For each network: Veza's Leiden modularity (seed 1) beside igraph's best over 20 seeds (Louvain and Leiden), and the
largest relative difference of each centrality measure from igraph's. Prints a table; exit 1 if a goal is missed
(modularity more than 0.005 below igraph's best, or a measure more than 1e-6 relative away).
"""
import csv
import os
import random
import subprocess
import sys
import tempfile

import igraph as ig


def load(edges_f):
    rows = list(csv.DictReader(open(edges_f)))
    names = {}
    el = []
    for r in rows:
        a, b = r["source"].strip(), r["target"].strip()
        if a == b:
            continue
        el.append((names.setdefault(a, len(names)), names.setdefault(b, len(names))))
    weighted = bool(rows) and "weight" in rows[0]
    g = ig.Graph(n=len(names), edges=el)
    g.es["weight"] = [float(r["weight"]) if weighted and r["weight"] else 1.0 for r in rows if r["source"].strip() != r["target"].strip()]
    return g.simplify(combine_edges="sum"), names


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-12) if abs(a - b) > 1e-12 else 0.0


def main():
    veza, root = sys.argv[1], sys.argv[2]
    ok = True
    print(f"{'network':20} {'n':>4} {'m':>4} {'veza Q':>8} {'igraph best Q':>13} {'diff':>7}  worst relative difference per measure")
    for name in sorted(os.listdir(root)):
        edges_f = os.path.join(root, name, "edges.csv")
        if not os.path.exists(edges_f) or open(edges_f).readline().startswith("phase"):
            continue
        g, names = load(edges_f)
        with tempfile.TemporaryDirectory() as tmp:
            c_f, m_f = os.path.join(tmp, "c.csv"), os.path.join(tmp, "m.csv")
            subprocess.run([veza, "graph", "communities", "--edges", edges_f, "--output", c_f, "--seed", "1"], check=True,
                           capture_output=True)
            subprocess.run([veza, "graph", "centrality", "--edges", edges_f, "--output", m_f, "--measures",
                            "degree,weighted_degree,betweenness,closeness,harmonic,pagerank,eigenvector,kcore"],
                           check=True, capture_output=True)
            memb = {r["node"]: int(r["community"]) for r in csv.DictReader(open(c_f))}
            measures = {r["node"]: r for r in csv.DictReader(open(m_f))}
        order = sorted(names, key=names.get)
        q = g.modularity([memb[n] for n in order], weights="weight")
        best = -1.0
        for seed in range(20):
            ig.set_random_number_generator(random.Random(seed))
            best = max(best, g.community_multilevel(weights="weight").modularity)
            best = max(best, g.modularity(g.community_leiden("modularity", weights="weight", n_iterations=-1).membership, weights="weight"))
        expected = {
            "degree": g.degree(),
            "weighted_degree": g.strength(weights="weight"),
            "betweenness": g.betweenness(),
            "closeness": [0.0 if x != x else x for x in g.closeness()],
            "harmonic": g.harmonic_centrality(),
            "pagerank": g.pagerank(weights="weight"),
            "eigenvector": g.eigenvector_centrality(weights="weight"),
            "kcore": g.coreness(),
        }
        worst = {k: max(rel(float(measures[n][k]), v[names[n]]) for n in order) for k, v in expected.items()}
        diff = q - best
        ok &= diff >= -0.005 and all(v <= 1e-6 for v in worst.values())
        detail = " ".join(f"{k}={v:.1e}" for k, v in worst.items())
        print(f"{name:20} {g.vcount():4} {g.ecount():4} {q:8.4f} {best:13.4f} {diff:+7.4f}  {detail}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
