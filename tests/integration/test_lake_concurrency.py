"""Two hashlake processes appending to one local Delta table at the same time."""

import json
import os
import subprocess
from pathlib import Path

import pytest

deltalake = pytest.importorskip("deltalake")

BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", "/work/main/build"))
HELPER = BUILD_DIR / "src" / "hashlake" / "lake" / "lake_interop_writer"


def test_two_writer_processes_append_concurrently(tmp_path):
    if not HELPER.exists():
        pytest.skip(f"{HELPER} not built (target lake_interop_writer, or set HASHLAKE_BUILD_DIR)")
    table_dir = tmp_path / "contended"
    count = 40
    procs = [
        subprocess.Popen([str(HELPER), "--append-rows", str(table_dir), "--writer", str(w),
                          "--count", str(count)], stderr=subprocess.PIPE, text=True)
        for w in (1, 2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err

    # Versions contiguous: one create + one commit per append, none overwritten.
    log = table_dir / "_delta_log"
    versions = sorted(int(p.name[:20]) for p in log.glob("*.json"))
    assert versions == list(range(2 * count + 1))
    adds = 0
    for v in versions[1:]:
        actions = [json.loads(line) for line in (log / f"{v:020d}.json").read_text().splitlines()]
        adds += sum(1 for a in actions if "add" in a)
        assert sum(1 for a in actions if "add" in a) == 1
    assert adds == 2 * count
    # Checkpoints were written at every 10th version along the way.
    assert (log / "00000000000000000080.checkpoint.parquet").exists()

    want = sorted(w * 1000000 + i for w in (1, 2) for i in range(count))
    lines = subprocess.run([str(HELPER), "--read", str(table_dir)], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == want
    theirs = deltalake.DeltaTable(str(table_dir)).to_pyarrow_table()
    assert sorted(theirs.column("id").to_pylist()) == want
