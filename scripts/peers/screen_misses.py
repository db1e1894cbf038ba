"""List the misses of a screening run on the labelled names set, by category.

usage: screen_misses.py NAMES_DIR HITS.csv [--threshold 0.7] [--category C] [--negatives]

HITS.csv is the screening CLI's output, best run with a low threshold (0.3) so
that the score the expected entry got (if it was a candidate) shows. For each
missed positive: the query, the expected entry, the score it got (or "not a
candidate") and the best other hit; with --negatives, the false alerts."""
import csv, sys, collections

names, hits_f = sys.argv[1], sys.argv[2]
T = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else 0.7
only = sys.argv[sys.argv.index("--category") + 1] if "--category" in sys.argv else None
rows = lambda f: csv.DictReader(open(f"{names}/{f}", encoding="utf-8"))
wl = {r["id"]: r for r in rows("watchlist.csv")}
qs = {r["id"]: r for r in rows("queries.csv")}
hits = collections.defaultdict(list)
for r in csv.DictReader(open(hits_f, encoding="utf-8")):
    hits[r["query_id"]].append((float(r["score"]), r["match_id"], r.get("explanation", "")))
show = lambda r: f"{r['name']} [{r['aliases']}] {r['birth_date']} {r['gender']} {r['nationality']} {r['document_number']}"
for t in rows("truth.csv"):
    if only and t["category"] != only:
        continue
    q, h = qs[t["query_id"]], sorted(hits.get(t["query_id"], []), reverse=True)
    if t["expected_id"]:
        got = [x for x in h if x[1] == t["expected_id"]]
        if got and got[0][0] >= T:
            continue
        print(f"{t['category']}\t{t['query_id']}\tQ: {show(q)}\n\tE: {show(wl[t['expected_id']])}")
        print(f"\t{'got %.3f %s' % (got[0][0], got[0][2]) if got else 'not a candidate / below'}")
        if h and h[0][1] != t["expected_id"]:
            print(f"\tbest other {h[0][0]:.3f} {show(wl[h[0][1]])}")
    elif "--negatives" in sys.argv and h and h[0][0] >= T:
        print(f"{t['category']}\t{t['query_id']}\tQ: {show(q)}\n\tH: {h[0][0]:.3f} {show(wl[h[0][1]])}\n\t{h[0][2]}")
