"""Do readers who read old articles keep reading old articles? (DeskDrop, rolling protocol)

Rebuilds the cases of `trendmix evaluate --protocol temporal-rolling --cut-fraction F` from the raw CSV (weekly
origins from the cut to the data's end; training: the events before an origin; relevant: a known reader's live
articles new to them in the next 7 days). Each case's reader is put in a band by their "old share" in training:
of the articles they read, the share that were more than 30 days old (since the article's first event) when the
reader first opened them. Per band it prints the cases, the relevant pairs and the share of those pairs that are
articles over 30 days old at the origin.

    python Evaluation/experiments/reader_age_preference.py ../shared/data/deskdrop/users_interactions.csv [0.8]
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checks"))
from deskdrop_rolling import DAY, load, weeks  # noqa: E402

BANDS = [(0.0, 0.0, "0"), (0.0, 0.1, "over 0 to 0.1"), (0.1, 0.25, "over 0.1 to 0.25"),
         (0.25, 0.5, "over 0.25 to 0.5"), (0.5, 1.0, "over 0.5")]


def main(path, fraction):
    df, first = load(path)
    df["age"] = (df.timestamp - df.contentId.map(first)) / DAY
    rows = []
    for origin, train, _, _, pairs in weeks(df, fraction):
        reads = train.sort_values("timestamp").drop_duplicates(["personId", "contentId"])
        by_reader = reads.groupby("personId")
        n = by_reader.size()
        old = by_reader.age.apply(lambda a: int((a > 30).sum()))
        relevant = {}
        for u, a in pairs:
            relevant.setdefault(u, []).append((origin - first[a]) / DAY > 30)
        for u, flags in relevant.items():
            rows.append((old[u] / n[u], len(flags), sum(flags)))
    print(f"{len(rows)} cases from the {fraction} cut")
    print(f"{'old share in training':<22}{'cases':>7}{'relevant':>10}{'of them old':>13}{'share old':>11}")
    for low, high, name in BANDS:
        band = [r for r in rows if (r[0] == 0 if high == 0 else low < r[0] <= high)]
        rel = sum(r[1] for r in band)
        old_rel = sum(r[2] for r in band)
        print(f"{name:<22}{len(band):>7}{rel:>10}{old_rel:>13}{old_rel / max(1, rel):>11.3f}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    try:
        cut = float(sys.argv[2]) if len(sys.argv) == 3 else 0.8
    except ValueError:
        sys.exit(f"the cut must be a fraction between 0 and 1, not {sys.argv[2]!r}")
    if not 0 < cut < 1:
        sys.exit(f"the cut must be a fraction between 0 and 1, not {cut}")
    main(sys.argv[1], cut)
