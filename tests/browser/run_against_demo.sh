#!/usr/bin/env bash
# Runs the browser test against a real `hashlake demo` (synthetic feed) on a free port,
# then stops the demo with SIGINT and checks that it exited cleanly.
#   HASHLAKE_BUILD_DIR  where the hashlake binary is (default build/)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${HASHLAKE_BUILD_DIR:-build}/hashlake"
DATA="$(mktemp -d)"
OUT="$DATA/demo.out"
"$BIN" demo --data "$DATA/data" --port 0 --window 2s --watermark 1s --rate 500 >"$OUT" 2>"$DATA/demo.err" &
DEMO=$!
trap 'kill -9 $DEMO 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do
  URL="$(grep -o 'http://[0-9.]*:[0-9]*/' "$OUT" || true)"
  [ -n "$URL" ] && break
  kill -0 $DEMO 2>/dev/null || { cat "$DATA/demo.err"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "the demo never printed its dashboard URL"; exit 1; }
echo "dashboard at $URL"
status=0
HASHLAKE_URL="$URL" node --test tests/browser/ || status=$?
kill -INT $DEMO
wait $DEMO || { echo "demo exited with $? after SIGINT"; cat "$DATA/demo.err"; exit 1; }
exit $status
