#!/usr/bin/env bash
# Runs the pipeline benchmark and its peer on the same posts, and prints the ratios.
#   bench/run_pipeline_bench.sh [POSTS]      (default 200000; build first: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS="${1:-200000}"
BUILD_DIR="${BUILD_DIR:-build}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BUILD_DIR/bench/pipeline_bench" --posts "$POSTS" --dir "$WORK/hashlake" --ndjson "$WORK/posts.ndjson" | tee "$WORK/ours.txt"
.venv/bin/python bench/peer_deltars.py "$WORK/posts.ndjson" "$WORK/peer" | tee "$WORK/peer.txt"
ours=$(grep '^RESULT hashlake' "$WORK/ours.txt")
peer=$(grep '^RESULT peer' "$WORK/peer.txt")
get() { echo "$1" | sed -E "s/.*$2=([0-9.]+).*/\1/"; }
awk -v a="$(get "$ours" posts_per_core_s)" -v b="$(get "$peer" posts_per_core_s)" \
    -v c="$(get "$ours" peak_mib)" -v d="$(get "$peer" peak_mib)" \
    'BEGIN { printf "ratio: hashlake/peer throughput per core %.2fx, peak memory %.2fx\n", a/b, c/d }'
