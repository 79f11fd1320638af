#!/usr/bin/env bash
# The README's second command: installs what is missing, then builds and runs every test:
#   1. unit tests (GoogleTest via ctest), warnings as errors
#   2. the same unit tests built with AddressSanitizer + UndefinedBehaviorSanitizer
#   3. integration tests (pytest): delta-rs and Spark interop, the demo end to end, bad input,
#      kill -9, a real Kafka broker, an S3-compatible server, live-source replays, LDA vs
#      gensim, the scheduler and a real Airflow
#   4. the browser test (headless Chromium driven by playwright-core)
# Set HASHLAKE_SKIP_ASAN=1 to skip step 2 on a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
log() { printf '\n\033[1m[test]\033[0m %s\n' "$*"; }

scripts/setup.sh

log "build (RelWithDebInfo, -Werror) into build-test/"
BUILD_DIR=build-test scripts/build.sh -DHASHLAKE_WERROR=ON -DHASHLAKE_BUILD_TESTS=ON \
  -DHASHLAKE_BUILD_BENCH=ON

log "unit tests"
ctest --test-dir build-test --output-on-failure -j"$(nproc)" --timeout 300

if [ "${HASHLAKE_SKIP_ASAN:-0}" != "1" ]; then
  log "unit tests under AddressSanitizer + UBSan (build-asan/)"
  BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DHASHLAKE_SANITIZE=ON \
    -DHASHLAKE_BUILD_TESTS=ON -DHASHLAKE_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 600
fi

log "integration tests"
mkdir -p test-artifacts
HASHLAKE_REQUIRE_AIRFLOW=1 HASHLAKE_BUILD_DIR="$ROOT/build-test" HASHLAKE_ARTIFACTS="$ROOT/test-artifacts" \
  .venv/bin/python -m pytest -q tests/integration

log "browser test (headless Chromium against hashlake demo)"
HASHLAKE_BUILD_DIR="$ROOT/build-test" HASHLAKE_ARTIFACTS="$ROOT/test-artifacts" \
  tests/browser/run_against_demo.sh
