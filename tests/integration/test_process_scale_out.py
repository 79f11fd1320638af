"""Scale-out: two `hashlake process` instances in one consumer group share a 4-partition
Kafka topic; one is killed with SIGKILL midway and restarted. The tables hold what one
instance alone writes: the same posts once each, and the same counts once summed per key
(each instance writes its partitions' share of a window, so a key may have a row per
instance)."""
import collections
import signal
import subprocess
import time

import deltalake

from test_kafka import hashlake, kafka, topic_name  # noqa: F401 - kafka is a fixture

POSTS = 20000
WINDOW = ["--window", "10s", "--watermark", "5s"]


def kafka_url(kafka, topic):  # noqa: F811
    return f"kafka://{kafka.bootstrap}/{topic}?session_timeout_ms=6000"


def start_instance(hashlake_bin, url, data, log):
    return subprocess.Popen(
        [str(hashlake_bin), "--set", "stream.max_batch=400", "process", "--from", url,
         "--data", str(data), "--group", "shared", "--trigger", "100ms", *WINDOW],
        stdout=subprocess.DEVNULL, stderr=log)


def posts_in(lake):
    try:
        return deltalake.DeltaTable(str(lake / "posts")).to_pyarrow_table(
            columns=["id"]).num_rows
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def summed(lake, table, key_columns):
    rows = deltalake.DeltaTable(str(lake / table)).to_pyarrow_table().to_pylist()
    out = collections.Counter()
    for row in rows:
        out[tuple(row[c] for c in key_columns)] += row["count"]
    return out


def test_two_instances_one_killed_equal_one_instance(hashlake_bin, kafka, tmp_path):  # noqa: F811
    topic = topic_name("scale-out")
    hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic", topic,
             "--partitions", "4", "--replication-factor", "1")
    hashlake(hashlake_bin, "collect", "--source", "synth", "--rate", "0", "--seed", "11",
             "--limit", str(POSTS), "--to", f"kafka://{kafka.bootstrap}/{topic}")
    url = kafka_url(kafka, topic)

    # One instance alone: the reference.
    single = tmp_path / "single"
    hashlake(hashlake_bin, "process", "--from", url, "--data", str(single), "--group", "alone",
             "--available-now", "--close-windows", *WINDOW, timeout=300)

    # Two instances; the first is killed midway and restarted.
    shared = tmp_path / "shared"
    logs = [open(tmp_path / f"instance-{i}.log", "w") for i in range(3)]
    first = start_instance(hashlake_bin, url, shared, logs[0])
    second = start_instance(hashlake_bin, url, shared, logs[1])
    deadline = time.time() + 120
    while posts_in(shared / "lake") < POSTS // 4 and time.time() < deadline:
        time.sleep(0.2)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = posts_in(shared / "lake")
    assert killed_at < POSTS, "the kill came too late to matter"
    time.sleep(2)
    restarted = start_instance(hashlake_bin, url, shared, logs[2])
    while posts_in(shared / "lake") < POSTS and time.time() < deadline:
        time.sleep(0.3)
    for proc in (second, restarted):
        proc.send_signal(signal.SIGTERM)
    for proc in (second, restarted):
        assert proc.wait(timeout=60) == 0, (tmp_path / "instance-1.log").read_text()[-3000:]
    for log in logs:
        log.close()
    # The input is complete: close the windows still open (any member of the group may).
    hashlake(hashlake_bin, "process", "--from", url, "--data", str(shared), "--group", "shared",
             "--available-now", "--close-windows", *WINDOW, timeout=300)

    lake_single, lake_shared = single / "lake", shared / "lake"
    posts = deltalake.DeltaTable(str(lake_shared / "posts")).to_pyarrow_table(
        columns=["id", "bus_partition", "bus_offset"]).to_pylist()
    ids = [p["id"] for p in posts]
    assert len(ids) == len(set(ids)) == POSTS, f"{len(ids)} rows, {len(set(ids))} distinct ids"
    assert len({(p["bus_partition"], p["bus_offset"]) for p in posts}) == POSTS
    reference_ids = deltalake.DeltaTable(str(lake_single / "posts")).to_pyarrow_table(
        columns=["id"]).column("id").to_pylist()
    assert set(ids) == set(reference_ids)

    window_key = ["window_start", "hashtag"]
    expected = summed(lake_single, "hashtag_counts", window_key)
    assert expected, "the reference wrote no counts"
    assert summed(lake_shared, "hashtag_counts", window_key) == expected
    area_key = ["window_start", "country_code", "region", "hashtag"]
    assert summed(lake_shared, "area_hashtag_counts", area_key) == summed(
        lake_single, "area_hashtag_counts", area_key)
    lang_key = ["window_start", "lang"]
    assert summed(lake_shared, "language_counts", lang_key) == summed(
        lake_single, "language_counts", lang_key)
