#!/usr/bin/env python3
"""Puts two outputs of the names dev set's score.py side by side: per category
recall (or false-alert rate for negatives) of Veza and of the peer, and the
summary lines. usage: screen_side_by_side.py VEZA_SCORE.txt PEER_SCORE.txt"""
import re, sys


def read(path):
    rows, summary = {}, ""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        m = re.match(r"(\S+)\s+n=\s*(\d+)\s+(recall|false_alert_rate)=([0-9.]+)", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3), float(m.group(4)))
        elif line.startswith("recall="):
            summary = line
    return rows, summary


veza, veza_sum = read(sys.argv[1])
peer, peer_sum = read(sys.argv[2])
print(f"{'category':40s} {'n':>5s} {'measure':>8s} {'veza':>7s} {'logic-v2':>9s}")
for k in sorted(veza):
    n, what, v = veza[k]
    p = peer.get(k, (n, what, float("nan")))[2]
    print(f"{k:40s} {n:5d} {'recall' if what == 'recall' else 'FAR':>8s} {v:7.4f} {p:9.4f}")
print("veza:     " + veza_sum)
print("logic-v2: " + (peer_sum or "(not run)"))
