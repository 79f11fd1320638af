#!/usr/bin/env bash
# The stream processor's ceiling: posts/s per CPU-second from the embedded log to the lake,
# on real-shaped posts (the X API v2 fixtures of ../shared/data/tweets, replayed ROUNDS
# times), with and without cleaning (tokens, language id, areas). The issue's target is
# 1,000,000 posts/s per core.
#
#   bench/process_ceiling.sh [ROUNDS]     (default 500: about 495k posts)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-500}"
BIN="${BUILD_DIR:-build}/hashlake"
DATA="../shared/data/tweets/twitter_v2"
[[ -x "$BIN" ]] || { echo "process_ceiling.sh: build first ($BIN missing)" >&2; exit 1; }
[[ -d "$DATA" ]] || { echo "process_ceiling.sh: $DATA is absent" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

files=()
for _ in $(seq "$ROUNDS"); do
  for f in twarc-csv_withheld twarc-csv_2sets twarc-csv_brexit twarc-csv_entities_test; do
    files+=(--file "$DATA/$f.jsonl")
  done
done
"$BIN" collect --source replay "${files[@]}" --speed 0 --to "log://$WORK/log?partitions=4" \
  --set log.level=warn | tail -1
bytes=$(du -sb "$WORK/log" | cut -f1)
echo "log: $((bytes / 1024 / 1024)) MiB"

run() {  # NAME ENRICH THREADS
  local out group="run-$2-$3"
  out=$( { /usr/bin/time -f "TIME %e %U %S %M" "$BIN" --set log.level=warn \
           --set "stream.enrich=$2" process --from "log://$WORK/log" --data "$WORK/$group" \
           --group "$group" --threads "$3" --watermark 100000d --available-now \
           --close-windows; } 2>&1) || { echo "$out" >&2; return 1; }
  local n wall user sys rss
  n=$(grep -o '"posts":[0-9]*' <<<"$out" | cut -d: -f2)
  read -r wall user sys rss < <(grep '^TIME' <<<"$out" | cut -d' ' -f2-)
  awk -v name="$1" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
    cpu = u + s
    printf "%-28s %9d posts %7.2f s wall %7.2f s cpu %9.0f posts/s %9.0f posts/cpu-s  %5.3fx of 1M  %6.0f MiB\n",
           name, n, w, cpu, n / w, n / cpu, n / cpu / 1e6, r / 1024 }'
}
run "cleaned, 1 thread" true 1
run "cleaned, 2 threads" true 2
run "as given, 1 thread" false 1
