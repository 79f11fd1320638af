#!/usr/bin/env bash
# Produce and consume throughput against a real Kafka broker: hashlake (librdkafka) side by
# side with Kafka's own kafka-producer-perf-test / kafka-consumer-perf-test from the same jars.
#
#   bench/kafka_bench.sh [POSTS] [PORT]        defaults: 200000 posts, a free port
#
# Both producers use the same settings: idempotent, acks=all, lz4, linger 5 ms, 1 MiB
# batches, 4 partitions. The perf tool sends records of hashlake's average encoded size.
# Both consumers read the same topic (the one hashlake wrote). hashlake's producer figure
# includes generating the synthetic posts and encoding them; its consumer figure includes
# the manual commit after every poll. Needs a built hashlake (HASHLAKE_BUILD_DIR, default
# build/), java and mvn. Prints a table and the ratios.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${HASHLAKE_BUILD_DIR:-$ROOT/build}/hashlake"
POSTS="${1:-200000}"
PORT="${2:-$(python3 -c 'import socket
for _ in range(50):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); t.close(); print(p); break
    except OSError:
        pass')}"
B="127.0.0.1:$PORT"
[[ -x "$BIN" ]] || { echo "kafka_bench: $BIN not found (set HASHLAKE_BUILD_DIR)" >&2; exit 1; }

export HASHLAKE_KAFKA_DIR
HASHLAKE_KAFKA_DIR="$(mktemp -d /tmp/hashlake-kafka-bench.XXXXXX)"
WORK="$(mktemp -d)"
cleanup() { "$ROOT/scripts/kafka.sh" stop "$PORT" >/dev/null; rm -rf "$HASHLAKE_KAFKA_DIR" "$WORK"; }
trap cleanup EXIT
"$ROOT/scripts/kafka.sh" start "$PORT" >&2

"$BIN" topics create --bootstrap "$B" --topic hl-bench --partitions 4 >&2
"$BIN" topics create --bootstrap "$B" --topic kf-bench --partitions 4 >&2
URL="kafka://$B/hl-bench?compression=lz4&linger_ms=5&batch_bytes=1048576"

# --- produce -----------------------------------------------------------------------------
"$BIN" collect --source synth --rate 0 --limit "$POSTS" --to "$URL" >"$WORK/collect.out" \
  2>"$WORK/collect.err"
hl_line=$(grep -o 'sent [0-9]* records, [0-9]* bytes in [0-9.]* s' "$WORK/collect.err" | tail -1)
read -r hl_records hl_bytes hl_secs < <(echo "$hl_line" | awk '{print $2, $4, $7}')
avg_size=$((hl_bytes / hl_records))

"$ROOT/scripts/kafka.sh" producer-perf --topic kf-bench --num-records "$POSTS" \
  --record-size "$avg_size" --throughput -1 --producer-props "bootstrap.servers=$B" acks=all \
  enable.idempotence=true compression.type=lz4 linger.ms=5 batch.size=1048576 \
  >"$WORK/pperf.out" 2>"$WORK/pperf.err"
kf_line=$(grep 'records sent' "$WORK/pperf.out" | tail -1)
kf_prate=$(echo "$kf_line" | sed -E 's/.* ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\).*/\1/')
kf_pmb=$(echo "$kf_line" | sed -E 's/.* ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\).*/\2/')

# --- consume (both read hl-bench) ---------------------------------------------------------
"$BIN" topics consume --bootstrap "$B" --topic hl-bench --group hl-reader --format none \
  --limit "$POSTS" --idle 5 2>"$WORK/consume.err" >/dev/null
c_line=$(grep -o 'consumed [0-9]* messages, [0-9]* bytes in [0-9.]* s' "$WORK/consume.err")
read -r hc_msgs hc_bytes hc_secs < <(echo "$c_line" | awk '{print $2, $4, $7}')

"$ROOT/scripts/kafka.sh" consumer-perf --bootstrap-server "$B" --topic hl-bench \
  --messages "$POSTS" --group kf-reader --timeout 60000 >"$WORK/cperf.out" 2>"$WORK/cperf.err"
# start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.ms, fetch.ms, fetch.MB.sec, fetch.nMsg.sec
kf_c=$(grep -E '^[0-9]{4}-' "$WORK/cperf.out" | tail -1)
kf_cmb=$(echo "$kf_c" | awk -F', ' '{print $9}')
kf_crate=$(echo "$kf_c" | awk -F', ' '{print $10}')

python3 - "$POSTS" "$avg_size" "$hl_records" "$hl_bytes" "$hl_secs" "$kf_prate" "$kf_pmb" \
  "$hc_msgs" "$hc_bytes" "$hc_secs" "$kf_crate" "$kf_cmb" <<'PY'
import sys
posts, size, hr, hb, hs, kpr, kpm, cm, cb, cs, kcr, kcm = sys.argv[1:]
hr, hb, hs, cm, cb, cs = int(hr), int(hb), float(hs), int(cm), int(cb), float(cs)
kpr, kpm, kcr, kcm = float(kpr), float(kpm), float(kcr), float(kcm)
hp_rate, hp_mb = hr / hs, hb / hs / 1e6
hc_rate, hc_mb = cm / cs, cb / cs / 1e6
print(f"Kafka bench: {posts} posts, avg {size} bytes/record, 4 partitions, lz4, acks=all, idempotent")
print(f"{'':28}{'posts/s':>12}{'MB/s':>9}")
print(f"{'produce  hashlake collect':28}{hp_rate:>12,.0f}{hp_mb:>9.2f}")
print(f"{'produce  kafka-producer-perf':28}{kpr:>12,.0f}{kpm * 1.048576:>9.2f}")
print(f"{'consume  hashlake consumer':28}{hc_rate:>12,.0f}{hc_mb:>9.2f}")
print(f"{'consume  kafka-consumer-perf':28}{kcr:>12,.0f}{kcm * 1.048576:>9.2f}")
print(f"ratio hashlake / Kafka: produce {hp_rate / kpr:.2f}x, consume {hc_rate / kcr:.2f}x (posts/s)")
PY
