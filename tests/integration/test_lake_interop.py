"""Interop between hashlake's Delta writer/reader and delta-rs (the `deltalake` package).

Uses the `lake_interop_writer` helper built from src/hashlake/lake (found under
$HASHLAKE_BUILD_DIR, default /work/main/build). Run with:
    HASHLAKE_BUILD_DIR=/work/main/build .venv/bin/python -m pytest tests/integration/test_lake_interop.py
"""

import datetime as dt
import decimal
import json
import os
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

deltalake = pytest.importorskip("deltalake")

BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", "/work/main/build"))
HELPER = BUILD_DIR / "src" / "hashlake" / "lake" / "lake_interop_writer"


@pytest.fixture(scope="module")
def helper() -> Path:
    if not HELPER.exists():
        pytest.skip(f"{HELPER} not built (build target lake_interop_writer, or set HASHLAKE_BUILD_DIR)")
    return HELPER


def run_helper(helper: Path, *args: str) -> str:
    proc = subprocess.run([str(helper), *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{helper} {args} failed: {proc.stderr}"
    return proc.stdout


def expected_rows(batches: int = 3, per_batch: int = 8) -> list[dict]:
    """Mirror of MakeBatch() in src/hashlake/lake/interop_writer_main.cc."""
    sources = ["x", "bluesky", "a/b=c d%", None]
    base = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    rows = []
    for b in range(batches):
        for k in range(per_batch):
            i = b * 10 + k
            rows.append(
                {
                    "id": i,
                    "text": None if i % 5 == 4 else f'post "{i}" ü #tag',
                    "score": i * 1.5,
                    "small": -i,
                    "flag": i % 2 == 0,
                    "created_at": base + dt.timedelta(hours=i, microseconds=123456),
                    "tags": [f"t{t}" for t in range(i % 3)],
                    "amount": decimal.Decimal(i * 100 + 25).scaleb(-2),
                    "date": dt.date(2024, 5, 1) + dt.timedelta(days=i % 2),
                    "source": sources[i % 4],
                }
            )
    return rows


def normalize(row: dict) -> dict:
    out = dict(row)
    if out.get("created_at") is not None:
        out["created_at"] = out["created_at"].astimezone(dt.timezone.utc)
    return out


def test_deltalake_reads_hashlake_table(helper, tmp_path):
    table_dir = tmp_path / "hashlake_written"
    run_helper(helper, "--write", str(table_dir))

    table = deltalake.DeltaTable(str(table_dir))
    assert table.version() == 3
    assert table.metadata().partition_columns == ["date", "source"]
    assert table.protocol().min_reader_version == 1
    assert table.protocol().min_writer_version == 2
    assert table.transaction_version("interop-job") == 2

    data = table.to_pyarrow_table()
    assert data.num_rows == 24
    assert data.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert data.schema.field("amount").type == pa.decimal128(10, 2)
    assert data.schema.field("date").type == pa.date32()
    got = [normalize(r) for r in data.sort_by("id").to_pylist()]
    assert got == expected_rows()

    # Partition pruning on the escaped and the null partition works in delta-rs.
    special = table.to_pyarrow_table(filters=[("source", "=", "a/b=c d%")])
    assert sorted(special.column("id").to_pylist()) == [
        r["id"] for r in expected_rows() if r["source"] == "a/b=c d%"
    ]
    nulls = table.to_pyarrow_table().filter(pa.compute.is_null(data.column("source")))
    assert nulls.num_rows == sum(1 for r in expected_rows() if r["source"] is None)

    # Time travel: version 1 holds only the first batch.
    old = deltalake.DeltaTable(str(table_dir), version=1).to_pyarrow_table()
    assert sorted(old.column("id").to_pylist()) == list(range(8))

    # The commit carries the caller's free-form commitInfo object.
    history = table.history()
    assert any(h.get("hashlake") == {"batch": 2} for h in history)


def test_hashlake_reads_its_own_table_like_deltalake(helper, tmp_path):
    table_dir = tmp_path / "roundtrip"
    run_helper(helper, "--write", str(table_dir))
    lines = run_helper(helper, "--read", str(table_dir)).splitlines()
    ours = sorted((json.loads(line) for line in lines), key=lambda r: r["id"])
    theirs = deltalake.DeltaTable(str(table_dir)).to_pyarrow_table().sort_by("id").to_pylist()
    assert len(ours) == len(theirs) == 24
    for a, b in zip(ours, theirs):
        assert a["id"] == b["id"]
        assert a["text"] == b["text"]
        assert a["tags"] == b["tags"]
        assert a["source"] == b["source"]
        assert a["date"] == b["date"].isoformat()
        assert a["created_at"] == b["created_at"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert decimal.Decimal(str(a["amount"])) == b["amount"]

    limited = run_helper(helper, "--read", str(table_dir), "--limit", "5").splitlines()
    assert len(limited) == 5
    at_v1 = run_helper(helper, "--read", str(table_dir), "--version", "1").splitlines()
    assert sorted(json.loads(line)["id"] for line in at_v1) == list(range(8))


def test_hashlake_reads_deltalake_table(helper, tmp_path):
    table_dir = tmp_path / "deltalake_written"
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("name", pa.string()),
            ("value", pa.float64()),
            ("ok", pa.bool_()),
            ("ts", pa.timestamp("us", tz="UTC")),
            ("day", pa.date32()),
            ("words", pa.list_(pa.string())),
            ("cat", pa.string()),
        ]
    )

    def batch(start: int, n: int) -> pa.Table:
        ids = list(range(start, start + n))
        return pa.table(
            {
                "id": ids,
                "name": [None if i % 4 == 0 else f"n{i} \"q\"" for i in ids],
                "value": [i / 4 for i in ids],
                "ok": [i % 3 == 0 for i in ids],
                "ts": [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=i) for i in ids],
                "day": [dt.date(2024, 1, 1 + i % 3) for i in ids],
                "words": [["w"] * (i % 3) for i in ids],
                "cat": [None if i % 5 == 0 else f"c/{i % 2}" for i in ids],
            },
            schema=schema,
        )

    deltalake.write_deltalake(str(table_dir), batch(0, 10), partition_by=["day", "cat"])
    deltalake.write_deltalake(str(table_dir), batch(10, 7), mode="append", partition_by=["day", "cat"])
    theirs = deltalake.DeltaTable(str(table_dir)).to_pyarrow_table().sort_by("id").to_pylist()

    lines = run_helper(helper, "--read", str(table_dir)).splitlines()
    ours = sorted((json.loads(line) for line in lines), key=lambda r: r["id"])
    assert len(ours) == len(theirs) == 17
    for a, b in zip(ours, theirs):
        assert a["id"] == b["id"]
        assert a["name"] == b["name"]
        assert a["value"] == pytest.approx(b["value"])
        assert a["ok"] == b["ok"]
        assert a["ts"] == b["ts"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert a["day"] == b["day"].isoformat()
        assert a["words"] == b["words"]
        assert a["cat"] == b["cat"]

    info = json.loads(run_helper(helper, "--describe", str(table_dir)))
    assert info["version"] == 1
    assert info["num_rows"] == 17
    assert info["partition_columns"] == ["day", "cat"]
