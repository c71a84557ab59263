#!/usr/bin/env bash
# The test command: makes sure redis-server is installed, runs every vitest suite, and closes with one
# "N passed, N failed" line for whoever reads the log.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-redis.sh || exit 1
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
npx vitest run --reporter=default --reporter=json --outputFile.json="$summary" "$@"
status=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$summary" 2>/dev/null || echo "0 passed, 1 failed"
exit $status
