#!/usr/bin/env bash
# Reload under load: `trendmix serve` driven by wrk with a mixed load (boxes under articles, trending, widget HTML,
# posted events), in pairs of runs: without, then with a `trendmix build` writing a new model while the load runs,
# which the server swaps in. Prints, for every run, requests, timeouts, errors, non-2xx, p50/p99, and the worst wait
# of a side probe on /healthz (one request every 100 ms); each pair's p99 ratio; then the median p99s over the pairs.
#
#   bash Benchmarks/load/reload.sh [--data demo|deskdrop|1m] [--connections 250] [--duration 40] [--build-at 12]
#                                  [--rate N|auto] [--posts 0|1|2] [--build-nice idle|N] [--bin PATH]
#                                  [--reload build|swap|build-only] [--repeat 1]
#
# --reload tells the two costs apart: `build` (the default) builds a new model the server swaps in; `swap` only
# marks the stored model as new (its stamp), so the server loads and swaps the same model with no build running;
# `build-only` builds a copy of the database, which the server does not see.
# --posts sets how many requests in 10 post events (the rest of the 2 go to boxes). The build runs under Linux's
# idle scheduling policy (`chrt --idle 0`), as a build on a serving machine should (docs/operations.md);
# --build-nice N runs it under `nice -n N` instead. --rate auto first measures the peak (as fast as possible) and
# then loads the server at 80 % of it; --rate N holds the load at N requests a second (wrk2-style pacing in the
# Lua script; 0 = as fast as possible). Exits 1 when a run with a rebuild has a timeout or a socket error. Needs
# wrk, curl and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

DATA=deskdrop
CONNECTIONS=250
DURATION=40
BUILD_AT=12
RATE=0
POSTS=2
BUILD_NICE=idle
BIN=""
RELOAD=build
REPEAT=1
while [ $# -gt 0 ]; do
    case "$1" in
        --data) DATA="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --build-at) BUILD_AT="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --posts) POSTS="$2"; shift 2 ;;
        --build-nice) BUILD_NICE="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        --reload) RELOAD="$2"; shift 2 ;;
        --repeat) REPEAT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
for tool in wrk curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk curl sqlite3)" >&2; exit 69; }
done

# The build's priority: nice N, or `idle`: Linux's SCHED_IDLE (chrt --idle 0), which any normal thread preempts
# at once when it wakes.
if [ "$BUILD_NICE" = idle ]; then LOWER=(chrt --idle 0); else LOWER=(nice -n "$BUILD_NICE"); fi
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat is a number of pairs, 1 or more (got '$REPEAT')" >&2; exit 64; }
[[ "$BUILD_NICE" = idle || "$BUILD_NICE" =~ ^-?[0-9]+$ ]] \
    || { echo "--build-nice is idle or a nice value such as 10 (got '$BUILD_NICE')" >&2; exit 64; }
case "$RELOAD" in build|swap|build-only) ;; *) echo "--reload is build, swap or build-only" >&2; exit 64 ;; esac
WORK="$(mktemp -d /tmp/trendmix-reload.XXXXXX)"
SERVER_PID=""
PROBE_PID=""
cleanup() {
    [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null || true
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=common.sh
source Benchmarks/load/common.sh
release_binary
DB="$WORK/data.sqlite"
case "$DATA" in
    demo) "$BIN" demo --db "$DB" --widgets "$WORK/widgets" --report "$WORK/report" >/dev/null ;;
    deskdrop)
        SOURCE="${TRENDMIX_SHARED_DATA:-../shared/data}/deskdrop/users_interactions.csv"
        [ -f "$SOURCE" ] || { echo "skipped: $SOURCE is absent" >&2; exit 0; }
        "$BIN" import deskdrop "$SOURCE" --db "$DB" >/dev/null
        "$BIN" build --db "$DB" >/dev/null ;;
    1m)
        "$BIN" generate --out "$WORK/generated" --events 1000000 >/dev/null
        "$BIN" import canonical "$WORK/generated" --db "$DB" >/dev/null
        "$BIN" build --db "$DB" >/dev/null ;;
    *) echo "--data is demo, deskdrop or 1m (generated: 4 sites, 10,000 articles, 1M events)" >&2; exit 64 ;;
esac
sqlite3 "$DB" "SELECT a.external_id, s.slug FROM article a JOIN site s ON s.id = a.site_id
               WHERE a.id IN (SELECT article_id FROM model_article) LIMIT 2000" > "$WORK/ids.txt"
sqlite3 "$DB" "SELECT slug FROM site" > "$WORK/sites.txt"
[ "$RELOAD" = build-only ] && sqlite3 "$DB" ".backup '$WORK/copy.sqlite'"

"$BIN" serve --db "$DB" --port 0 --log-level info --reload-seconds 1 > "$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
wait_for_server "$WORK/serve.out" "$WORK/serve.err"

# The mixed load (Benchmarks/load/mixed.lua): 4 in 10 boxes under articles, 2 trending, 2 widget HTML, 2 posted
# events (unique ids).
export LOAD_IDS="$WORK/ids.txt" LOAD_SITES="$WORK/sites.txt" LOAD_RATE="$RATE" LOAD_CONNECTIONS="$CONNECTIONS"
export LOAD_POSTS="$POSTS" LOAD_IMPRESSIONS=0

# probe OUT: /healthz every 100 ms until killed; one latency in ms a line (5000 = no answer within 5 s).
probe() {
    while true; do
        t="$(curl -s -o /dev/null -m 5 -w '%{time_total}' "$BASE/healthz" || echo 5)"
        awk -v t="$t" 'BEGIN { printf "%.1f\n", t * 1000 }' >> "$1"
        sleep 0.1
    done
}

