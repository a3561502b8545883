#!/usr/bin/env bash
# SAR equivalence on DeskDrop, end to end: installs the pinned peer into a virtualenv, imports DeskDrop, exports
# the events and Trendmix's SAR-mode lists, and compares them with SAR's own.
#   bash Evaluation/peers/run_sar_equivalence.sh [work folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/trendmix-sar}"
data="$root/../shared/data/deskdrop/users_interactions.csv"
[ -f "$data" ] || { echo "DeskDrop is not at $data" >&2; exit 1; }
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q --no-deps recommenders==1.2.1
    "$work/venv/bin/pip" install -q -r "$root/Evaluation/peers/requirements.txt"
fi
cd "$root"
swift build -c release --product trendmix >/dev/null
rm -f "$work/deskdrop.sqlite"*
.build/release/trendmix import deskdrop "$data" --db "$work/deskdrop.sqlite" >/dev/null
.build/release/trendmix peer-export --peer sar --db "$work/deskdrop.sqlite" --out "$work/sar"
"$work/venv/bin/python" "$root/Evaluation/peers/sar_equivalence.py" "$work/sar"
