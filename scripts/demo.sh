#!/usr/bin/env bash
# The README's first command: installs, builds and runs `hashlake demo` on embedded
# defaults (synthetic feed -> embedded log -> stream -> Delta lake -> dashboard).
# Arguments go to `hashlake demo` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
HASHLAKE_BUILD_TESTS=OFF scripts/build.sh -DHASHLAKE_BUILD_TESTS=OFF -DHASHLAKE_BUILD_BENCH=OFF
exec build/hashlake demo "$@"
