#!/usr/bin/env python3
"""SAR as a peer system of the evaluation harness: Microsoft Recommenders' SAR from its own package.

Input (a folder written by `trendmix evaluate --python ...`, Sources/TrendmixEvaluation/Peers/SARPeer.swift):
  train.csv   reader,article,weight,timestamp  training events as Trendmix weighs them (dense ids; Unix seconds)
  cases.csv   case,reader,seed                 -1 where a case has no reader / no seed
Output:
  sar_lists.csv  case,rank,article              SAR's ranked lists, best first

Settings (the ones sar_singlenode.py uses and the SAR equivalence check matches): similarity_type given (jaccard
by default), time decay with the given half-life, timedecay_formula=True, threshold=1, normalize=False, and
time_now = the split's `now` (so no event after the cut can decay anything). Reader cases ask
recommend_k_items(remove_seen=True); seed cases ask get_item_based_topk for the seed alone (the seed itself is
dropped from its own list). Items SAR scores 0 (no evidence at all; their order is numpy's argpartition's) are
left out, as in the equivalence check. SAR refuses duplicate rows: identical (reader, article, timestamp) events
are merged by summing their weights, which leaves every affinity unchanged.
"""
import argparse
import sys
import time

import pandas as pd
from recommenders.models.sar import SAR


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--half-life-days", type=float, default=30)
    parser.add_argument("--similarity", default="jaccard")
    parser.add_argument("--now", type=float, required=True, help="Unix seconds")
    args = parser.parse_args()

    train = pd.read_csv(f"{args.folder}/train.csv")
    cases = pd.read_csv(f"{args.folder}/cases.csv")
    merged = train.groupby(["reader", "article", "timestamp"], as_index=False)["weight"].sum()
    model = SAR(
        col_user="reader", col_item="article", col_rating="weight", col_timestamp="timestamp",
        similarity_type=args.similarity, time_decay_coefficient=args.half_life_days, timedecay_formula=True,
        threshold=1, normalize=False, time_now=args.now,
    )
    started = time.perf_counter()
    model.fit(merged)
    print(f"SAR fit {time.perf_counter() - started:.2f} s on {len(merged)} rows", file=sys.stderr)

    rows = []
    known_readers = set(merged["reader"].unique())
    known_items = set(merged["article"].unique())
    readers = cases[(cases["reader"] >= 0) & cases["reader"].isin(known_readers)]
    if len(readers):
        users = pd.DataFrame({"reader": sorted(readers["reader"].unique())})
        top = model.recommend_k_items(users, top_k=args.k, sort_top_k=True, remove_seen=True)
        by_reader = {}
        for reader, article, score in zip(top["reader"], top["article"], top["prediction"]):
            if score > 0:
                by_reader.setdefault(reader, []).append(int(article))
        for case, reader in zip(readers["case"], readers["reader"]):
            for rank, article in enumerate(by_reader.get(reader, []), start=1):
                rows.append((case, rank, article))
    seeds = cases[(cases["reader"] < 0) & (cases["seed"] >= 0) & cases["seed"].isin(known_items)]
    if len(seeds):
        items = pd.DataFrame({"reader": seeds["case"].values, "article": seeds["seed"].values, "weight": 1.0})
        top = model.get_item_based_topk(items, top_k=args.k + 1, sort_top_k=True)
        seed_of = dict(zip(seeds["case"], seeds["seed"]))
        lists = {}
        for case, article, score in zip(top["reader"], top["article"], top["prediction"]):
            if score > 0 and int(article) != seed_of[case]:
                lists.setdefault(case, []).append(int(article))
        for case in sorted(lists):
            for rank, article in enumerate(lists[case][: args.k], start=1):
                rows.append((case, rank, article))
    rows.sort()
    with open(f"{args.folder}/sar_lists.csv", "w") as out:
        out.write("case,rank,article\n")
        for case, rank, article in rows:
            out.write(f"{case},{rank},{article}\n")


if __name__ == "__main__":
    main()
