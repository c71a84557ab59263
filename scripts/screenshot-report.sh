#!/usr/bin/env bash
# Screenshots an HTML report in headless Chromium, so a change to the report can be checked by eye:
#   scripts/screenshot-report.sh <report.html> <out.png> [width,height] ["#step=N"]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <report.html> <out.png> [width,height] [#step=N]" >&2
  exit 2
fi
html="$(realpath "$1")"
png="$2"
size="${3:-1600,1000}"
fragment="${4:-}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "no chromium found: apt-get install -y chromium" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
  --virtual-time-budget=3000 --screenshot="$png" "file://${html}${fragment}" 2>/dev/null
echo "$png"
