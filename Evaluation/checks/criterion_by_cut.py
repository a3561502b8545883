"""Issue 5's criterion at every cut: does Trendmix's default beat every baseline and SAR on HitRate@10 and
nDCG@10, significantly?

One cut is one sample of a data set's history. This runs `trendmix evaluate` on DeskDrop's protocols at several
cuts and prints one Markdown row per run: Trendmix's figures, the strongest other system on each metric, and the
verdict ("level with X": the paired test finds no significant difference; "behind X": X is significantly ahead).
The runs: temporal and session at 0.5 to 0.9 of the events; temporal-rolling on the weeks from 0.6 to 0.8, from
0.8 to the end and from 0.7 to the end (origins on other weekdays and hours); leave-last-out on the events before
0.5 to 0.9 of them, and on all of them.

    python3 Evaluation/checks/criterion_by_cut.py .build/release/trendmix deskdrop.sqlite \
        .build-peers/venv/bin/python

Standard library only; each run's report goes to a temporary folder.
"""

import os
import re
import subprocess
import sys
import tempfile

FRACTIONS = ["0.5", "0.6", "0.7", "0.8", "0.9"]
RUNS = (
    [("temporal-rolling", ["--cut-fraction", "0.6", "--rolling-origins", "9"], "weeks 0.6 to 0.8")]
    + [("temporal-rolling", [], "weeks 0.8 to the end")]
    + [("temporal-rolling", ["--cut-fraction", "0.7"], "weeks 0.7 to the end")]
    + [("temporal", ["--cut-fraction", f], f"cut {f}") for f in FRACTIONS]
    + [("session", ["--cut-fraction", f], f"cut {f}") for f in FRACTIONS]
    + [("leave-last-out", ["--until-fraction", f], f"data before {f}") for f in FRACTIONS]
    + [("leave-last-out", [], "all data")]
)
ROW = re.compile(r"^  (\S.*?)\s{2,}(\d\.\d+) \[[^\]]*\](≈?)\s+(\d\.\d+) \[[^\]]*\](≈?)")


def evaluate(trendmix, db, python, protocol, flags):
    with tempfile.TemporaryDirectory() as out:
        command = [trendmix, "evaluate", "--db", db, "--protocol", protocol, "--out", out, *flags]
        if python:
            command += ["--python", python]
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    cases = re.search(rf"^{re.escape(protocol)}: (\d+) cases", done.stdout, re.M)
    systems = {}
    for line in done.stdout.splitlines():
        m = ROW.match(line)
        if m:
            name, hit, hit_level, ndcg, ndcg_level = m.groups()
            systems[name] = ((float(hit), hit_level == "≈"), (float(ndcg), ndcg_level == "≈"))
    if "Trendmix" not in systems:
        sys.exit(f"no Trendmix row in the output of {' '.join(command)}")
    return int(cases.group(1)) if cases else 0, systems


def verdict(systems):
    problems = []
    for metric, label in ((0, "HitRate"), (1, "nDCG")):
        mine = systems["Trendmix"][metric][0]
        for name, figures in systems.items():
            if name == "Trendmix":
                continue
            value, level = figures[metric]
            if level:
                problems.append(f"{label} level with {name}")
            elif value >= mine:
                problems.append(f"{label} behind {name}")
    return "met" if not problems else "; ".join(problems)


def strongest(systems, metric):
    others = [(figures[metric][0], name) for name, figures in systems.items() if name != "Trendmix"]
    value, name = max(others)
    return f"{name} {value:.3f}"


def main(trendmix, db, python=None):
    for path, what in ((trendmix, "trendmix binary"), (db, "database"), (python, "Python")):
        if path is not None and not os.path.exists(path):
            sys.exit(f"no {what} at {path}")
    print("| protocol | data | cases | Trendmix HitRate / nDCG | strongest other, HitRate | strongest other, nDCG | criterion |")
    print("|---|---|---:|---|---|---|---|")
    for protocol, flags, label in RUNS:
        cases, systems = evaluate(trendmix, db, python, protocol, flags)
        hit, ndcg = systems["Trendmix"][0][0], systems["Trendmix"][1][0]
        print(
            f"| {protocol} | {label} | {cases} | {hit:.3f} / {ndcg:.3f} | {strongest(systems, 0)} | "
            f"{strongest(systems, 1)} | {verdict(systems)} |",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
