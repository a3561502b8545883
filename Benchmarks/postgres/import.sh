#!/usr/bin/env bash
# Import benchmark on PostgreSQL (issue 21): `trendmix import` of generated events into a PostgreSQL database,
# against `psql -c "\copy …"` of the very same rows into the very same table, in one run on one server.
#
#   bash Benchmarks/postgres/import.sh [--events 5000000]
#
# Starts a throwaway PostgreSQL cluster (scripts/postgres-test-server.sh; Debian's postgresql), generates a
# workload with `trendmix generate`, imports its catalogue, then times the import of its events alone. psql then
# copies the rows Trendmix stored (as `event` holds them) into `event` after it is emptied: the same rows, the
# same table and partitions. Prints both rates and Trendmix's as a share of psql's, then the same for psql
# copying each row and its idempotency key (event and event_key: what a stored event occupies). The first psql
# figure writes no key and neither figure resolves anything; Trendmix parses the CSV, checks every field and
# reference, assigns readers and skips events already stored.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

EVENTS=5000000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) EVENTS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql)" >&2; exit 69; }

WORK="$(mktemp -d /tmp/trendmix-pg-bench.XXXXXX)"
chmod 755 "$WORK"
# shellcheck source=../../scripts/postgres-test-server.sh
source scripts/postgres-test-server.sh
cleanup() { stop_postgres_test_server; rm -rf "$WORK"; }
trap cleanup EXIT
start_postgres_test_server >/dev/null

swift build -c release --product trendmix >/dev/null
BIN="$(swift build -c release --show-bin-path)/trendmix"
ARTICLES=$((EVENTS / 100))
"$BIN" generate --out "$WORK/data" --events "$EVENTS" --articles "$ARTICLES" --readers $((EVENTS / 20)) >/dev/null
mkdir "$WORK/catalogue" "$WORK/events"
mv "$WORK/data/sites.csv" "$WORK/data/articles.csv" "$WORK/catalogue/"
mv "$WORK/data/events.csv" "$WORK/events/"

SERVER="$TRENDMIX_TEST_POSTGRES"
psql "$SERVER" -X -q -c "CREATE DATABASE bench"
DB="${SERVER%/*}/bench"
"$BIN" import canonical "$WORK/catalogue" --db "$DB" >/dev/null

seconds() { python3 -c 'import sys, time; print(f"{time.monotonic():.3f}")'; }
start=$(seconds)
"$BIN" import canonical "$WORK/events" --db "$DB" >/dev/null
end=$(seconds)
stored=$(psql "$DB" -X -A -t -c "SELECT count(*) FROM event")
trendmix_s=$(python3 -c "print(f'{$end - $start:.2f}')")

COLUMNS="site_id, article_id, reader_id, session, type, occurred_at, value, source_id"
psql "$DB" -X -q -c "\\copy (SELECT $COLUMNS FROM event ORDER BY id) TO '$WORK/rows.tsv'"
psql "$DB" -X -q -c "TRUNCATE event" -c "CHECKPOINT"
start=$(seconds)
psql "$DB" -X -q -c "\\copy event($COLUMNS) FROM '$WORK/rows.tsv'"
end=$(seconds)
psql_s=$(python3 -c "print(f'{$end - $start:.2f}')")
copied=$(psql "$DB" -X -A -t -c "SELECT count(*) FROM event")

# What a stored event occupies in all: its row and its idempotency key (event_key and its primary key index).
psql "$DB" -X -q -c "\\copy (SELECT site_id, source_id, occurred_at, event_id FROM event_key ORDER BY event_id) TO '$WORK/keys.tsv'"
psql "$DB" -X -q -c "TRUNCATE event, event_key" -c "CHECKPOINT"
start=$(seconds)
psql "$DB" -X -q -c "\\copy event($COLUMNS) FROM '$WORK/rows.tsv'" \
    -c "\\copy event_key(site_id, source_id, occurred_at, event_id) FROM '$WORK/keys.tsv'"
end=$(seconds)
both_s=$(python3 -c "print(f'{$end - $start:.2f}')")

python3 - "$stored" "$trendmix_s" "$copied" "$psql_s" "$both_s" <<'EOF'
import sys
stored, t, copied, p, b = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"trendmix import: {stored:,} events in {t:.2f} s = {stored / t:,.0f} events/s")
print(f"psql \\copy:      {copied:,} rows in {p:.2f} s = {copied / p:,.0f} rows/s")
print(f"ratio (trendmix / psql): {(stored / t) / (copied / p):.2f}")
print(f"psql \\copy of the rows and their keys (event, event_key): {b:.2f} s = {copied / b:,.0f} events/s; "
      f"ratio {(stored / t) / (copied / b):.2f}")
EOF
