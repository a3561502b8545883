"""V-SKNN and STAN written in numpy as matrices, the reference Trendmix's session kNN baselines are checked
against (Tests/TrendmixEvaluationTests/SessionKNNTests.swift, to 1e-6). Definitions as in Ludewig, Mauro,
Latifi and Jannach (UMUAI 2021) and session-rec; see Sources/TrendmixEvaluation/Systems/SessionKNN.swift.

    python session_knn_reference.py FIXTURE.json OUT.json

FIXTURE.json: {"sessions": [[article, ...], ...] (each in order), "times": [last event ms per session],
"cases": [{"visit": [article, ...], "time": ms}], "k", "sample_vsknn", "sample_stan", "lambda_position",
"lambda_days", "lambda_distance"}. Writes {"vsknn": [{article: score}], "stan": [...]}, one map per case.
"""
import json
import sys

import numpy as np

DAY_MS = 86_400_000


def main():
    fixture = json.load(open(sys.argv[1]))
    sessions = fixture["sessions"]
    times = np.array(fixture["times"], dtype=np.float64)
    articles = sorted({a for s in sessions for a in s} | {a for c in fixture["cases"] for a in c["visit"]})
    column = {a: j for j, a in enumerate(articles)}
    n_sessions, n_articles = len(sessions), len(articles)
    # X: session × article, 1 where held; Q: the article's last 1-based position in the session (0: absent).
    x = np.zeros((n_sessions, n_articles))
    q = np.zeros((n_sessions, n_articles))
    for s, items in enumerate(sessions):
        for position, a in enumerate(items, start=1):
            x[s, column[a]] = 1.0
            q[s, column[a]] = position
    order = np.arange(n_sessions)
    out = {"vsknn": [], "stan": []}
    for case in fixture["cases"]:
        visit = case["visit"]
        length = len(visit)
        for variant in ("vsknn", "stan"):
            w = np.zeros(n_articles)
            for position, a in enumerate(visit, start=1):
                if variant == "vsknn":
                    w[column[a]] = position / length
                else:
                    w[column[a]] = np.exp((position - length) / fixture["lambda_position"])
            in_visit = w > 0
            candidates = np.nonzero(x[:, in_visit].sum(axis=1) > 0)[0]
            sample = fixture["sample_vsknn"] if variant == "vsknn" else fixture["sample_stan"]
            if len(candidates) > sample:
                # Most recent first, ties by the lower session index.
                candidates = candidates[np.lexsort((order[candidates], -times[candidates]))][:sample]
            shared = x[candidates] @ w
            if variant == "vsknn":
                similarity = shared / in_visit.sum()
            else:
                cosine = shared / (np.linalg.norm(w) * np.sqrt(x[candidates].sum(axis=1)))
                similarity = cosine * np.exp(-(case["time"] - times[candidates]) / DAY_MS / fixture["lambda_days"])
            best = np.lexsort((order[candidates], -similarity))[: fixture["k"]]
            scores = np.zeros(n_articles)
            for b in best:
                s, sim = candidates[b], similarity[b]
                if sim <= 0:
                    continue
                if variant == "vsknn":
                    # Distance from the visit's end of the latest visit article the neighbour holds (1: the last).
                    held = [x[s, column[a]] > 0 for a in reversed(visit)]
                    d = held.index(True) + 1
                    scores += x[s] * sim / d
                else:
                    star = q[s, in_visit].max()
                    scores += x[s] * sim * np.exp(-np.abs(q[s] - star) / fixture["lambda_distance"])
            out[variant].append({str(articles[j]): scores[j] for j in np.nonzero(scores)[0]})
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
