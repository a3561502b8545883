"""Hits by the age of the relevant article when the case was asked.

Reads the ranked lists `trendmix evaluate --metric-check FILE` writes (for the first protocol of the run): every
case's list, graded relevance and `now` (the model's time, ms). An article's age is `now` minus its publish time,
or where the store has none its first event (ms), in days. Prints, per system and age group, the relevant
(case, article) pairs and how many of them the system put in its top 10; where every case has exactly one
relevant article (leave-last-out, session), also HitRate@10 and nDCG@10 over the cases of each group.

    trendmix evaluate --db deskdrop.sqlite --protocol temporal-rolling --metric-check rolling.json --out /tmp/r
    python3 Evaluation/checks/by_age.py rolling.json deskdrop.sqlite

Standard library only. Catalogue indices are the store's article rows in id order (the snapshot's order).
"""

import json
import math
import sqlite3
import sys

GROUPS = [(0, 1), (1, 7), (7, 30), (30, 90), (90, math.inf)]
K = 10


def label(group):
    lo, hi = group
    return f"{lo:g}+ d" if hi == math.inf else f"{lo:g}-{hi:g} d"


def main(check_path, db_path):
    with open(check_path) as f:
        check = json.load(f)
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT a.id, a.published_at, (SELECT MIN(occurred_at) FROM event e WHERE e.article_id = a.id)"
            " FROM article a ORDER BY a.id"
        ).fetchall()
    born = [published if published is not None else first for _, published, first in rows]
    single = True
    for system in check["systems"]:
        for case in system["cases"]:
            if "now" not in case:
                sys.exit(f"{check_path}: a case has no 'now'; write the file with this version of trendmix")
            single = single and len(case["relevance"]) == 1

    def group(article, now):
        t = born[article] if article < len(born) else None
        if t is None:
            return None
        days = (now - t) / 86_400_000
        return next((g for g in GROUPS if g[0] <= days < g[1]), GROUPS[0])

    header = f"{'system':22s}" + "".join(f"{label(g):>24s}" for g in GROUPS)
    print("relevant pairs in the top 10 / all relevant pairs, by the article's age when the case was asked")
    print(header)
    per_case = {}
    for system in check["systems"]:
        hits = {g: 0 for g in GROUPS}
        pairs = {g: 0 for g in GROUPS}
        cases = {g: [] for g in GROUPS}
        for case in system["cases"]:
            top = [int(a) for a in case["ranked"][:K]]
            for key in case["relevance"]:
                g = group(int(key), case["now"])
                if g is None:
                    continue
                pairs[g] += 1
                rank = top.index(int(key)) if int(key) in top else None
                hits[g] += rank is not None
                cases[g].append(1 / math.log2(rank + 2) if rank is not None else None)
        per_case[system["name"]] = cases
        print(f"{system['name']:22s}" + "".join(f"{f'{hits[g]:5d} / {pairs[g]:5d}':>24s}" for g in GROUPS))
    if single:
        print()
        print("one relevant article per case: cases, HitRate@10 / nDCG@10 by its age")
        print(header)
        for name, cases in per_case.items():
            cells = []
            for g in GROUPS:
                c = cases[g]
                hit = sum(d is not None for d in c) / len(c) if c else 0
                ndcg = sum(d for d in c if d is not None) / len(c) if c else 0
                cells.append(f"{len(c):5d}: {hit:.3f} / {ndcg:.3f}")
            print(f"{name:22s}" + "".join(f"{cell:>24s}" for cell in cells))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
