"""Leave-last-out hits by the age of the held-out article.

Reads the ranked lists `trendmix evaluate --protocol leave-last-out --metric-check FILE` writes, maps each
case's held-out article (a catalogue index: the store's article rows in id order) to its id in the database, and
groups the cases by the article's age at the data's last event (days since its first event in the CSV). Prints,
per group and system, the cases, HitRate@10 and nDCG@10 (binary: one relevant article per case).

    trendmix evaluate --db deskdrop.sqlite --protocol leave-last-out --metric-check llo.json --out /tmp/llo
    python Evaluation/checks/leave_last_out_by_age.py llo.json deskdrop.sqlite \
        ../shared/data/deskdrop/users_interactions.csv
"""

import json
import math
import sqlite3
import sys

import pandas as pd

BUCKETS = [(0, 7), (7, 30), (30, 90), (90, math.inf)]


def main(check_path, db_path, csv_path):
    with open(check_path) as f:
        check = json.load(f)
    with sqlite3.connect(db_path) as db:
        ids = [row[0] for row in db.execute("SELECT external_id FROM article ORDER BY id")]
    df = pd.read_csv(csv_path, usecols=["timestamp", "contentId"])
    first = df.groupby("contentId").timestamp.min()
    end = df.timestamp.max()
    age = {str(a): (end - t) / 86400 for a, t in first.items()}
    print(f"{'system':24s} " + " ".join(f"{f'{lo:g}-{hi:g} d':>22s}" for lo, hi in BUCKETS))
    for system in check["systems"]:
        groups = {b: [] for b in BUCKETS}
        for case in system["cases"]:
            (relevant,) = case["relevance"].keys()
            days = age[ids[int(relevant)]]
            bucket = next(b for b in BUCKETS if b[0] <= days < b[1])
            ranked = [str(a) for a in case["ranked"][:10]]
            rank = ranked.index(relevant) if relevant in ranked else None
            groups[bucket].append((rank is not None, 1 / math.log2(rank + 2) if rank is not None else 0.0))
        cells = []
        for b in BUCKETS:
            g = groups[b]
            n = len(g)
            hit = sum(h for h, _ in g) / n if n else 0
            ndcg = sum(d for _, d in g) / n if n else 0
            cells.append(f"{n:5d}: {hit:.3f} / {ndcg:.3f}")
        print(f"{system['name']:24s} " + " ".join(f"{c:>22s}" for c in cells))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
