#!/usr/bin/env python3
"""Recomputes Trendmix's accuracy metrics independently and compares them to 1e-9.

Input: the JSON that `trendmix evaluate --metric-check FILE` writes (EvaluationResult.writeMetricCheck): per system,
every case's ranked list and graded relevance, and Trendmix's means over the cases with a non-empty list.

Precision@k, Recall@k, nDCG@k (binary and graded: score_type "binary" and "raw"), MAP@k (map_at_k) and SAR's MAP
(map) come from Microsoft Recommenders' `recommenders.evaluation.python_evaluation` (1.2.1). That module has no hit
rate or reciprocal rank, so HitRate@k and MRR@k are computed here in plain Python from their textbook definitions
(independent of the Swift code either way). Every list is passed with predictions len(list) - position, so the
library ranks exactly the list's order.

Exit status 0 when every figure agrees within 1e-9, 1 otherwise.
"""
import argparse
import json
import sys

import pandas as pd
from recommenders.evaluation import python_evaluation as pe

TOL = 1e-9


def frames(cases):
    truth, pred = [], []
    for i, c in enumerate(cases):
        if not c["ranked"]:
            continue
        n = len(c["ranked"])
        for pos, article in enumerate(c["ranked"]):
            pred.append((i, article, float(n - pos)))
        for article, grade in c["relevance"].items():
            truth.append((i, int(article), float(grade)))
    t = pd.DataFrame(truth, columns=["userID", "itemID", "rating"])
    p = pd.DataFrame(pred, columns=["userID", "itemID", "prediction"])
    return t, p


def plain(cases, k):
    hit, rr, n = 0.0, 0.0, 0
    for c in cases:
        if not c["ranked"]:
            continue
        n += 1
        relevant = {int(a) for a, g in c["relevance"].items() if g > 0}
        for pos, article in enumerate(c["ranked"][:k], start=1):
            if article in relevant:
                hit += 1
                rr += 1 / pos
                break
    return (hit / n, rr / n) if n else (0.0, 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    args = parser.parse_args()
    with open(args.file) as f:
        data = json.load(f)
    worst, compared, failures = 0.0, 0, []
    for system in data["systems"]:
        truth, pred = frames(system["cases"])
        if pred.empty:
            continue
        # A system whose box of k items is more than the first k of a longer list (Trendmix) comes once per
        # cut-off, with its own "ks".
        for k in system.get("ks", data["ks"]):
            common = dict(rating_true=truth, rating_pred=pred, k=k)
            theirs = {
                "Precision": pe.precision_at_k(**common),
                "Recall": pe.recall_at_k(**common),
                "nDCG": pe.ndcg_at_k(**common, score_type="binary"),
                "nDCG-graded": pe.ndcg_at_k(**common, score_type="raw"),
                "MAP": pe.map_at_k(**common),
                "SAR-MAP": pe.map(**common),
            }
            theirs["HitRate"], theirs["MRR"] = plain(system["cases"], k)
            for metric, value in theirs.items():
                ours = system["means"][f"{metric}@{k}"]
                diff = abs(ours - value)
                worst = max(worst, diff)
                compared += 1
                if diff > TOL:
                    failures.append(f"{system['name']} {metric}@{k}: trendmix {ours!r} vs {value!r}")
    print(f"{compared} figures compared, largest difference {worst:.3g}")
    for line in failures:
        print("MISMATCH", line)
    sys.exit(1 if failures or compared == 0 else 0)


if __name__ == "__main__":
    main()
