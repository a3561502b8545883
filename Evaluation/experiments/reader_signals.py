"""Screens ideas for the box for a reader before any of them is built into the engine: a small re-implementation
of the temporal-rolling protocol (Evaluation/README.md, "Protocols") over a Trendmix SQLite database, scoring a
few one-line rankers by HitRate@10 and nDCG@10 (binary relevance).

Each origin (the cut at --cut-fraction of the events, then every 7 days to the end) makes a case of every reader
with events before it who engages with an article new to them in the following 7 days; the candidates are the
articles published by the origin that the reader has not engaged with. Its Newest matches `trendmix evaluate`'s
Newest baseline on the Stack Exchange sites to about 0.01 (Italian 0.513 against 0.5127, Quantum Computing 0.207
against 0.2074, nDCG@10), so a ranker that loses to Newest here is not worth building.

    python3 Evaluation/experiments/reader_signals.py <site>.sqlite ...

Standard library only.
"""

import collections
import math
import sqlite3
import sys

DAY = 86_400_000


def cases(path, cut_fraction=0.8):
    """Yields (origin, history by reader, relevant articles by reader, articles' publish times, tags, events)."""
    db = sqlite3.connect(path)
    events = db.execute(
        "SELECT reader_id, article_id, occurred_at FROM event WHERE reader_id IS NOT NULL ORDER BY occurred_at"
    ).fetchall()
    published = dict(db.execute("SELECT id, published_at FROM article"))
    first = {}
    for _, a, t in events:
        first.setdefault(a, t)
    for a in published:
        if published[a] is None:
            published[a] = first.get(a)
    tags = collections.defaultdict(list)
    for a, t in db.execute("SELECT article_id, tag_id FROM article_tag"):
        tags[a].append(t)
    times = [t for _, _, t in events]
    origin = times[int(cut_fraction * len(times))]
    while origin <= times[-1]:
        training = [e for e in events if e[2] < origin]
        history = collections.defaultdict(set)
        for r, a, _ in training:
            history[r].add(a)
        relevant = collections.defaultdict(set)
        for r, a, t in events:
            if origin <= t < origin + 7 * DAY and r in history and a not in history[r]:
                if published.get(a) is not None and published[a] <= origin:
                    relevant[r].add(a)
        yield origin, history, relevant, published, tags, training
        origin += 7 * DAY


def rankers(origin, published, tags, training, live):
    """name → function(reader's history, candidate) → sort key (larger first)."""
    def age_days(a):
        return (origin - published[a]) / DAY

    recent = collections.Counter(a for _, a, t in training if t >= origin - 7 * DAY)
    last_day = collections.Counter(a for _, a, t in training if t >= origin - DAY)
    reach = collections.Counter(a for _, a in {(r, a) for r, a, _ in training})
    last_active = {}
    for _, a, t in training:
        last_active[a] = t
    df = collections.Counter(t for a in live for t in tags[a])
    idf = {t: math.log(len(live) / df[t]) for t in df}

    profiles = {}  # the reader's tag profile, by id of their history set (one set per reader and origin)

    def tag_cosine(history, a):
        if id(history) not in profiles:
            profile = collections.Counter()
            for h in history:
                for t in tags[h]:
                    profile[t] += idf.get(t, 0)
            profiles[id(history)] = (profile, math.sqrt(sum(v * v for v in profile.values())) or 1)
        profile, p = profiles[id(history)]
        n = math.sqrt(sum(idf.get(t, 0) ** 2 for t in tags[a])) or 1
        return sum(profile[t] * idf.get(t, 0) for t in tags[a]) / (p * n)

    def newness(a):
        return 1 / (1 + age_days(a))

    out = {
        "Newest": lambda h, a: newness(a),
        "last activity": lambda h, a: last_active.get(a, published[a]),
        "newest, fewest engagements this week first": lambda h, a: newness(a) / (1 + recent[a]),
        "newest × (1 + engagements in the last day)": lambda h, a: newness(a) * (1 + last_day[a]),
        "HN gravity (readers / (hours + 2)^1.8)": lambda h, a: (1 + reach[a]) / (age_days(a) * 24 + 2) ** 1.8,
    }
    for w in (0.05, 0.1, 0.2):
        out[f"newest + {w} · tag cosine with the reader's history"] = (
            lambda h, a, w=w: (1 - w) * newness(a) + w * tag_cosine(h, a))
    return out


def main(paths):
    for path in paths:
        scores = collections.defaultdict(list)
        for origin, history, relevant, published, tags, training in cases(path):
            live = [a for a in published if published[a] is not None and published[a] <= origin]
            ranked_by = rankers(origin, published, tags, training, live)
            for reader, rel in relevant.items():
                candidates = [a for a in live if a not in history[reader]]
                for name, key in ranked_by.items():
                    top = sorted(candidates, key=lambda a: (key(history[reader], a), -a), reverse=True)[:10]
                    dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(top) if a in rel)
                    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
                    scores[name].append((any(a in rel for a in top), dcg / ideal))
        count = len(scores["Newest"])
        print(f"{path}: {count} cases")
        for name, values in scores.items():
            hit = sum(h for h, _ in values) / max(1, count)
            ndcg = sum(d for _, d in values) / max(1, count)
            print(f"  {name:55s} HitRate@10 {hit:.3f}  nDCG@10 {ndcg:.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
