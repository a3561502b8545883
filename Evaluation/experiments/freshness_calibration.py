"""Would freshness tuned per site on its own past weeks beat a fixed one?

Runs `trendmix evaluate --protocol temporal-rolling --cut-fraction 0.6` (weekly origins from the 0.6 cut to the
data's end) once per reader freshness f in 0.4 … 1 (every site kind), with `--metric-check`, and scores the
origins after the ninth (the weeks a deployment would have history for) two ways: each fixed f, and f chosen at
every origin as the best mean nDCG@10 over the previous W origins (what a build could do on its own past).

    python3 Evaluation/experiments/freshness_calibration.py .build/release/trendmix deskdrop.sqlite

Standard library only.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

FRESHNESS = ["0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
WINDOWS = [4, 6, 9, 12]


def case_figures(check_path):
    """(now, hit@10, nDCG@10) of every case of the first system."""
    with open(check_path) as f:
        system = json.load(f)["systems"][0]
    rows = []
    for case in system["cases"]:
        relevant = {int(a) for a in case["relevance"]}
        hits = [1 if a in relevant else 0 for a in case["ranked"][:10]]
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
        dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
        rows.append((case["now"], 1 if any(hits) else 0, dcg / ideal))
    return rows


def main(trendmix, db):
    for path, what in ((trendmix, "trendmix binary"), (db, "database")):
        if not os.path.exists(path):
            sys.exit(f"no {what} at {path}")
    by_origin = {}
    with tempfile.TemporaryDirectory() as work:
        for f in FRESHNESS:
            config = os.path.join(work, f"f{f}.json")
            with open(config, "w") as out:
                json.dump({"mix": {"freshness_by_kind": {"news": float(f), "blog": float(f), "qa": float(f)}}}, out)
            check = os.path.join(work, f"check{f}.json")
            command = [
                trendmix, "evaluate", "--db", db, "--protocol", "temporal-rolling", "--cut-fraction", "0.6",
                "--config", config, "--no-baselines", "--resamples", "0", "--metric-check", check,
                "--out", os.path.join(work, "report"),
            ]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
            origins = {}
            for now, hit, ndcg in case_figures(check):
                origins.setdefault(now, []).append((hit, ndcg))
            by_origin[f] = origins
    origins = sorted(by_origin[FRESHNESS[0]])
    judged = origins[9:]

    def pooled(choose):
        cells = [x for o in judged for x in by_origin[choose(o)][o]]
        return sum(h for h, _ in cells) / len(cells), sum(n for _, n in cells) / len(cells), len(cells)

    print(f"{len(origins)} weekly origins; judged: the last {len(judged)}")
    for f in FRESHNESS:
        print("fixed f %-4s          HitRate@10 %.4f  nDCG@10 %.4f  (%d cases)" % ((f,) + pooled(lambda o, f=f: f)))
    for w in WINDOWS:
        def choose(o, w=w):
            i = origins.index(o)
            previous = origins[max(0, i - w):i]

            def score(f):
                cells = [n for p in previous for _, n in by_origin[f][p]]
                return sum(cells) / max(1, len(cells))

            return max(FRESHNESS, key=score)

        picks = [choose(o) for o in judged]
        print("calibrated, %2d weeks  HitRate@10 %.4f  nDCG@10 %.4f  (%d cases)" % ((w,) + pooled(choose)),
              "picks:", " ".join(picks))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
