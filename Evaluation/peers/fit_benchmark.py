#!/usr/bin/env python3
"""Times a peer's model fit on the events Trendmix sees, for Benchmarks' model-benchmark.

  fit_benchmark.py --events events.csv --peer sar|implicit

events.csv: reader,article,weight,timestamp (written by `trendmix peer-export`). Prints one JSON line:
{"peer", "load_seconds", "fit_seconds", "rss_before_fit_mib", "peak_rss_mib", "items", "users", "nnz"}.
- sar: recommenders.models.sar.SAR with SAR's defaults as Trendmix mirrors them (jaccard, 30-day half-life
  decay, threshold 1); identical (reader, article, timestamp) rows are merged by summing weights (SAR refuses
  duplicates; affinities are unchanged by the merge).
- implicit: implicit.nearest_neighbours.CosineRecommender(K=50).fit on the reader x article matrix of summed
  weights (the C++ item-item cosine), with OpenMP on all cores and OPENBLAS_NUM_THREADS=1.
"""
import argparse
import json
import os
import resource
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", required=True)
    parser.add_argument("--peer", choices=["sar", "implicit"], required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    df = pd.read_csv(args.events, dtype={"reader": str, "article": str})
    result = {"peer": args.peer}
    if args.peer == "sar":
        from recommenders.models.sar import SAR

        merged = df.groupby(["reader", "article", "timestamp"], as_index=False)["weight"].sum()
        result["load_seconds"] = time.perf_counter() - started
        result["rss_before_fit_mib"] = rss_mib()
        model = SAR(
            col_user="reader", col_item="article", col_rating="weight", col_timestamp="timestamp",
            similarity_type="jaccard", time_decay_coefficient=30, timedecay_formula=True, threshold=1,
        )
        t = time.perf_counter()
        model.fit(merged)
        result["fit_seconds"] = time.perf_counter() - t
        result["items"] = int(model.n_items)
        result["users"] = int(model.n_users)
    else:
        from implicit.nearest_neighbours import CosineRecommender

        users = df["reader"].astype("category")
        items = df["article"].astype("category")
        matrix = sp.csr_matrix(
            (df["weight"].astype(np.float32), (users.cat.codes.values, items.cat.codes.values)),
            shape=(len(users.cat.categories), len(items.cat.categories)),
        )
        matrix.sum_duplicates()
        result["load_seconds"] = time.perf_counter() - started
        result["rss_before_fit_mib"] = rss_mib()
        model = CosineRecommender(K=50)
        t = time.perf_counter()
        model.fit(matrix, show_progress=False)
        result["fit_seconds"] = time.perf_counter() - t
        result["items"] = int(matrix.shape[1])
        result["users"] = int(matrix.shape[0])
        result["nnz"] = int(matrix.nnz)
    result["peak_rss_mib"] = rss_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
