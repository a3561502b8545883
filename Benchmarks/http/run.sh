#!/usr/bin/env bash
# HTTP load benchmark: `trendmix serve` on the demo data against nginx serving the very same responses as static
# files, both on loopback, driven by wrk in the same run.
#
#   bash Benchmarks/http/run.sh [--duration 30] [--connections 64] [--threads 2]
#
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Prints, per endpoint, requests per second,
# p50/p99 latency, socket errors and non-2xx answers for both, and Trendmix's rate as a share of nginx's.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

DURATION=30
CONNECTIONS=64
THREADS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx-light curl)" >&2; exit 69; }
done

WORK="$(mktemp -d /tmp/trendmix-http-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product trendmix >/dev/null
BIN="$(swift build -c release --show-bin-path)/trendmix"
"$BIN" demo --db "$WORK/demo.sqlite" --widgets "$WORK/widgets" --report "$WORK/report" >/dev/null

# start_server NAME [serve options...]: starts `trendmix serve` on a free port, sets SERVER_PID and BASE.
start_server() {
    local name="$1"; shift
    "$BIN" serve --db "$WORK/demo.sqlite" --port 0 --log-level warning "$@" > "$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do grep -q "listening on" "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
    BASE="$(awk '/listening on/ {print $3}' "$WORK/$name.out")"
    [ -n "$BASE" ] || { echo "the server did not start:"; cat "$WORK/$name.err"; exit 1; }
}
start_server cached

# The endpoints, and the same answers as static files for nginx.
ENDPOINTS=(
    "recommendations|/v1/articles/5015/recommendations?k=8"
    "trending|/v1/sites/beer/trending?k=8"
    "widget-html|/v1/sites/beer/widget.html"
    "healthz|/healthz"
)
mkdir -p "$WORK/www"
chmod 755 "$WORK" "$WORK/www"  # nginx workers run as www-data
for entry in "${ENDPOINTS[@]}"; do
    name="${entry%%|*}"; path="${entry#*|}"
    curl -sf "$BASE$path" -o "$WORK/www/$name" || { echo "GET $path failed"; exit 1; }
done
NGINX_PORT=$(( 20000 + RANDOM % 20000 ))
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location / { default_type application/json; }
    }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.5

# wrk's report → "rps p50_ms p99_ms socket_errors non2xx"
measure() {
    local out
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")"
    echo "$out" > "$WORK/last-wrk.txt"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Socket errors/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
        /Non-2xx/ { non2xx = $5 }
        END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, errors, non2xx }
    ' <<< "$out"
}

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per endpoint, on loopback, $(nproc) cores; demo data (8 sites, 2,864 articles)"
echo "trendmix serves repeated requests from its answer cache (by model revision and request); the last rows rank"
echo "every request anew: a server with --cached-answers 0, over all 2,864 articles in turn"
printf "%-16s %-9s %10s %9s %9s %7s %7s\n" endpoint server "req/s" "p50 ms" "p99 ms" errors non-2xx
for entry in "${ENDPOINTS[@]}"; do
    name="${entry%%|*}"; path="${entry#*|}"
    read -r t_rps t_p50 t_p99 t_err t_non <<< "$(measure "$BASE$path")"
    printf "%-16s %-9s %10s %9s %9s %7s %7s\n" "$name" trendmix "$t_rps" "$t_p50" "$t_p99" "$t_err" "$t_non"
    read -r n_rps n_p50 n_p99 n_err n_non <<< "$(measure "http://127.0.0.1:$NGINX_PORT/$name")"
    printf "%-16s %-9s %10s %9s %9s %7s %7s\n" "$name" nginx "$n_rps" "$n_p50" "$n_p99" "$n_err" "$n_non"
    awk -v t="$t_rps" -v n="$n_rps" -v name="$name" 'BEGIN { printf "%-16s ratio trendmix / nginx %.2f\n", name, t / n }'
done

# Every request ranked anew: no answer cache, a different article each time (a wrk Lua script walks the ids).
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server uncached --cached-answers 0
sqlite3 "$WORK/demo.sqlite" "SELECT a.external_id, s.slug FROM article a JOIN site s ON s.id = a.site_id" > "$WORK/ids.txt"
cat > "$WORK/walk.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do
    local id, site = line:match("([^|]+)|(.+)")
    ids[#ids + 1] = "/v1/articles/" .. id .. "/recommendations?k=8&site=" .. site
end
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", ids[(n % #ids) + 1])
end
LUA
out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/walk.lua" "$BASE")"
read -r u_rps u_p50 u_p99 u_err u_non <<< "$(awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Socket errors/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 } /Non-2xx/ { non2xx = $5 }
    END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, errors, non2xx }' <<< "$out")"
printf "%-16s %-9s %10s %9s %9s %7s %7s\n" "recs-uncached" trendmix "$u_rps" "$u_p50" "$u_p99" "$u_err" "$u_non"
