#!/usr/bin/env python3
"""SAR equivalence: Microsoft Recommenders' SAR against Trendmix in SAR's settings, on the same events.

Input: a folder written by `trendmix peer-export --peer sar` holding
  events.csv         reader,article,weight,timestamp  (every event as Trendmix weighs it; Unix seconds)
  trendmix_top10.csv reader,rank,article,score        (Trendmix's lists)

SAR (recommenders 1.2.1, recommenders.models.sar.SAR) runs with the settings of sar_singlenode.py that the
Trendmix side mirrors: similarity_type="jaccard", time_decay_coefficient=30 (days), timedecay_formula=True,
threshold=1, normalize=False, time_now = the latest event (SAR's default), remove_seen=True, top_k=10.
SAR refuses duplicate rows; identical (reader, article, timestamp) events are merged by summing their
weights, which leaves every affinity unchanged (same decay factor) and co-occurrence counts readers once anyway.

A list is "identical" when the article sequences are equal. A list that differs only where scores tie
(|a - b| <= 1e-9 * max(1, |a|)) -- order inside a tie group, or which tied article fills the last places -- is
"identical up to ties". Articles SAR ranks with score 0 (no evidence at all) are left out of its lists, as
Trendmix returns positive scores only.
"""
import argparse
import sys
import time

import numpy as np
import pandas as pd
from recommenders.models.sar import SAR

TOL = 1e-9


def close(a, b):
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def groups(items):
    """Split a ranked list [(article, score)] into runs of tied scores."""
    out = []
    for article, score in items:
        if out and close(out[-1][1], score):
            out[-1][0].add(article)
        else:
            out.append(({article}, score))
    return out


def same_up_to_ties(a, b):
    if len(a) != len(b):
        return False
    if any(not close(x[1], y[1]) for x, y in zip(a, b)):
        return False
    ga, gb = groups(a), groups(b)
    if len(ga) != len(gb):
        return False
    for i, ((sa, _), (sb, _)) in enumerate(zip(ga, gb)):
        if i == len(ga) - 1:
            # The last group may be cut by k: any tied article may fill it.
            continue
        if sa != sb:
            return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--half-life-days", type=float, default=30)
    parser.add_argument("--show", type=int, default=3, help="print this many differing lists")
    args = parser.parse_args()

    events = pd.read_csv(f"{args.folder}/events.csv", dtype={"reader": str, "article": str})
    merged = events.groupby(["reader", "article", "timestamp"], as_index=False)["weight"].sum()
    model = SAR(
        col_user="reader", col_item="article", col_rating="weight", col_timestamp="timestamp",
        similarity_type="jaccard", time_decay_coefficient=args.half_life_days, timedecay_formula=True,
        threshold=1, normalize=False,
    )
    started = time.perf_counter()
    model.fit(merged)
    fit_seconds = time.perf_counter() - started
    readers = pd.DataFrame({"reader": sorted(merged["reader"].unique())})
    sar = model.recommend_k_items(readers, top_k=args.k, sort_top_k=True, remove_seen=True)
    sar_lists = {}
    for reader, rows in sar.groupby("reader", sort=False):
        items = [(a, float(s)) for a, s in zip(rows["article"], rows["prediction"]) if s > 0]
        sar_lists[reader] = items

    ours = pd.read_csv(f"{args.folder}/trendmix_top{args.k}.csv", dtype={"reader": str, "article": str})
    our_lists = {}
    for reader, rows in ours.sort_values(["reader", "rank"]).groupby("reader", sort=False):
        our_lists[reader] = list(zip(rows["article"], rows["score"].astype(float)))

    identical = ties = differ = 0
    max_score_diff = 0.0
    shown = 0
    for reader in readers["reader"]:
        a = sar_lists.get(reader, [])
        b = our_lists.get(reader, [])
        if [x[0] for x in a] == [x[0] for x in b]:
            identical += 1
            for x, y in zip(a, b):
                max_score_diff = max(max_score_diff, abs(x[1] - y[1]))
        elif same_up_to_ties(a, b):
            ties += 1
        else:
            differ += 1
            if shown < args.show:
                shown += 1
                print(f"differs for {reader}:\n  SAR      {a}\n  Trendmix {b}", file=sys.stderr)
    n = len(readers)
    print(f"readers {n}, events {len(events)} ({len(merged)} after merging duplicates), SAR fit {fit_seconds:.2f} s")
    print(f"identical lists            {identical} ({100 * identical / n:.2f} %)")
    print(f"identical up to ties       {identical + ties} ({100 * (identical + ties) / n:.2f} %)")
    print(f"different                  {differ}")
    print(f"largest score difference on identical lists: {max_score_diff:.3g}")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
