"""Delta append throughput and commit latency, hashlake vs delta-rs, plus snapshot load time.

Runs the C++ side through the `lake_interop_writer` helper (modes --bench-append and
--bench-load) and delta-rs (`deltalake.write_deltalake`) on the same rows in the same run.

    HASHLAKE_BUILD_DIR=build .venv/bin/python bench/lake_bench.py [--batches 20] [--rows 20000]
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import deltalake

BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", "/work/main/build"))
HELPER = BUILD_DIR / "src" / "hashlake" / "lake" / "lake_interop_writer"


def helper(*args: str) -> dict:
    out = subprocess.run([str(HELPER), *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--commits", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours_dir = Path(tmp) / "hashlake"
        ours = helper("--bench-append", str(ours_dir), "--count", str(args.batches),
                      "--rows", str(args.rows))
        # The same rows, batch by batch, for delta-rs (read back from hashlake's table).
        table = deltalake.DeltaTable(str(ours_dir)).to_pyarrow_table().sort_by("id")
        per = table.num_rows // args.batches
        batches = [table.slice(i * per, per) for i in range(args.batches)]
        theirs_dir = Path(tmp) / "deltars"
        latencies = []
        start = time.perf_counter()
        for b in batches:
            t0 = time.perf_counter()
            deltalake.write_deltalake(str(theirs_dir), b, mode="append",
                                      partition_by=["date", "source"])
            latencies.append((time.perf_counter() - t0) * 1000)
        theirs_s = time.perf_counter() - start
        theirs_bytes = sum(f.stat().st_size for f in theirs_dir.rglob("*.parquet"))
        rows = per * args.batches

        print(f"append: {args.batches} commits x {args.rows} rows, partitioned by date/source")
        print(f"{'engine':10} {'rows/s':>12} {'MB/s':>8} {'p50 commit ms':>14} {'max ms':>8}")
        for name, r, secs, nbytes, lat in [
            ("hashlake", ours["rows"], ours["seconds"], ours["bytes"], ours["latencies_ms"]),
            ("delta-rs", rows, theirs_s, theirs_bytes, latencies),
        ]:
            print(f"{name:10} {r / secs:12.0f} {nbytes / secs / 1e6:8.2f} "
                  f"{statistics.median(lat):14.2f} {max(lat):8.2f}")

        load = helper("--bench-load", str(Path(tmp) / "log"), "--commits", str(args.commits))
        print(f"load latest snapshot of a {load['commits']}-commit log: "
              f"{load['load_without_checkpoint_s'] * 1000:.0f} ms without checkpoint, "
              f"{load['load_with_checkpoint_s'] * 1000:.1f} ms with checkpoint at "
              f"{load['checkpoint_version']}")
        t0 = time.perf_counter()
        deltalake.DeltaTable(str(Path(tmp) / "log"))
        print(f"delta-rs open of the same (checkpointed) log: {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
