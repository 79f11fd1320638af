"""Latency to the lake: when did each post become readable in a Delta table?

Polls TABLE every --interval seconds with delta-rs (`update_incremental`); when a new
version appears, the time it was seen is stamped on every row of the data files that
version added, and each row's latency is that time minus its `ingested_at` (the time the
producer made the post, on this machine's clock). Rows with ingested_at before --since-us
are ignored (a warm-up), and so are files present when polling starts (noted before --ready
is written); a post id seen
before (a rewritten file, e.g. after compaction) counts once. Stops when
--expect rows have been seen, at --timeout, or on SIGTERM/SIGINT; writes a JSON summary.

  poll_latency.py TABLE --since-us MICROS --expect N --timeout S --out FILE
"""

import argparse
import json
import signal
import sys
import time
from urllib.parse import unquote, urlparse

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable


def local_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme in ("file", "") else uri


def read_rows(uri: str) -> tuple[list, np.ndarray]:
    """(ids, ingested_at micros) of one data file."""
    t = pq.read_table(local_path(uri), columns=["id", "ingested_at"])
    ingested = t.column("ingested_at")
    # Spark writes INT96 timestamps (read back as nanoseconds): normalize to micros first.
    ingested = pc.cast(ingested, pa.timestamp("us", ingested.type.tz))
    return (t.column("id").to_pylist(),
            pc.cast(ingested, "int64").to_numpy(zero_copy_only=False))


def summarize(latencies_us: np.ndarray, versions: int, expect: int, elapsed: float) -> dict:
    out = {"rows": int(latencies_us.size), "expected": expect, "versions_seen": versions,
           "polling_s": round(elapsed, 3)}
    if latencies_us.size:
        ms = latencies_us / 1000.0
        out.update({
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p90_ms": round(float(np.percentile(ms, 90)), 1),
            "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "max_ms": round(float(ms.max()), 1),
            "mean_ms": round(float(ms.mean()), 1),
        })
    return out


def main(argv) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("table")
    p.add_argument("--since-us", type=int, required=True)
    p.add_argument("--expect", type=int, required=True)
    p.add_argument("--timeout", type=float, required=True)
    p.add_argument("--interval", type=float, default=0.02)
    p.add_argument("--out", required=True)
    p.add_argument("--ready", help="file written once the files present at start are noted")
    args = p.parse_args(argv)

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda s, _f: stop.append(s))
    start = time.monotonic()
    deadline = start + args.timeout
    while not DeltaTable.is_deltatable(args.table):
        if stop or time.monotonic() > deadline:
            break
        time.sleep(args.interval)
    chunks, count, versions, seen_ids = [], 0, 0, set()
    if DeltaTable.is_deltatable(args.table):
        table = DeltaTable(args.table)
        seen_files = set(table.file_uris())
        version = table.version()
        if args.ready:  # the runner starts the producer only now, so no live file is skipped
            with open(args.ready, "w") as f:
                f.write(str(version))
        while count < args.expect and not stop and time.monotonic() < deadline:
            tick = time.monotonic()
            table.update_incremental()
            if table.version() != version:
                seen_us = time.time_ns() // 1000
                version = table.version()
                versions += 1
                for uri in table.file_uris():
                    if uri in seen_files:
                        continue
                    seen_files.add(uri)
                    ids, ingested = read_rows(uri)
                    fresh = np.fromiter((i not in seen_ids for i in ids), bool, len(ids))
                    seen_ids.update(ids)
                    ingested = ingested[fresh & (ingested >= args.since_us)]
                    chunks.append(seen_us - ingested)
                    count += ingested.size
            time.sleep(max(0.0, args.interval - (time.monotonic() - tick)))
    latencies = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int64)
    summary = summarize(latencies, versions, args.expect, time.monotonic() - start)
    with open(args.out, "w") as f:
        json.dump(summary, f)
    print("POLL " + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
