"""hashlake <-> delta-rs <-> Spark (delta-spark) on one table with maintenance in its history.

hashlake writes a table (three appends, a checkpoint, an OPTIMIZE, a VACUUM), delta-rs and
Spark both read it at the latest and at an earlier version with the same rows as hashlake;
then Spark appends and hashlake reads Spark's commit. Uses the `lake_interop_writer` helper
($HASHLAKE_BUILD_DIR, default /work/main/build). One module-scoped SparkSession (local[1]).
"""

import datetime as dt
import decimal
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

deltalake = pytest.importorskip("deltalake")

BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", "/work/main/build"))
HELPER = BUILD_DIR / "src" / "hashlake" / "lake" / "lake_interop_writer"


def run_helper(*args: str) -> str:
    if not HELPER.exists():
        pytest.skip(f"{HELPER} not built (target lake_interop_writer, or set HASHLAKE_BUILD_DIR)")
    proc = subprocess.run([str(HELPER), *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{HELPER} {args} failed: {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark")
    delta_pip = pytest.importorskip("delta.pip_utils")
    os.environ["TZ"] = "UTC"  # Python-side datetimes from Spark are local time
    time.tzset()
    builder = (
        pyspark.sql.SparkSession.builder.master("local[1]")
        .appName("hashlake-interop")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.databricks.delta.snapshotPartitions", "1")
    )
    try:
        session = delta_pip.configure_spark_with_delta_pip(builder).getOrCreate()
    except Exception as exc:  # no Java, or the delta jars cannot be fetched
        pytest.skip(f"cannot start Spark with Delta: {exc}")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def norm(row: dict) -> tuple:
    """A comparable form of one row, whoever read it."""
    ts = row["created_at"]
    if isinstance(ts, str):
        ts = dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    elif ts is not None and ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.timezone.utc)
    day = row["date"]
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    amount = row["amount"]
    if amount is not None:
        amount = decimal.Decimal(str(amount)).quantize(decimal.Decimal("0.01"))
    return (
        row["id"], row["text"], float(row["score"]), row["small"], row["flag"],
        ts.astimezone(dt.timezone.utc) if ts else None, tuple(row["tags"] or ()), amount, day,
        row["source"],
    )


def hashlake_rows(table_dir: Path, version: int | None = None) -> list[tuple]:
    args = ["--read", str(table_dir)] + (["--version", str(version)] if version is not None else [])
    return sorted(norm(json.loads(line)) for line in run_helper(*args).splitlines())


def deltars_rows(table_dir: Path, version: int | None = None) -> list[tuple]:
    t = deltalake.DeltaTable(str(table_dir), version=version)
    return sorted(norm(r) for r in t.to_pyarrow_table().to_pylist())


def spark_rows(spark, table_dir: Path, version: int | None = None) -> list[tuple]:
    reader = spark.read.format("delta")
    if version is not None:
        reader = reader.option("versionAsOf", version)
    return sorted(norm(r.asDict(recursive=True)) for r in reader.load(str(table_dir)).collect())


@pytest.fixture(scope="module")
def maintained_table(tmp_path_factory) -> Path:
    table_dir = tmp_path_factory.mktemp("interop") / "maintained"
    run_helper("--write", str(table_dir))                # v0 create, v1..v3 appends
    cp = json.loads(run_helper("--checkpoint", str(table_dir)))
    assert cp["version"] == 3 and cp["numOfAddFiles"] > 0
    opt = json.loads(run_helper("--optimize", str(table_dir), "--target", str(8 << 20)))
    assert opt["version"] == 4 and opt["filesRemoved"] > opt["filesAdded"] > 0
    # An old orphan (a crashed writer's file) goes; the compacted-away files stay (retention).
    orphan = table_dir / "date=2024-05-01" / "part-orphan.parquet"
    orphan.write_bytes(b"not referenced")
    old = time.time() - 10 * 86400
    os.utime(orphan, (old, old))
    vacuumed = run_helper("--vacuum", str(table_dir)).split()
    assert vacuumed == ["date=2024-05-01/part-orphan.parquet"]
    assert not orphan.exists()
    return table_dir


def test_deltars_reads_checkpointed_optimized_vacuumed_table(maintained_table):
    t = deltalake.DeltaTable(str(maintained_table))
    assert t.version() == 4
    assert (maintained_table / "_delta_log" / "00000000000000000003.checkpoint.parquet").exists()
    last = json.loads((maintained_table / "_delta_log" / "_last_checkpoint").read_text())
    assert last["version"] == 3
    ours_latest = hashlake_rows(maintained_table)
    assert len(ours_latest) == 24
    assert deltars_rows(maintained_table) == ours_latest
    assert deltars_rows(maintained_table, 2) == hashlake_rows(maintained_table, 2)
    assert len(hashlake_rows(maintained_table, 2)) == 16
    history = t.history()
    assert history[0]["operation"] == "OPTIMIZE"
    assert t.transaction_version("interop-job") == 2
    # delta-rs starting from our checkpoint sees the same files as full replay.
    assert len(t.file_uris()) == len(deltalake.DeltaTable(str(maintained_table), version=4).file_uris())


def test_spark_reads_it_identically_then_appends_and_hashlake_reads_spark(spark, maintained_table):
    ours_latest = hashlake_rows(maintained_table)
    assert spark_rows(spark, maintained_table) == ours_latest
    assert spark_rows(spark, maintained_table, 2) == hashlake_rows(maintained_table, 2)
    assert deltars_rows(maintained_table) == ours_latest

    # Spark appends (its own commit format, its own parquet writer).
    from pyspark.sql import Row  # noqa: PLC0415

    schema = spark.read.format("delta").load(str(maintained_table)).schema
    new = [
        Row(id=900 + i, text=f"spark {i}", score=i * 0.25, small=i, flag=i % 2 == 0,
            created_at=dt.datetime(2024, 6, 1, 12, 0, i, 250000),
            tags=["s", str(i)], amount=decimal.Decimal("12.34"), date=dt.date(2024, 6, 1),
            source=None if i == 0 else "spark")
        for i in range(3)
    ]
    df = spark.createDataFrame([tuple(r[f.name] for f in schema.fields) for r in
                                [r.asDict() for r in new]], schema)
    df.write.format("delta").mode("append").save(str(maintained_table))

    ours = hashlake_rows(maintained_table)
    assert len(ours) == 27
    assert ours == spark_rows(spark, maintained_table) == deltars_rows(maintained_table)
    spark_written = [r for r in ours if r[0] >= 900]
    assert [r[1] for r in spark_written] == ["spark 0", "spark 1", "spark 2"]
    assert spark_written[0][9] is None  # Spark's null partition value
    assert spark_written[1][5] == dt.datetime(2024, 6, 1, 12, 0, 1, 250000, tzinfo=dt.timezone.utc)
    history = [json.loads(line) for line in run_helper("--history", str(maintained_table)).splitlines()]
    assert history[0]["version"] == 5
    assert history[0]["operation"] == "WRITE"
    assert "Apache-Spark" in history[0].get("engineInfo", "")
    assert [h["version"] for h in history] == [5, 4, 3, 2, 1, 0]
    assert history[1]["operation"] == "OPTIMIZE"