# run NAME WITH_BUILD → one summary line
run() {
    local name="$1" with_build="$2"
    : > "$WORK/probe-$name.txt"
    local log_from; log_from=$(( $(wc -l < "$WORK/serve.err") + 1 ))
    probe "$WORK/probe-$name.txt" & PROBE_PID=$!
    if [ "$with_build" = 1 ]; then
        case "$RELOAD" in
            build) ( sleep "$BUILD_AT"; "${LOWER[@]}" "$BIN" build --db "$DB" > "$WORK/build.out" 2>&1 ) & ;;
            build-only)
                ( sleep "$BUILD_AT"; "${LOWER[@]}" "$BIN" build --db "$WORK/copy.sqlite" > "$WORK/build.out" 2>&1 ) & ;;
            swap) ( sleep "$BUILD_AT"; sqlite3 -cmd ".timeout 5000" "$DB" "UPDATE model SET computed_at = computed_at + 1" ) & ;;
        esac
    fi
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency -s Benchmarks/load/mixed.lua "$BASE" > "$WORK/wrk-$name.txt"
    kill "$PROBE_PID" 2>/dev/null || true; wait "$PROBE_PID" 2>/dev/null || true; PROBE_PID=""
    wait
    awk -v name="$name" -v probe="$(sort -n "$WORK/probe-$name.txt" | tail -1)" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /requests in/ { requests = $1 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Socket errors/ { gsub(/,/, ""); errors = $4 + $6 + $8; timeouts = $10 }
        /Non-2xx/ { non2xx = $5 }
        END { printf "%-14s %10d %9d %7d %8d %9.2f %9.2f %12.1f\n", name, requests, timeouts, errors, non2xx, p50, p99, probe }
    ' "$WORK/wrk-$name.txt"
    # What the server answered other than 2xx: the access log's lines (sampled) and its per-second counts.
    tail -n +"$log_from" "$WORK/serve.err" > "$WORK/log-$name.txt"
    awk '
        / [0-9][0-9][0-9] [0-9.]+ ms/ { for (i = 1; i < NF; i++) if ($(i + 2) == "ms" && $(i + 1) ~ /^[0-9.]+$/ && $i !~ /^2/) seen[$(i - 2) " " $NF " " $i]++ }
        /not logged one by one/ { for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^[345]xx/) { c = $(i + 1); sub(/,$/, "", c); counted[c] += $i } }
        END { for (k in seen) printf "    logged: %s (%d)\n", k, seen[k]; for (c in counted) printf "    not logged one by one: %d %s\n", counted[c], c }
    ' "$WORK/log-$name.txt" > "$WORK/non2xx-$name.txt"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s --timeout 5s, mixed load (4/10 boxes, 2/10 trending, 2/10 widget HTML,"
echo "2/10 POST /v1/events); data: $DATA; rate: $([ "$RATE" = 0 ] && echo "as fast as possible" || echo "$RATE"); --reload $RELOAD"
echo "at ${BUILD_AT} s (a build under ${LOWER[*]}); $(nproc) cores"
printf "%-14s %10s %9s %7s %8s %9s %9s %12s\n" run requests timeouts errors non-2xx "p50 ms" "p99 ms" "probe max ms"
if [ "$RATE" = auto ]; then
    RATE=0
    export LOAD_RATE=0
    peak="$(run peak 0)"; echo "$peak"; cat "$WORK/non2xx-peak.txt"
    RATE="$(awk -v r="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-peak.txt")" 'BEGIN { printf "%d", r * 0.8 }')"
    export LOAD_RATE="$RATE"
    echo "80 % of the peak: $RATE requests a second"
    sleep 5
fi
# Pairs of runs, without and then with a reload: one pair's ratio swings with whatever else the machine does
# (from 0.6 to 3.4 in six pairs of one binary), so --repeat N runs N pairs on one server and reports the medians.
withs=()
withouts=()
timeouts=0
for pair in $(seq 1 "$REPEAT"); do
    line_without="$(run without-build 0)"; echo "$line_without"; cat "$WORK/non2xx-without-build.txt"
    sleep 5  # the requests the last run left in flight are answered first
    line_with="$(run with-build 1)"; echo "$line_with"; cat "$WORK/non2xx-with-build.txt"
    awk -v a="$line_without" -v b="$line_with" -v n="$pair" 'BEGIN {
        split(a, x); split(b, y); printf "pair %d: p99 with a reload / without: %.2f\n", n, (x[7] > 0 ? y[7] / x[7] : 0) }'
    withouts+=("$(awk '{print $7}' <<< "$line_without")")
    withs+=("$(awk '{print $7}' <<< "$line_with")")
    timeouts=$(( timeouts + $(awk '{print $3 + $4}' <<< "$line_with") ))
    [ "$pair" = "$REPEAT" ] || sleep 5
done
swaps="$(grep -c "loaded a new model" "$WORK/serve.err" || true)"
echo "the server swapped in a new model $swaps time(s):"
grep -E "loaded a new model|freed the model" "$WORK/serve.err" | sed 's/^/    /' || true
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
m_without="$(median "${withouts[@]}")"
m_with="$(median "${withs[@]}")"
awk -v a="$m_without" -v b="$m_with" -v n="$REPEAT" 'BEGIN {
    printf "median p99 over %d pair(s): %.2f ms with a reload, %.2f ms without: %.2fx\n", n, b, a, (a > 0 ? b / a : 0) }'
[ "$timeouts" = 0 ] || { echo "FAILED: $timeouts timeouts or socket errors during the reloads"; exit 1; }
