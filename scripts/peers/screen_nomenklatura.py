#!/usr/bin/env python3
"""Peer for `veza screen`: OpenSanctions nomenklatura's logic-v2 (yente's default
scorer) on the same files.

usage: screen_nomenklatura.py WATCHLIST.csv QUERIES.csv HITS.csv [--threshold 0.7]
       [--limit 5] [--algorithm logic-v2] [--candidates 50] [--max-queries N]

Files use the screening CSV header id,name,aliases,birth_date,gender,nationality,
document_number. Candidates come from a token + metaphone index (top N by shared
keys, as yente's search would give), then each candidate is scored with
`Algorithm.compare(query, candidate, Algorithm.default_config())`. Prints queries,
hits and queries/s of the scoring loop (one core: Python)."""
import argparse, collections, csv, sys, time

from followthemoney import model
from nomenklatura.matching import get_algorithm
from rigour.text.phonetics import metaphone
from normality import normalize


def person(row):
    e = model.make_entity("Person")
    e.id = row["id"]
    names = [n for n in [row["name"]] if n] + [a for a in row["aliases"].split("|") if a]
    for n in names:
        e.add("name", n)
    if row["birth_date"]:
        e.add("birthDate", row["birth_date"])
    if row["gender"]:
        e.add("gender", {"M": "male", "F": "female"}.get(row["gender"], row["gender"]))
    if row["nationality"]:
        e.add("nationality", row["nationality"].lower())
    if row["document_number"]:
        e.add("passportNumber", row["document_number"])
    return e, names, row["document_number"]


def keys(names, doc):
    out = set()
    for n in names:
        for t in (normalize(n, ascii=True) or "").split():
            if len(t) < 2:
                continue
            out.add("t:" + t)
            m = metaphone(t)
            if m:
                out.add("m:" + m)
    if doc:
        out.add("d:" + "".join(c for c in doc.upper() if c.isalnum()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("watchlist"); ap.add_argument("queries"); ap.add_argument("output")
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--limit", type=int, default=5)
    ap.add_argument("--algorithm", default="logic-v2")
    ap.add_argument("--candidates", type=int, default=50)
    ap.add_argument("--max-queries", type=int, default=0)
    a = ap.parse_args()
    algo = get_algorithm(a.algorithm)
    if algo is None:
        sys.exit(f"unknown algorithm {a.algorithm}")
    config = algo.default_config()
    entries, index = [], collections.defaultdict(list)
    t0 = time.time()
    for row in csv.DictReader(open(a.watchlist, encoding="utf-8")):
        e, names, doc = person(row)
        for k in keys(names, doc):
            index[k].append(len(entries))
        entries.append(e)
    built = time.time() - t0
    queries = list(csv.DictReader(open(a.queries, encoding="utf-8")))
    if a.max_queries:
        queries = queries[: a.max_queries]
    hits = 0
    t0 = time.time()
    with open(a.output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["query_id", "match_id", "score", "explanation"])
        for row in queries:
            q, names, doc = person(row)
            counts = collections.Counter()
            for k in keys(names, doc):
                posting = index.get(k, [])
                if len(posting) > 5000:
                    continue
                counts.update(posting)
            results = []
            for i, _ in counts.most_common(a.candidates):
                r = algo.compare(q, entries[i], config)
                if r.score >= a.threshold:
                    results.append((r.score, entries[i].id))
            results.sort(reverse=True)
            for s, mid in results[: a.limit]:
                w.writerow([row["id"], mid, f"{s:.4f}", a.algorithm]); hits += 1
    took = time.time() - t0
    print(f"watchlist: {len(entries)} entries indexed in {built:.1f} s")
    print(f"queries: {len(queries)}")
    print(f"hits: {hits}")
    print(f"queries/s: {len(queries)/took:.1f}")


if __name__ == "__main__":
    main()
