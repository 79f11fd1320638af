"""kill -9 of the demo, then a restart: the log and the tables are intact, and every bus
record landed exactly once (each (bus_partition, bus_offset) appears once in `posts` or
`rejected`, and together they cover each partition without gaps)."""
import collections
import signal
import subprocess
import time

import deltalake
import pyarrow as pa

from conftest import free_port
from test_demo_e2e import wait_for_health


def table_versions(path):
    return deltalake.DeltaTable(str(path)).version()


def run_until_killed(hashlake_bin, data, seconds):
    port = free_port()
    proc = subprocess.Popen(
        [hashlake_bin, "demo", "--data", str(data), "--port", str(port), "--window", "2s",
         "--watermark", "1s", "--trigger", "200ms", "--rate", "2000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_health(port, proc)
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def bus_positions(table):
    return list(zip(table.column("bus_partition").to_pylist(),
                    table.column("bus_offset").to_pylist()))


def test_kill_9_then_restart_is_exactly_once(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    # Several kills at different moments of the batch cycle.
    for seconds in (4.0, 2.3, 3.1):
        run_until_killed(hashlake_bin, data, seconds)
        # Whatever the moment, the tables read cleanly right after the kill.
        for name in ("posts", "hashtag_counts"):
            deltalake.DeltaTable(str(data / "lake" / name)).to_pyarrow_table()

    port = free_port()
    proc = subprocess.Popen(
        [hashlake_bin, "demo", "--data", str(data), "--port", str(port), "--window", "2s",
         "--watermark", "1s", "--trigger", "200ms", "--rate", "2000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_health(port, proc)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err

    posts = deltalake.DeltaTable(str(data / "lake" / "posts")).to_pyarrow_table()
    positions = bus_positions(posts)
    rejected_path = data / "lake" / "rejected"
    try:
        positions += bus_positions(deltalake.DeltaTable(str(rejected_path)).to_pyarrow_table())
    except Exception:  # noqa: BLE001 - the synthetic feed may have produced no dead letters
        pass
    duplicates = [p for p, n in collections.Counter(positions).items() if n > 1]
    assert not duplicates, f"bus records written twice: {duplicates[:5]}"
    by_partition = collections.defaultdict(list)
    for partition, offset in positions:
        by_partition[partition].append(offset)
    assert by_partition, "nothing was written"
    for partition, offsets in by_partition.items():
        offsets.sort()
        assert offsets == list(range(len(offsets))), f"gap in partition {partition}"

    # Each window was appended once: (window_start, hashtag) is unique in hashtag_counts.
    counts = deltalake.DeltaTable(str(data / "lake" / "hashtag_counts")).to_pyarrow_table()
    keys = list(zip(counts.column("window_start").to_pylist(), counts.column("hashtag").to_pylist()))
    assert len(keys) == len(set(keys)), "a window's counts were written twice"
    assert isinstance(counts, pa.Table) and counts.num_rows > 0
