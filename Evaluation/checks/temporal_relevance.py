"""Where the relevant articles of DeskDrop's temporal protocol (cut 0.8) sit.

Rebuilds the split of `trendmix evaluate --protocol temporal` from the raw CSV (training: events before the
cut; relevant: a known reader's live articles new to them after it) and prints, per age of the article at the
cut (days since its first event), how many (reader, article) pairs are relevant and how many of them decayed
popularity (7-day half-life, DeskDrop's event weights) puts in the reader's top 10, with the median rank.

    python Evaluation/checks/temporal_relevance.py ../shared/data/deskdrop/users_interactions.csv
"""

import sys

import numpy as np
import pandas as pd

WEIGHTS = {"VIEW": 1, "LIKE": 2, "BOOKMARK": 2.5, "FOLLOW": 3, "COMMENT CREATED": 4}


def main(path, fraction=0.8):
    df = pd.read_csv(path, usecols=["timestamp", "eventType", "contentId", "personId"])
    df["w"] = df.eventType.map(WEIGHTS)
    times = np.sort(df.timestamp.values)
    cut = times[min(len(times) - 1, max(1, int(len(times) * fraction)))]
    train, test = df[df.timestamp < cut], df[df.timestamp >= cut]
    seen = train.groupby("personId").contentId.agg(set).to_dict()
    live = set(train.contentId)
    pairs = {(u, a) for u, a in zip(test.personId, test.contentId) if u in seen and a in live and a not in seen[u]}
    decayed = (train.w * np.power(0.5, (cut - train.timestamp) / (7 * 86400))).groupby(train.contentId).sum()
    order = list(decayed.sort_values(ascending=False, kind="stable").index)
    first = train.groupby("contentId").timestamp.min()
    rows = []
    for u, a in pairs:
        ranked = [x for x in order if x not in seen[u]]
        rows.append(((cut - first[a]) / 86400, ranked.index(a) + 1))
    r = pd.DataFrame(rows, columns=["age", "rank"])
    r["bucket"] = pd.cut(r.age, [0, 3, 7, 14, 30, 60, 120, 400])
    print(f"cut {pd.Timestamp(cut, unit='s')}: {len(r)} relevant pairs, {len(live)} live articles")
    table = r.groupby("bucket", observed=False).agg(
        pairs=("rank", "size"), in_top10=("rank", lambda x: int((x <= 10).sum())), median_rank=("rank", "median"))
    print(table.to_string())
    print(f"older than 30 days: {(r.age > 30).mean():.2f} of the pairs; median rank overall {r['rank'].median():.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
