"""`hashlake lake scan` over the Delta tables Spark and delta-rs wrote: the row counts of
INDEX.md for every readable table, the values of `expected/` where INDEX.md gives them, and a
one-line error naming the feature for the tables hashlake refuses."""
import base64
import datetime
import decimal
import json
import subprocess

import pyarrow.parquet as pq
import pytest

ROWS = {
    "simple_table": 3, "delta-0.8.0": 4, "delta-0.8.0-partitioned": 7,
    "delta-2.2.0-partitioned-types": 3, "basic_partitioned": 6, "delta-0.2.0": 6,
    "app-txn-checkpoint": 22, "simple_table_with_checkpoint": 11,
    "multi-part-checkpoint/delta": 31, "python-0.25.5-checkpoint": 6,
    "delta-1.2.1-only-struct-stats": 12, "time-travel-schema-changes-b/delta": 20,
    "data-reader-primitives/delta": 11, "decimal-various-scale-precision/delta": 3,
    "kernel-timestamp-int96/delta": 5, "table_with_edge_timestamps": 2,
}
REFUSED = {
    "table-with-dv-small": "deletionVectors",
    "table_with_column_mapping": "columnMapping",
    "checkpoint-v2-table": "v2Checkpoint",
}
WITH_EXPECTED = [name for name in ROWS if name.endswith("/delta")]


def scan(hashlake_bin, path):
    result = subprocess.run([hashlake_bin, "lake", "scan", str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Decimals are printed exactly; read every number exactly too.
    return [json.loads(line, parse_float=decimal.Decimal) for line in result.stdout.splitlines()]


def normalize(value):
    """One comparable form for what JSON lines and pyarrow give back."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return decimal.Decimal(value).normalize()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float):
        return decimal.Decimal(repr(value)).normalize()
    if isinstance(value, int) and not isinstance(value, bool):
        return decimal.Decimal(value).normalize()
    if isinstance(value, str):
        try:
            return decimal.Decimal(value).normalize()
        except decimal.InvalidOperation:
            return value
    if isinstance(value, list):
        return tuple(normalize(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, normalize(v)) for k, v in value.items()))
    return value


def row_key(row, columns):
    return tuple(repr(normalize(row.get(c))) for c in columns)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_row_counts(hashlake_bin, shared_data, name):
    rows = scan(hashlake_bin, shared_data / "delta" / "tables" / name)
    assert len(rows) == ROWS[name]


@pytest.mark.parametrize("name", WITH_EXPECTED)
def test_values_equal_expected(hashlake_bin, shared_data, name):
    table_dir = shared_data / "delta" / "tables" / name
    expected_dir = table_dir.parent / "expected"
    expected = []
    for path in sorted(expected_dir.rglob("*.parquet")):
        expected += pq.read_table(path).to_pylist()
    got = scan(hashlake_bin, table_dir)
    columns = sorted(expected[0].keys())
    assert sorted(got[0].keys()) == columns
    assert sorted(row_key(r, columns) for r in got) == sorted(row_key(r, columns) for r in expected)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unsupported_features_are_named(hashlake_bin, shared_data, name):
    result = subprocess.run([hashlake_bin, "lake", "scan",
                             str(shared_data / "delta" / "tables" / name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert REFUSED[name] in result.stderr
