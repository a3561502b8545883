"""Would "read next" (directed transitions) find the next article better than "read in the same visit"?

Rebuilds the cases of `trendmix evaluate --protocol session --cut-fraction F` from DeskDrop's raw CSV for the
cuts 0.5 to 0.9: after the cut, every step of a session from article a to a different article b (both seen in
training) is a case, seed a, relevant b. From the training sessions it counts, for each seed, four neighbour
tables and ranks the seed's neighbours by count (ties: more training events first), HitRate@10:

- same visit: sessions holding both a and b (the engine's session index counts these, before its similarity);
- directed: times b was opened right after a in a session;
- after: sessions where b was first opened after a;
- reader: readers (with at most 60 articles) who read both; and the mean of each neighbour table over its
  best with the reader table, as the engine blends its two indexes.

    python Evaluation/experiments/session_direction.py ../shared/data/deskdrop/users_interactions.csv
"""

import os
import sys
from collections import Counter, defaultdict

import numpy as np
import pandas as pd


def tables(train):
    same, directed, after, reader = (defaultdict(Counter) for _ in range(4))
    for _, events in train.groupby("sessionId"):
        seq = list(events.contentId)
        moves = [seq[0]] + [b for a, b in zip(seq, seq[1:]) if a != b]
        for a, b in zip(moves, moves[1:]):
            directed[a][b] += 1
        items = list(dict.fromkeys(moves))
        for i, a in enumerate(items):
            for b in items:
                if a != b:
                    same[a][b] += 1
            for b in items[i + 1:]:
                after[a][b] += 1
    for _, events in train.groupby("personId"):
        items = set(events.contentId)
        if len(items) > 60:
            continue
        for a in items:
            for b in items:
                if a != b:
                    reader[a][b] += 1
    return same, directed, after, reader


def hit_rate(cases, score, popularity):
    hits = 0
    for a, b in cases:
        ranked = sorted(score(a).items(), key=lambda x: (-x[1], -popularity[x[0]]))[:10]
        hits += b in {x for x, _ in ranked}
    return hits / len(cases)


def blended(t1, t2):
    def score(a):
        out = Counter()
        for table in (t1, t2):
            best = max(table[a].values(), default=0)
            for x, v in table[a].items():
                out[x] += 0.5 * v / best
        return out
    return score


def main(path):
    if not os.path.isfile(path):
        sys.exit(f"no DeskDrop CSV at {path}")
    df = pd.read_csv(path, usecols=["timestamp", "contentId", "personId", "sessionId"])
    df = df.sort_values("timestamp", kind="stable").reset_index(drop=True)
    times = np.sort(df.timestamp.values)
    print("cut   cases  same visit  directed  after  reader  reader+same visit  reader+directed")
    for fraction in (0.5, 0.6, 0.7, 0.8, 0.9):
        cut = times[int(len(times) * fraction)]
        train, test = df[df.timestamp < cut], df[df.timestamp >= cut]
        live = set(train.contentId)
        same, directed, after, reader = tables(train)
        popularity = Counter(train.contentId)
        cases = []
        for _, events in test.groupby("sessionId"):
            previous = None
            for a in events.contentId:
                if previous is not None and previous != a and previous in live and a in live:
                    cases.append((previous, a))
                previous = a
        row = [hit_rate(cases, lambda a, t=t: t[a], popularity) for t in (same, directed, after, reader)]
        row += [hit_rate(cases, blended(reader, same), popularity), hit_rate(cases, blended(reader, directed), popularity)]
        print(f"{fraction:<5} {len(cases):>6}  " + "  ".join(f"{x:.3f}" for x in row))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
