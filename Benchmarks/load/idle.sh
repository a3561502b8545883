#!/usr/bin/env bash
# Idle connections against the server's file limit (issue 23's reproducer): `trendmix serve` under `ulimit -n 20000`
# (so at most 16,000 connections: four fifths of it), two clients attempting 10,500 idle connections each, and a
# probe sending GET /healthz on a new connection every 100 ms. Prints the probe's latency every 5 s and overall,
# what the server held and closed (its /metrics), and the CPU it used while the idle clients were connected.
#
#   bash Benchmarks/load/idle.sh [--connections 21000] [--files 20000] [--duration 30] [--open-rate 2500]
#                                [--bin PATH]
#
# --open-rate is the connections each client opens a second (0: all at once, which overflows the kernel's SYN
# queue: connections the server never sees, and probes whose SYN is dropped wait for its 1 s retransmission).
# Exits 1 when a probe got no answer within 5 s. Needs python3 and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

CONNECTIONS=21000
FILES=20000
DURATION=30
OPEN_RATE=2500
BIN=""
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --files) FILES="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --open-rate) OPEN_RATE="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
command -v curl >/dev/null || { echo "needs curl" >&2; exit 69; }

WORK="$(mktemp -d /tmp/trendmix-idle.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=common.sh
source Benchmarks/load/common.sh
release_binary
DB="$WORK/demo.sqlite"
"$BIN" import canonical Data --db "$DB" >/dev/null
"$BIN" build --db "$DB" >/dev/null
( ulimit -n "$FILES"; exec "$BIN" serve --db "$DB" --port 0 --log-level notice ) > "$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
wait_for_server "$WORK/serve.out" "$WORK/serve.err"

cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }  # user + system, clock ticks
TICKS="$(getconf CLK_TCK)"
half=$(( CONNECTIONS / 2 ))
echo "serve under ulimit -n $FILES; $CONNECTIONS idle connections attempted by two clients ($OPEN_RATE a second each);"
echo "/healthz on a new connection every 100 ms"
cpu_before="$(cpu)"
python3 Benchmarks/load/hostile.py --url "$BASE" --idle "$half" --duration "$DURATION" --report-every 5 \
    --open-rate "$OPEN_RATE" --name "idle-a" --json "$WORK/a.json" > "$WORK/a.txt" &
A=$!
python3 Benchmarks/load/hostile.py --url "$BASE" --idle $(( CONNECTIONS - half )) --duration "$DURATION" \
    --open-rate "$OPEN_RATE" --report-every 5 --probe --name "idle-b+probe" --json "$WORK/b.json" &
B=$!
# The server's descriptors, once a second: the most it held.
( peak=0; while kill -0 "$A" 2>/dev/null; do
    n="$(ls "/proc/$SERVER_PID/fd" | wc -l)"; [ "$n" -gt "$peak" ] && peak="$n"; echo "$peak" > "$WORK/peak"; sleep 1
  done ) &
wait "$A" "$B"
cpu_after="$(cpu)"
tail -1 "$WORK/a.txt"
echo "server: at most $(cat "$WORK/peak") descriptors open (limit $FILES)"
metrics="$(curl -s "$BASE/metrics")"
open="$(awk '/^trendmix_connections_open / {print $2}' <<< "$metrics")"
evicted="$(awk -F' ' '/^trendmix_connections_closed_total\{reason="evicted"\}/ {print $2}' <<< "$metrics")"
echo "server: $(ls /proc/$SERVER_PID/fd | wc -l) descriptors open after the clients left, connections open at the"
echo "last count ${open:-?}, closed to make room ${evicted:-0}; CPU $(awk -v a="$cpu_before" -v b="$cpu_after" \
    -v t="$TICKS" -v d="$DURATION" 'BEGIN { printf "%.1f s in %d s (%.0f %% of one core)", (b - a) / t, d, (b - a) / t / d * 100 }')"
failed="$(python3 -c "import json; print(json.load(open('$WORK/b.json'))['probe_failed'])")"
[ "$failed" = 0 ] || { echo "FAILED: $failed probes got no answer within 5 s"; exit 1; }
