#!/usr/bin/env bash
# libFuzzer over Trendmix's readers of outside input (issue 23): the canonical CSV and JSON Lines readers, the
# Stack Exchange XML reader, the POST body decoders and the configuration reader. Every module is built with
# `-sanitize=fuzzer,address` (linked by lld: gold fails on these binaries); each target starts from a seed corpus cut from ../shared/data, Data/ and the
# bad-input tests' cases, and runs for --seconds.
#
#   bash Fuzz/run.sh [--seconds 600] [--targets FuzzCanonicalCSV,FuzzPostBodies,...] [--skip-build]
#
# Two at once on two cores: build once, then `--skip-build --targets A` and `--skip-build --targets B`.
#
# Prints one line per target (seconds, executions, corpus, crashes) and exits 1 when any target crashed; a
# crashing input is kept in .build-fuzz/artifacts/<target>/ (turn it into a test, then fix).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

SECONDS_PER_TARGET=600
SKIP_BUILD=0
TARGETS="FuzzCanonicalCSV,FuzzCanonicalJSONLines,FuzzStackExchange,FuzzPostBodies,FuzzConfiguration"
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
        --targets) TARGETS="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
SHARED="${TRENDMIX_SHARED_DATA:-../shared/data}"
OUT=.build-fuzz
mkdir -p "$OUT"

[ "$SKIP_BUILD" = 1 ] || echo "== building the fuzz targets with -sanitize=fuzzer,address"
if [ "$SKIP_BUILD" != 1 ]; then
    # A failed build stops here: running the binaries an earlier build left would fuzz old code.
    swift build --package-path Fuzz --build-path "$OUT/build" -c release \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld > "$OUT/build.log" 2>&1 \
        || { grep -E "error" "$OUT/build.log" | head -20; echo "the fuzz build failed ($OUT/build.log)" >&2; exit 1; }
    grep -E "warning: .*Fuzz/|Build" "$OUT/build.log" || true
fi
BIN="$(swift build --package-path Fuzz --build-path "$OUT/build" -c release --show-bin-path)"

# Seeds: small real inputs, and the shapes the bad-input tests use.
seed() { mkdir -p "$OUT/corpus/$1"; cat > "$OUT/corpus/$1/$2"; }
{ head -c 4000 Data/articles.csv; printf '|'; head -c 4000 Data/events.csv; } | seed FuzzCanonicalCSV data
printf 'site,id,title\nnews,a1,"Quoted, with ""quotes"""\nnews,a2\n|id,site,article,type,time\ne1,news,a1,view,2024-01-01\n' \
    | seed FuzzCanonicalCSV quoted
printf 'site,id\nnews,"unterminated\n|id,site\n' | seed FuzzCanonicalCSV bad
python3 - "$OUT/corpus/FuzzCanonicalJSONLines" <<'PY'
import csv, json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
def lines(path, n):
    with open(path, newline="", encoding="utf-8") as f:
        return [json.dumps({k: v for k, v in row.items() if v}) for _, row in zip(range(n), csv.DictReader(f))]
with open(os.path.join(out, "data"), "w") as f:
    f.write("\n".join(lines("Data/articles.csv", 20)).replace("|", "/") + "\n|" + "\n".join(lines("Data/events.csv", 40)) + "\n")
with open(os.path.join(out, "bad"), "w") as f:
    f.write('{"site":"news","id":12345678901234567890123,"tags":["a",1]}\n{"site":\n|{"id":"e","time":1e400}\n')
PY
for site in beer italian; do
    posts="$SHARED/stackexchange/$site/Posts.xml"
    [ -f "$posts" ] || continue
    { head -c 6000 "$posts"; printf '\n</posts>|'; head -c 3000 "$SHARED/stackexchange/$site/Votes.xml"; printf '\n</votes>'; } \
        | seed FuzzStackExchange "$site"
done
printf '<?xml version="1.0"?><posts><row Id="1" PostTypeId="1" Title="a &amp; b &#x1F600;" CreationDate="2024-01-01T00:00:00.000" /><row Id="x" /></posts>|<votes><row Id="1" PostId="1" VoteTypeId="2" CreationDate="2024-01-02T00:00:00.000" /></votes>' \
    | seed FuzzStackExchange handmade
printf '\x00{"events":[{"id":"e1","site":"news","article":"n1","type":"view","time":"2024-03-01T10:00:00Z","reader":"r1","value":2}]}' | seed FuzzPostBodies events
printf '\x00{"events":[{"id":"x","site":"news","article":"https://news.example/a?utm_source=x#f","type":"wink","time":1709200000}]}' | seed FuzzPostBodies events-bad
printf '\x01{"impressions":[{"id":"i1","kind":"click","placement":"below-article","host":"news","seed":"n1","site":"travel","article":"t1","position":1,"reader":"r","variant":"a"}]}' | seed FuzzPostBodies impressions
printf '\x02{"articles":[{"site":"news","id":"n9","url":"https://news.example/n9","title":"T","published_at":"2024-01-01","tags":["a","b"],"view_count":3,"expires_at":"2199-01-01"}]}' | seed FuzzPostBodies articles
for config in Evaluation/configs/*.json; do seed FuzzConfiguration "$(basename "$config")" < "$config"; done
printf '{"mix": {"hot_counts": "votes"}, "trending": {"half_life_days": -1}}' | seed FuzzConfiguration bad

printf "%-24s %8s %12s %8s %8s\n" target seconds executions corpus crashes
status=0
IFS=, read -ra targets <<< "$TARGETS"
for target in "${targets[@]}"; do
    mkdir -p "$OUT/artifacts/$target" "$OUT/corpus/$target"
    log="$OUT/$target.log"
    set +e
    ASAN_OPTIONS=detect_leaks=0 "$BIN/$target" "$OUT/corpus/$target" -max_total_time="$SECONDS_PER_TARGET" \
        -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$target/" > "$log" 2>&1
    code=$?
    set -e
    runs="$(awk '/stat::number_of_executed_units/ {print $NF}' "$log")"
    corpus="$(ls "$OUT/corpus/$target" | wc -l)"
    crashes="$(ls "$OUT/artifacts/$target" | wc -l)"
    printf "%-24s %8s %12s %8s %8s\n" "$target" "$SECONDS_PER_TARGET" "${runs:-?}" "$corpus" "$crashes"
    if [ "$code" != 0 ] || [ "$crashes" != 0 ]; then
        status=1
        echo "  $target stopped with exit $code; its log: $log" >&2
        grep -m5 -E "ERROR|Fatal error|SUMMARY" "$log" >&2 || true
    fi
done
exit $status
