#!/bin/bash
# One line of figures for the experiment knobs set in the environment (README.md here): Trendmix's HitRate@10 and
# nDCG@10 on the selection sets, then on the later data, where each cell also gives the strongest baseline's
# figures ("≈": not significantly different from Trendmix, paired bootstrap). Run from the repository root with
# the patch applied and built:  EXP_SIGMA=0.3 bash Evaluation/experiments/run.sh "sustained 0.3"
set -euo pipefail
db=${DB:-deskdrop.sqlite}
bin=${TRENDMIX:-.build/release/trendmix}
[ -x "$bin" ] || { echo "no trendmix binary at $bin: swift build -c release --product trendmix" >&2; exit 1; }
[ -f "$db" ] || { echo "no database at $db: trendmix import deskdrop ../shared/data/deskdrop/users_interactions.csv --db $db" >&2; exit 1; }
# Without a patch the EXP_ variables change nothing, and every row would be the default's. Every patch here reads
# EXP_ variables; the engine's own sources read none.
if env | grep -q '^EXP_' && ! grep -rq 'EXP_' Sources; then
    echo "EXP_ variables are set but no experiment patch is applied: git apply Evaluation/experiments/<name>.patch" >&2
    exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Trendmix's two figures, then those of the named baseline with their "≈" marks.
cell() {
    awk -v base="$1" '
        /^  Trendmix / { t = $2 " " $4 }
        base != "" && index($0, "  " base " ") == 1 {
            sub("^  " base " +", "")
            b = $1 ($2 ~ /≈$/ ? "≈" : "") " " $3 ($4 ~ /≈$/ ? "≈" : "")
        }
        END { print t (base != "" ? " (" b ")" : "") }'
}
run() { "$bin" evaluate --db "$db" --resamples 1000 --out "$out/r" "$@" 2>/dev/null; }
a=$(run --protocol temporal-rolling --cut-fraction 0.6 --rolling-origins 9 --no-baselines | cell "")
b=$(run --protocol leave-last-out --until-fraction 0.8 --no-baselines | cell "")
c=$(run --protocol temporal-rolling | cell "HN gravity")
d=$(run --protocol leave-last-out | cell "Decayed popularity")
e=$(run --protocol temporal | cell "Decayed popularity")
echo "| ${1:-default} | $a | $b | $c | $d | $e |"
