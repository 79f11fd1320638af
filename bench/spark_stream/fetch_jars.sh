#!/usr/bin/env bash
# Fetches Spark's Kafka source (spark-sql-kafka-0-10 for the installed pyspark) and the
# dependencies pyspark does not ship (token provider, kafka-clients, commons-pool2) from
# Maven Central into a cached folder, once; prints that folder. Jars pyspark already has
# (lz4, snappy, zstd, slf4j) are left out so that only one copy is on the classpath.
# The connector of pyspark's own version is tried first; where the repository lacks it,
# the newest patch release of the same minor line (the connector only uses APIs that are
# stable within a minor line). The version used is written to $LIBS/VERSION.
#
#   bench/spark_stream/fetch_jars.sh [PYTHON]     PYTHON: the venv's python (default .venv)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="${1:-$ROOT/.venv/bin/python}"
die() { echo "fetch_jars.sh: $*" >&2; exit 1; }

SPARK_HOME_DIR="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')" ||
  die "pyspark not importable with $PY"
SPARK_VERSION="$("$PY" -c 'import pyspark; print(pyspark.__version__)')"
CACHE="${HASHLAKE_SPARK_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hashlake/spark-kafka-$SPARK_VERSION}"
LIBS="$CACHE/libs"

if [[ ! -f "$LIBS/.complete" ]]; then
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  pom() {
    cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hashlake</groupId><artifactId>spark-kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql-kafka-0-10_2.12</artifactId>
      <version>$1</version></dependency>
  </dependencies>
</project>
POM
  }
  copy() {
    rm -rf "$LIBS.tmp"
    (cd "$work" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp") >"$work/mvn.log" 2>&1
  }
  minor="${SPARK_VERSION%.*}"
  echo "fetch_jars.sh: fetching spark-sql-kafka-0-10_2.12 $SPARK_VERSION into $LIBS" >&2
  pom "$SPARK_VERSION"
  if ! copy; then
    echo "fetch_jars.sh: $SPARK_VERSION not in the repository; trying the newest $minor.x" >&2
    pom "[$minor.0,$minor.999]"
    copy || { cat "$work/mvn.log" >&2; die "mvn could not fetch spark-sql-kafka $minor.x"; }
  fi
  ls "$LIBS.tmp" | sed -nE 's/^spark-sql-kafka-0-10_2\.12-(.*)\.jar$/\1/p' >"$LIBS.tmp/VERSION"
  # Drop what pyspark ships already (same artifact, any version): one copy per class.
  for jar in "$LIBS.tmp"/*.jar; do
    artifact="$(basename "$jar" | sed -E 's/-[0-9][^-]*(-[^-]+)?\.jar$//')"
    if compgen -G "$SPARK_HOME_DIR/jars/$artifact-[0-9]*.jar" >/dev/null; then rm -f "$jar"; fi
  done
  rm -rf "$LIBS" && mv "$LIBS.tmp" "$LIBS" && touch "$LIBS/.complete"
fi
echo "$LIBS"
