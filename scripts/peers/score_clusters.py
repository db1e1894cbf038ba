#!/usr/bin/env python3
"""Pairwise and cluster precision, recall and F1 of a CLUSTERS.csv
(record_id,cluster_id) against the truth: a CSV with a record id and an
entity column (FEBRL: id,entity_id; `veza synth`: truth/records.csv with
record_id,person_id).

usage: score_clusters.py CLUSTERS.csv TRUTH.csv [ID_COLUMN ENTITY_COLUMN] [--line]
Pairwise: over pairs of records put together. Cluster: a predicted cluster
counts when it holds exactly the records of one true entity (precision over
predicted clusters, recall over true entities). Records missing from the
truth are left out. Prints one JSON line."""
import collections, csv, json, sys

line = "--line" in sys.argv
argv = [a for a in sys.argv if a != "--line"]
pred_path, truth_path = argv[1], argv[2]
id_col, ent_col = (argv[3], argv[4]) if len(argv) > 4 else (None, None)
with open(truth_path, newline="") as f:
    r = csv.DictReader(f)
    if id_col is None:
        id_col = "record_id" if "record_id" in r.fieldnames else "id"
        ent_col = "person_id" if "person_id" in r.fieldnames else "entity_id"
    truth = {row[id_col]: row[ent_col] for row in r}
with open(pred_path, newline="") as f:
    pred = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f) if row["record_id"] in truth}
ids = list(pred)
pairs = lambda n: n * (n - 1) // 2
both = collections.Counter((truth[i], pred[i]) for i in ids)
true_sizes = collections.Counter(truth[i] for i in ids)
pred_sizes = collections.Counter(pred[i] for i in ids)
tp = sum(pairs(n) for n in both.values())
pp = sum(pairs(n) for n in pred_sizes.values())
tt = sum(pairs(n) for n in true_sizes.values())
f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0
p, r = tp / max(pp, 1), tp / max(tt, 1)
# A predicted cluster is exact when all its records share one entity and it holds all of that entity's records.
exact = sum(1 for (e, c), n in both.items() if n == true_sizes[e] and n == pred_sizes[c])
cp, cr = exact / max(len(pred_sizes), 1), exact / max(len(true_sizes), 1)
if line:
    print(f"pair P {p:.5f} R {r:.5f} F1 {f1(p, r):.5f} | cluster F1 {f1(cp, cr):.5f} "
          f"({len(pred_sizes)} clusters, {len(true_sizes)} entities)")
    sys.exit(0)
print(json.dumps({"records": len(ids), "entities": len(true_sizes), "clusters": len(pred_sizes),
                  "pair_precision": round(p, 5), "pair_recall": round(r, 5), "pair_f1": round(f1(p, r), 5),
                  "cluster_precision": round(cp, 5), "cluster_recall": round(cr, 5), "cluster_f1": round(f1(cp, cr), 5)}))
