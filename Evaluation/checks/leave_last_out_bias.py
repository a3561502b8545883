"""How much of a young article's readership does DeskDrop's leave-last-out protocol take away?

Rebuilds the cases of `trendmix evaluate --protocol leave-last-out` from the raw CSV: each reader with two or
more articles holds out the article of their last event (ties by file order); training is every other event.
Cases are ranked at the training data's last event, and an article's age is counted from its first training
event, as the report's by-age table counts it. For each age band it prints the held-out cases, the readers the
held-out articles have in all the data, and the share of those readers that the protocol removes from training.
A reader's last article is often the newest one they read, so the newest articles lose most of the readers that
a popularity or hotness signal would count.

    python Evaluation/checks/leave_last_out_bias.py ../shared/data/deskdrop/users_interactions.csv
"""

import os
import sys

import pandas as pd

DAY = 86400
BANDS = [("under 7 days", 0, 7), ("7 to 30 days", 7, 30), ("30 to 90 days", 30, 90), ("over 90 days", 90, None)]


def main(path):
    if not os.path.isfile(path):
        sys.exit(f"no DeskDrop CSV at {path}")
    df = pd.read_csv(path, usecols=["timestamp", "contentId", "personId"])
    df["row"] = range(len(df))
    ordered = df.sort_values(["personId", "timestamp", "row"], kind="stable")
    distinct = ordered.groupby("personId").contentId.nunique()
    last = ordered.groupby("personId").contentId.last()
    held = last[distinct >= 2]
    held_pairs = set(zip(held.index, held.values))
    removed = [(u, a) in held_pairs for u, a in zip(df.personId, df.contentId)]
    train = df[[not r for r in removed]]
    now = train.timestamp.max()
    first = train.groupby("contentId").timestamp.min()
    readers = df.groupby("contentId").personId.nunique()
    live = held[held.isin(first.index)]
    print(f"leave-last-out: {len(live)} cases ({len(held) - len(live)} more readers hold out an article with no"
          " training event: not a case)")
    print("| age at the cases' time | held-out articles | cases | their readers in all the data | share held out |")
    print("|---|---:|---:|---:|---:|")
    ages = (now - first[live.values].values) / DAY
    for name, low, high in BANDS:
        mask = (ages >= low) & ((ages < high) if high is not None else True)
        articles = set(live.values[mask])
        cases = int(mask.sum())
        total = int(readers[list(articles)].sum()) if articles else 0
        share = f"{cases / total:.2f}" if total else "-"
        print(f"| {name} | {len(articles)} | {cases} | {total} | {share} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python leave_last_out_bias.py users_interactions.csv")
    main(sys.argv[1])
