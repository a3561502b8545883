#!/usr/bin/env bash
# Do the two stores hold the same data and build the same model? Issue 21's check, on the real data sets.
#
#   bash Evaluation/checks/same_stores.sh [path/to/trendmix]     (default: .build/release/trendmix)
#
# Imports DeskDrop and the eight Stack Exchange dumps of ../shared/data into a SQLite file and into a PostgreSQL
# database of a throwaway cluster (scripts/postgres-test-server.sh), compares `trendmix stats --json` of the two,
# builds both for the same moment, and compares the stored models row by row with same_model.py (1e-12).
# Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-.build/release/trendmix}"
DATA="../shared/data"
NOW="2017-02-28T00:00:00Z"
[ -d "$DATA/deskdrop" ] && [ -d "$DATA/stackexchange" ] || { echo "skipped: $DATA is absent"; exit 0; }
[ -x "$BIN" ] || { echo "no trendmix at $BIN (swift build -c release --product trendmix)" >&2; exit 66; }

WORK="$(mktemp -d /tmp/trendmix-same.XXXXXX)"
# shellcheck source=../../scripts/postgres-test-server.sh
source scripts/postgres-test-server.sh
cleanup() { stop_postgres_test_server; rm -rf "$WORK"; }
trap cleanup EXIT
start_postgres_test_server >/dev/null
psql "$TRENDMIX_TEST_POSTGRES" -X -q -c "CREATE DATABASE same_stores"
PG="${TRENDMIX_TEST_POSTGRES%/*}/same_stores"
SQLITE="$WORK/same.sqlite"

for db in "$SQLITE" "$PG"; do
    "$BIN" import deskdrop "$DATA/deskdrop/users_interactions.csv" --db "$db" >/dev/null
    for dump in "$DATA"/stackexchange/*/; do
        name="$(basename "$dump")"
        "$BIN" import stackexchange "$dump" --db "$db" --base-url "https://$name.stackexchange.com" >/dev/null
    done
done

"$BIN" stats --db "$SQLITE" --json >"$WORK/stats-sqlite.json"
"$BIN" stats --db "$PG" --json >"$WORK/stats-postgres.json"
if cmp -s "$WORK/stats-sqlite.json" "$WORK/stats-postgres.json"; then
    python3 - "$WORK/stats-sqlite.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"stats: identical ({len(s['sites'])} sites, {s['articles']:,} articles, {s['events']:,} events, "
      f"{s['readers']:,} readers)")
EOF
else
    echo "stats differ:"; diff "$WORK/stats-sqlite.json" "$WORK/stats-postgres.json" | head -20; exit 1
fi

for db in "$SQLITE" "$PG"; do
    "$BIN" build --db "$db" --now "$NOW" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done
python3 Evaluation/checks/same_model.py "$SQLITE" "$PG"
