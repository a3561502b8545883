#!/usr/bin/env bash
# Renders a widgets preview page (trendmix widgets / trendmix demo) to PNG with headless Chromium, so a person can
# look at the mix: scripts/render-preview.sh [index.html] [out.png] [width]
# Needs Debian's chromium package (apt-get install -y chromium).
set -euo pipefail
page="${1:-demo-widgets/index.html}"
png="${2:-preview.png}"
width="${3:-1280}"
[ -f "$page" ] || { echo "no page at $page: run 'swift run -c release trendmix demo' first" >&2; exit 1; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium is not installed: apt-get install -y chromium" >&2; exit 1; }
abs="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,2400" \
    --screenshot="$png" "file://$abs" 2>/dev/null
echo "wrote $png"
