#!/usr/bin/env bash
# hashlake's stream processor side by side with Spark Structured Streaming on one Kafka
# broker: throughput (available-now over P posts), latency to the lake (1 s trigger at a
# steady rate), and a check that both wrote the same window counts. See bench/README.md.
#
#   bench/spark_stream/run.sh [--posts 200000] [--cores N] [--rate 2000] [--seconds 60]
#                             [--engines hashlake,spark] [--modes throughput,latency]
#                             [--out FILE.json] [--keep] …      (--help lists them all)
#
# Needs the venv (.venv: pyspark, delta-spark, deltalake), java 17, mvn, and a built
# hashlake ($HASHLAKE_BUILD_DIR or --build-dir, default build/).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="$ROOT/.venv/bin/python"
[[ -x "$PY" ]] || { echo "run.sh: $PY not found (scripts/test.sh sets up the venv)" >&2; exit 1; }
export TZ=UTC
exec "$PY" "$ROOT/bench/spark_stream/bench.py" "$@"
