#!/usr/bin/env python3
"""Flattens the Person records of a `veza synth` folder into one CSV that
`veza resolve` and Splink both read (columns recognised by name).

usage: synth_persons_csv.py SYNTH_DIR OUT.csv
Columns: id, first_name, last_name, birth_date, gender, nationality,
document_number (passportNumber), id_number (idNumber), phone, address. A
property with several values keeps its first. Synthetic data only."""
import csv, glob, json, os, sys

src, out = sys.argv[1], sys.argv[2]
cols = [("first_name", "firstName"), ("last_name", "lastName"), ("birth_date", "birthDate"), ("gender", "gender"),
        ("nationality", "nationality"), ("document_number", "passportNumber"), ("id_number", "idNumber"),
        ("phone", "phone"), ("address", "address")]
n = 0
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id"] + [c for c, _ in cols])
    for path in sorted(glob.glob(os.path.join(src, "sources", "*.ftm.jsonl"))):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if '"schema":"Person"' not in line:
                    continue
                e = json.loads(line)
                p = e["properties"]
                w.writerow([e["id"]] + [(p.get(k) or [""])[0] for _, k in cols])
                n += 1
print(f"{n} person records -> {out}", file=sys.stderr)
