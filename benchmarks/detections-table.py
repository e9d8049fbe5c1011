#!/usr/bin/env python3
"""Prints the per-capture outcome tables of agent/DETECTIONS.md from the files the detection tests write.

    mvn -o -q -B -pl agent -am test -Dtest='io/netsensor/agent/detect/**' -Dsurefire.failIfNoSpecifiedTests=false
    python3 benchmarks/detections-table.py agent/target/corpus-detections.tsv agent/target/real-c2-detections.tsv

Each alert id is restated as its count grows; a cell lists every alert once, as its last word (its highest
severity and final count), e.g. `beacon/Medium ... 299 in 11 min`.
"""
import sys


def last_words(cell):
    if cell.strip() in ("", "none"):
        return "none"
    latest = {}
    for alert in cell.split(" | "):
        head, _, summary = alert.partition(" ")
        kind = head.split("/")[0]
        endpoints, _, text = summary.partition(" ")
        key = (kind, endpoints)  # one alert id per detector and endpoints: its restatements follow each other
        latest[key] = (head, endpoints, text)
    out = []
    for head, endpoints, text in latest.values():
        short = text if len(text) <= 110 else text[:107] + "..."
        out.append(f"{head} {endpoints} \"{short}\"")
    return "<br>".join(out).replace("|", "\\|")


for path in sys.argv[1:]:
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")][1:]
    print(f"\n`{path.split('/')[-1]}` ({len(rows)} captures)\n")
    print("| capture | default profile | short-window profile |")
    print("|---|---|---|")
    for r in rows:
        r += [""] * (3 - len(r))
        print(f"| `{r[0]}` | {last_words(r[1])} | {last_words(r[2])} |")
