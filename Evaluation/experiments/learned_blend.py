"""A prototype: does a blend learned on past weeks beat one formula?

Rebuilds DeskDrop's rolling protocol from the raw CSV (weekly origins; training: the events before an origin;
cases: known readers with articles new to them in the next 7 days, among articles seen in training) and ranks
every case's unseen articles three ways:
- gravity: readers reached / (hours since first event + 2)^1.2, Trendmix's hot list alone;
- LR: a logistic regression over ten features, trained on the nine weeks from the 0.6 cut (positives and 100
  sampled negatives per case): log readers, log age, log readers of the last 24 h, 72 h and 7 days, log decayed
  engagement (7-day half-life), log lifetime rate, and the reader's item-cosine personal score (log, over its
  best, and that times the lifetime rate over the hottest);
- GBT: gradient-boosted trees on the same.
Prints HitRate@10 and nDCG@10 on the training weeks and on the weeks from the 0.8 cut to the end (1,917 cases,
the rolling protocol's). This is Python, not the engine: compare rows with each other, not with the reports.

    .build-peers/venv/bin/python Evaluation/experiments/learned_blend.py ../shared/data/deskdrop/users_interactions.csv

Needs numpy, pandas, scipy and scikit-learn (all in Evaluation/peers/requirements.txt's environment).
"""

import os
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

WEIGHTS = {"VIEW": 1, "LIKE": 2, "BOOKMARK": 2.5, "FOLLOW": 3, "COMMENT CREATED": 4}
DAY = 86400
HORIZON = 7 * DAY


def origin_cases(df, origin):
    """Per case: the feature matrix of the reader's unseen live articles and their 0/1 relevance."""
    train = df[df.timestamp < origin]
    test = df[(df.timestamp >= origin) & (df.timestamp < origin + HORIZON)]
    seen = train.groupby("personId").contentId.agg(set).to_dict()
    live = set(train.contentId)
    relevant = {}
    for u, a in zip(test.personId, test.contentId):
        if u in seen and a in live and a not in seen[u]:
            relevant.setdefault(u, set()).add(a)
    users = sorted(train.personId.unique())
    items = sorted(train.contentId.unique())
    user_index = {u: i for i, u in enumerate(users)}
    item_index = {a: i for i, a in enumerate(items)}
    n = len(items)
    rows = train.personId.map(user_index).values
    cols = train.contentId.map(item_index).values
    read = (sp.csr_matrix((np.ones(len(train)), (rows, cols)), shape=(len(users), n)) > 0).astype(float)
    event_age = origin - train.timestamp.values
    first = np.full(n, np.inf)
    np.minimum.at(first, cols, train.timestamp.values)
    age_hours = (origin - first) / 3600
    reach = np.asarray(read.sum(0)).ravel()

    def readers_within(hours):
        window = train[event_age < hours * 3600].drop_duplicates(["personId", "contentId"])
        return np.bincount(window.contentId.map(item_index).values, minlength=n).astype(float)

    decayed = np.bincount(cols, weights=train.w.values * np.power(0.5, event_age / (7 * DAY)), minlength=n)
    lifetime = reach / np.power(age_hours + 2, 1.2)
    co = (read.T @ read).toarray()
    counts = np.diag(co).copy()
    np.fill_diagonal(co, 0)
    cosine = co / np.sqrt(np.outer(counts, counts) + 1e-12)
    affinity = sp.csr_matrix(
        (train.w.values * np.power(0.5, event_age / (30 * DAY)), (rows, cols)), shape=(len(users), n))
    common = np.stack(
        [np.log1p(reach), np.log(age_hours + 2), np.log1p(readers_within(24)), np.log1p(readers_within(72)),
         np.log1p(readers_within(168)), np.log1p(decayed), np.log(lifetime + 1e-6)], 1)
    heat = lifetime / lifetime.max()
    out = []
    for u, articles in relevant.items():
        personal = np.asarray(affinity[user_index[u]].toarray()).ravel() @ cosine
        scaled = personal / personal.max() if personal.max() > 0 else personal
        features = np.concatenate([common, np.stack([np.log1p(personal), scaled, scaled * heat], 1)], 1)
        unseen = np.ones(n, bool)
        unseen[[item_index[a] for a in seen[u]]] = False
        labels = np.zeros(n)
        labels[[item_index[a] for a in articles]] = 1
        out.append((features[unseen], labels[unseen]))
    return out


def weeks(df, fraction, limit):
    times = np.sort(df.timestamp.values)
    origin = times[int(len(times) * fraction)]
    cases = []
    for _ in range(limit):
        if origin >= df.timestamp.max():
            break
        cases += origin_cases(df, origin)
        origin += HORIZON
    return cases


def figures(cases, score):
    hit, ndcg = [], []
    for features, labels in cases:
        top = np.argsort(-score(features), kind="stable")[:10]
        gains = labels[top]
        hit.append(gains.max() > 0)
        ideal = sum(1 / np.log2(i + 2) for i in range(min(10, int(labels.sum()))))
        ndcg.append(sum(g / np.log2(i + 2) for i, g in enumerate(gains)) / ideal)
    return np.mean(hit), np.mean(ndcg)


def main(path):
    if not os.path.isfile(path):
        sys.exit(f"no DeskDrop CSV at {path}")
    df = pd.read_csv(path, usecols=["timestamp", "eventType", "contentId", "personId"])
    df["w"] = df.eventType.map(WEIGHTS)
    selection = weeks(df, 0.6, 9)
    later = weeks(df, 0.8, 10_000)
    print(f"cases: {len(selection)} training weeks, {len(later)} later weeks")
    rng = np.random.default_rng(7)
    xs, ys = [], []
    for features, labels in selection:
        positives = np.where(labels > 0)[0]
        negatives = np.where(labels == 0)[0]
        negatives = rng.choice(negatives, min(100, len(negatives)), replace=False)
        keep = np.concatenate([positives, negatives])
        xs.append(features[keep])
        ys.append(labels[keep])
    x, y = np.concatenate(xs), np.concatenate(ys)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    logistic = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    trees = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0).fit(x, y)
    systems = [
        ("gravity", lambda f: f[:, 6]),
        ("LR", lambda f: logistic.decision_function((f - mean) / scale)),
        ("GBT", lambda f: trees.predict_proba(f)[:, 1]),
    ]
    for name, score in systems:
        print("%-8s training weeks %.3f / %.3f   later weeks %.3f / %.3f"
              % ((name,) + figures(selection, score) + figures(later, score)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
