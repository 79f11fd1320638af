#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft: broker + controller in one JVM) on 127.0.0.1 for tests
# and benchmarks, from Kafka's own jars on Maven Central (fetched once, cached).
#
#   scripts/kafka.sh fetch                 download the jars (idempotent)
#   scripts/kafka.sh start [PORT]          format storage if new, start, wait until it serves
#   scripts/kafka.sh stop [PORT]           SIGTERM, wait for a clean shutdown (data kept)
#   scripts/kafka.sh status [PORT]         exit 0 when running and serving
#   scripts/kafka.sh clean [PORT]          stop and delete the broker's data
#   scripts/kafka.sh producer-perf ARGS…   org.apache.kafka.tools.ProducerPerformance
#   scripts/kafka.sh consumer-perf ARGS…   org.apache.kafka.tools.ConsumerPerformance
#   scripts/kafka.sh run CLASS ARGS…       any main class on the broker's classpath
#
# PORT defaults to 9092; the controller listens on PORT+1. State (data, log, pid) lives in
# $HASHLAKE_KAFKA_DIR, default /tmp/hashlake-kafka-PORT. Needs java (17+) and mvn.
set -euo pipefail

KAFKA_VERSION="${HASHLAKE_KAFKA_VERSION:-3.9.1}"
CACHE="${HASHLAKE_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hashlake/kafka-$KAFKA_VERSION}"
LIBS="$CACHE/libs"
HEAP="${HASHLAKE_KAFKA_HEAP:--Xms256m -Xmx768m}"

die() { echo "kafka.sh: $*" >&2; exit 1; }

fetch() {
  [[ -f "$LIBS/.complete" ]] && return 0
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  command -v java >/dev/null || die "java not found (apt-get install openjdk-17-jre-headless)"
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hashlake</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId>
      <version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
  echo "kafka.sh: fetching Apache Kafka $KAFKA_VERSION jars into $LIBS" >&2
  rm -rf "$LIBS.tmp"
  (cd "$work" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$LIBS.tmp") || die "mvn could not fetch Kafka $KAFKA_VERSION"
  rm -rf "$LIBS" && mv "$LIBS.tmp" "$LIBS" && touch "$LIBS/.complete"
  rm -rf "$work"
}

port_of() { echo "${1:-9092}"; }
state_dir() { echo "${HASHLAKE_KAFKA_DIR:-/tmp/hashlake-kafka-$1}"; }
java_run() { java $HEAP -cp "$LIBS/*" -Dlog4j.configuration="file:$LOG4J" "$@"; }

write_configs() {
  local port=$1 dir=$2 cport=$(($1 + 1))
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=9223372036854775807
PROPS
  cat >"$dir/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
PROPS
}

running() {  # pid file names a live java process
  local dir=$1
  [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

serving() {  # the broker port accepts connections and the log says the server started
  local port=$1 dir=$2
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
  grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null
}

start() {
  local port dir
  port=$(port_of "${1:-}")
  dir=$(state_dir "$port")
  fetch
  if running "$dir"; then
    echo "kafka.sh: already running on 127.0.0.1:$port (pid $(cat "$dir/pid"))" >&2
    return 0
  fi
  write_configs "$port" "$dir"
  LOG4J="$dir/log4j.properties"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    java_run kafka.tools.StorageTool format -t "$(java_run kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" >"$dir/format.log" 2>&1 || {
      cat "$dir/format.log" >&2
      die "formatting KRaft storage in $dir failed"
    }
  fi
  : >"$dir/server.log"
  nohup java $HEAP -cp "$LIBS/*" -Dlog4j.configuration="file:$LOG4J" kafka.Kafka \
    "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/pid"
  local deadline=$((SECONDS + ${HASHLAKE_KAFKA_START_TIMEOUT:-90}))
  until serving "$port" "$dir"; do
    if ! running "$dir"; then
      tail -n 30 "$dir/stdout.log" "$dir/server.log" >&2
      die "broker exited during startup (see $dir/server.log)"
    fi
    ((SECONDS < deadline)) || die "broker not serving on 127.0.0.1:$port after timeout"
    sleep 0.2
  done
  echo "kafka.sh: Kafka $KAFKA_VERSION serving on 127.0.0.1:$port (pid $(cat "$dir/pid"), dir $dir)"
}

stop() {
  local port dir pid
  port=$(port_of "${1:-}")
  dir=$(state_dir "$port")
  if ! running "$dir"; then
    rm -f "$dir/pid"
    echo "kafka.sh: not running on port $port"
    return 0
  fi
  pid=$(cat "$dir/pid")
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka.sh: broker $pid did not stop in 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
  echo "kafka.sh: stopped broker on port $port"
}

status() {
  local port dir
  port=$(port_of "${1:-}")
  dir=$(state_dir "$port")
  if running "$dir" && serving "$port" "$dir"; then
    echo "kafka.sh: running on 127.0.0.1:$port (pid $(cat "$dir/pid"), dir $dir)"
  else
    echo "kafka.sh: not running on port $port"
    return 1
  fi
}

tool() {
  fetch
  local class=$1
  shift
  LOG4J="${HASHLAKE_KAFKA_TOOLS_LOG4J:-$CACHE/tools-log4j.properties}"
  [[ -f "$LOG4J" ]] || printf 'log4j.rootLogger=WARN, err\nlog4j.appender.err=org.apache.log4j.ConsoleAppender\nlog4j.appender.err.Target=System.err\nlog4j.appender.err.layout=org.apache.log4j.PatternLayout\nlog4j.appender.err.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' >"$LOG4J"
  java_run "$class" "$@"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  fetch) fetch ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  clean) stop "$@"; rm -rf "$(state_dir "$(port_of "${1:-}")")" ;;
  producer-perf) tool org.apache.kafka.tools.ProducerPerformance "$@" ;;
  consumer-perf) tool org.apache.kafka.tools.ConsumerPerformance "$@" ;;
  run) tool "$@" ;;
  *) die "usage: kafka.sh fetch|start|stop|status|clean [PORT] | producer-perf|consumer-perf ARGS… | run CLASS ARGS…" ;;
esac
