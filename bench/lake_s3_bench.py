"""Delta append throughput and commit latency on S3, hashlake vs delta-rs, same server, same run.

Starts the local S3-compatible server (tests/servers/s3_server.py: moto, 127.0.0.1), then:
  1. hashlake appends BATCHES x ROWS rows (partitioned by date/source) through the
     `s3_lake_tool --bench-append` helper; delta-rs appends the same rows, batch by batch
     (read back from hashlake's table), with `conditional_put=etag` (If-None-Match commits);
  2. both make COMMITS single-row appends (commit latency: log listing + data PUT + commit).

    HASHLAKE_BUILD_DIR=build .venv/bin/python bench/lake_s3_bench.py [--batches 20] [--rows 20000]

The server is Python (moto): absolute numbers are bounded by it, so compare the two engines,
not these figures with AWS.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import deltalake
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", ROOT / "build"))
TOOL = BUILD_DIR / "src" / "hashlake" / "lake" / "s3_lake_tool"
BUCKET = "lake"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--commits", type=int, default=50)
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, str(ROOT / "tests/servers/s3_server.py"),
                               "--port", "0", "--bucket", BUCKET],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = next(int(line.split()[1]) for line in server.stdout if line.startswith("ready "))
        endpoint = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_EC2_METADATA_DISABLED="true")
        storage = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test",
                   "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
                   "AWS_ALLOW_HTTP": "true", "conditional_put": "etag"}

        def uri(prefix: str) -> str:
            return f"s3://{BUCKET}/{prefix}?endpoint={endpoint}&region=us-east-1"

        out = subprocess.run([str(TOOL), "--bench-append", uri("hashlake"), "--count",
                              str(args.batches), "--rows", str(args.rows)],
                             capture_output=True, text=True, env=env, check=True)
        ours = json.loads(out.stdout.strip().splitlines()[-1])

        table = deltalake.DeltaTable(f"s3://{BUCKET}/hashlake", storage_options=storage)
        table = table.to_pyarrow_table().sort_by("id")
        per = table.num_rows // args.batches
        batches = [table.slice(i * per, per) for i in range(args.batches)]
        latencies = []
        start = time.perf_counter()
        for b in batches:
            t0 = time.perf_counter()
            deltalake.write_deltalake(f"s3://{BUCKET}/deltars", b, mode="append",
                                      partition_by=["date", "source"], storage_options=storage)
            latencies.append((time.perf_counter() - t0) * 1000)
        theirs_s = time.perf_counter() - start
        theirs = deltalake.DeltaTable(f"s3://{BUCKET}/deltars", storage_options=storage)
        theirs_bytes = sum(pa.table(theirs.get_add_actions(flatten=True))
                           .column("size_bytes").to_pylist())

        print(f"S3 (moto on 127.0.0.1) append: {args.batches} commits x {args.rows} rows, "
              f"partitioned by date/source")
        print(f"{'engine':10} {'rows/s':>12} {'MB/s':>8} {'p50 commit ms':>14} {'max ms':>8}")
        for name, rows, secs, nbytes, lat in [
            ("hashlake", ours["rows"], ours["seconds"], ours["bytes"], ours["latencies_ms"]),
            ("delta-rs", per * args.batches, theirs_s, theirs_bytes, latencies),
        ]:
            print(f"{name:10} {rows / secs:12.0f} {nbytes / secs / 1e6:8.2f} "
                  f"{statistics.median(lat):14.2f} {max(lat):8.2f}")

        # Small commits: one row each (a streaming writer's steady state).
        subprocess.run([str(TOOL), "--append-rows", uri("small-hashlake"), "--writer", "1",
                        "--count", "1"], env=env, check=True)
        t0 = time.perf_counter()
        subprocess.run([str(TOOL), "--append-rows", uri("small-hashlake"), "--writer", "2",
                        "--count", str(args.commits)], env=env, check=True)
        ours_ms = (time.perf_counter() - t0) * 1000 / args.commits
        row = pa.table({"id": pa.array([1], pa.int64()), "writer": pa.array([1], pa.int32())})
        deltalake.write_deltalake(f"s3://{BUCKET}/small-deltars", row, mode="append",
                                  storage_options=storage)
        # Both keep the table open between commits (delta-rs: a DeltaTable object, which
        # write_deltalake updates in place; a URI would re-open the log every time).
        opened = deltalake.DeltaTable(f"s3://{BUCKET}/small-deltars", storage_options=storage)
        small = []
        for _ in range(args.commits):
            t0 = time.perf_counter()
            deltalake.write_deltalake(opened, row, mode="append")
            small.append((time.perf_counter() - t0) * 1000)
        print(f"single-row commits ({args.commits}; hashlake checkpoints every 10): hashlake "
              f"{ours_ms:.1f} ms mean (one process, table opened once); delta-rs "
              f"{statistics.mean(small):.1f} ms mean, {statistics.median(small):.1f} ms p50 "
              f"(DeltaTable kept open)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
