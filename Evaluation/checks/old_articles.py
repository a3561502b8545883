"""What signal is there for the old articles of DeskDrop's rolling protocol?

Rebuilds the cases of `trendmix evaluate --protocol temporal-rolling` from the raw CSV (weekly origins from
the 0.8 cut to the data's end; training: the events before an origin; relevant: a known reader's live articles
new to them in the next 7 days) and counts the relevant (reader, article) pairs by the article's age at the
origin (days since its first event). For the pairs over 30 days old it counts the signals a scorer could
see before the origin (any reader in the last 3 or 7 days) and one it could not (three or more readers of the
article in the test week: a wave of rereading).

    python Evaluation/checks/old_articles.py ../shared/data/deskdrop/users_interactions.csv
"""

import sys

from deskdrop_rolling import DAY, WEEK, load, weeks


def main(path, fraction=0.8):
    df, first = load(path)
    counts = {"under 7 days": 0, "7 to 30 days": 0, "over 30 days": 0}
    old = {"any reader in the last 3 days": 0, "any reader in the last 7 days": 0,
           "3 or more readers in the test week": 0}
    for origin, train, test, _, pairs in weeks(df, fraction):
        last3 = set(train[train.timestamp >= origin - 3 * DAY].contentId)
        last7 = set(train[train.timestamp >= origin - WEEK].contentId)
        week_readers = test.groupby("contentId").personId.nunique()
        for _, a in pairs:
            age = (origin - first[a]) / DAY
            if age <= 7:
                counts["under 7 days"] += 1
            elif age <= 30:
                counts["7 to 30 days"] += 1
            else:
                counts["over 30 days"] += 1
                old["any reader in the last 3 days"] += a in last3
                old["any reader in the last 7 days"] += a in last7
                old["3 or more readers in the test week"] += week_readers.get(a, 0) >= 3
    print("relevant pairs by age at the origin:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"of the {counts['over 30 days']} over 30 days:",
          ", ".join(f"{k} {v}" for k, v in old.items()))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
