"""Pooled over several data sets: is the default Trendmix significantly better than each other system?

Each data set and protocol is one `trendmix evaluate ... --protocol P --metric-check FILE` run; this reads the
FILEs, recomputes HitRate@10 and nDCG@10 per case from the ranked lists and relevance (the definitions of
Sources/TrendmixEvaluation/Metrics/RankingMetrics.swift; every set's means are checked against the ones the run
wrote, to 1e-9), and compares "Trendmix (box of 10)" with every other system over all of them:

- per data set weighted equally: the mean over sets of each set's mean paired difference, with a 95 % interval
  from a stratified bootstrap (cases resampled within each set, seeded);
- a system is counted only where it ran (SAR is absent without --python).

    python3 Evaluation/checks/pooled.py run1.json run2.json ...

Standard library only. Prints a Markdown table.
"""
import json
import math
import random
import sys

K = 10
TRENDMIX = f"Trendmix (box of {K})"


def values(ranked, relevance):
    relevant = {int(a): g for a, g in relevance.items() if g > 0}
    if not relevant:
        return 0.0, 0.0
    hits, dcg, rank, seen = 0, 0.0, 0, set()
    for article in ranked:
        if rank >= K:
            break
        if article in seen:
            continue
        seen.add(article)
        rank += 1
        if article in relevant:
            hits += 1
            dcg += 1 / math.log2(rank + 1)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return (1.0 if hits else 0.0), dcg / ideal


def load(path):
    data = json.load(open(path))
    systems = {}
    for s in data["systems"]:
        if K not in s["ks"]:
            continue
        name = s["name"]
        if "(box of" in name and name != TRENDMIX and not name.endswith(f"(box of {K})"):
            continue
        per_case = [values(c["ranked"], c["relevance"]) for c in s["cases"]]
        nonempty = [v for v, c in zip(per_case, s["cases"]) if c["ranked"]]
        for i, metric in enumerate(("HitRate", "nDCG")):
            mean = sum(v[i] for v in nonempty) / len(nonempty) if nonempty else 0.0
            stored = s["means"].get(f"{metric}@{K}")
            if stored is not None and abs(mean - stored) > 1e-9:
                sys.exit(f"{path}: {name} {metric}@{K} recomputed {mean} but the run wrote {stored}")
        systems[name] = per_case
    if TRENDMIX not in systems:
        sys.exit(f"{path}: no '{TRENDMIX}' system")
    return systems


def main(paths):
    sets = [load(p) for p in paths]
    names = sorted({n for s in sets for n in s if n != TRENDMIX})
    rng = random.Random(42)
    print(f"Pooled over {len(paths)} runs, each weighted equally; difference = Trendmix minus the system, @{K}.")
    print()
    print("| system | runs | HitRate difference [95 %] | nDCG difference [95 %] | verdict |")
    print("|---|---:|---|---|---|")
    for name in names:
        pairs = [(s[TRENDMIX], s[name]) for s in sets if name in s]
        cells, verdicts = [], []
        for i, metric in enumerate(("HitRate", "nDCG")):
            diffs = [[a[i] - b[i] for a, b in zip(mine, other)] for mine, other in pairs]
            point = sum(sum(d) / len(d) for d in diffs) / len(diffs)
            boot = []
            for _ in range(2000):
                total = 0.0
                for d in diffs:
                    total += sum(d[rng.randrange(len(d))] for _ in range(len(d))) / len(d)
                boot.append(total / len(diffs))
            boot.sort()
            low, high = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
            cells.append(f"{point:+.4f} [{low:+.4f}, {high:+.4f}]")
            verdicts.append(f"{metric} " + ("better" if low > 0 else "worse" if high < 0 else "level"))
        print(f"| {name} | {len(pairs)} | {cells[0]} | {cells[1]} | {'; '.join(verdicts)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
