"""`hashlake process` on the embedded log: the tables it writes, checked against an
aggregation recomputed here from its own `posts` table (sliding windows, areas, languages,
volume); available-now runs that resume; /metrics; SIGTERM; bad flags."""
import collections
import datetime
import json
import re
import signal
import subprocess
import time
import urllib.request

import deltalake

from conftest import free_port
from test_demo_e2e import wait_for_health

WINDOW_S = 10
SLIDE_S = 5


def run(hashlake_bin, *args, check=True, timeout=120):
    proc = subprocess.run([str(hashlake_bin), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def collect(hashlake_bin, log, limit, seed):
    run(hashlake_bin, "collect", "--source", "synth", "--rate", "0", "--seed", seed, "--limit",
        limit, "--to", f"log://{log}?partitions=3")


def process(hashlake_bin, log, data, *extra):
    proc = run(hashlake_bin, "process", "--from", f"log://{log}", "--data", data,
               "--window", f"{WINDOW_S}s", "--slide", f"{SLIDE_S}s", "--watermark", "100000d",
               "--available-now", *extra)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(data, name):
    return deltalake.DeltaTable(str(data / "lake" / name)).to_pyarrow_table().to_pylist()


def window_starts(created_at):
    """The starts of the sliding windows holding `created_at`, as Spark's window()."""
    ts = int(created_at.timestamp())
    last = ts - ts % SLIDE_S
    return [last - k * SLIDE_S for k in range(WINDOW_S // SLIDE_S)]


def utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


def test_tables_equal_an_aggregation_of_the_posts(hashlake_bin, tmp_path):
    log, data = tmp_path / "log", tmp_path / "data"
    collect(hashlake_bin, log, 6000, 7)
    first = process(hashlake_bin, log, data)
    assert first["posts"] == 6000
    # More posts, then a second available-now run that resumes and closes every window.
    collect(hashlake_bin, log, 3000, 8)
    second = process(hashlake_bin, log, data, "--close-windows")
    assert second["posts"] == 3000 and second["late"] == 0

    posts = table(data, "posts")
    assert len(posts) == 9000
    assert len({(p["bus_partition"], p["bus_offset"]) for p in posts}) == 9000
    assert all(p["tokens"] for p in posts), "every synthetic post has words"

    hashtags, areas, languages, volume = (collections.Counter() for _ in range(4))
    for p in posts:
        for start in window_starts(p["created_at"]):
            volume[start] += 1
            languages[(start, p["lang"] or "und")] += 1
            for tag in p["hashtags"]:
                hashtags[(start, tag)] += 1
                if p["country_code"]:
                    areas[(start, p["country_code"], p["region"], tag)] += 1

    def start_of(row):
        assert row["window_end"] - row["window_start"] == datetime.timedelta(seconds=WINDOW_S)
        return int(row["window_start"].timestamp())

    counts = table(data, "hashtag_counts")
    assert collections.Counter({(start_of(r), r["hashtag"]): r["count"] for r in counts}) == hashtags
    assert len(counts) == len(hashtags), "a (window, hashtag) row was written twice"
    by_window = collections.defaultdict(list)
    for r in counts:
        by_window[start_of(r)].append((r["rank"], -r["count"], r["hashtag"]))
    for ranked in by_window.values():
        ranked.sort()
        assert [rank for rank, _, _ in ranked] == list(range(1, len(ranked) + 1))
        assert ranked == sorted(ranked, key=lambda x: (x[1], x[2])), "rank is count desc, name"

    area_rows = table(data, "area_hashtag_counts")
    assert areas, "the synthetic feed has posts with coordinates and places"
    assert collections.Counter(
        {(start_of(r), r["country_code"], r["region"], r["hashtag"]): r["count"]
         for r in area_rows}) == areas
    assert collections.Counter(
        {(start_of(r), r["lang"]): r["count"] for r in table(data, "language_counts")}) == languages
    stats = table(data, "window_stats")
    assert {start_of(r): r["posts"] for r in stats} == dict(volume)
    assert sum(r["posts"] for r in stats) == 2 * 9000  # each post is in two windows


def test_metrics_and_a_graceful_stop(hashlake_bin, tmp_path):
    log, data = tmp_path / "log", tmp_path / "data"
    collect(hashlake_bin, log, 3000, 9)
    port = free_port()
    proc = subprocess.Popen(
        [str(hashlake_bin), "process", "--from", f"log://{log}", "--data", str(data), "--serve",
         "--port", str(port), "--trigger", "200ms"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_health(port, proc)
    deadline = time.time() + 30
    metrics = ""
    while time.time() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            metrics = response.read().decode()
        done = re.search(r"^hashlake_stream_posts_total 3000$", metrics, re.M)
        caught_up = re.search(r'^hashlake_stream_lag_records\{partition="2"\} 0$', metrics, re.M)
        if done and caught_up:
            break
        time.sleep(0.2)
    assert done and caught_up, metrics
    assert "hashlake_stream_batch_duration_seconds_bucket" in metrics
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1])["posts"] == 3000


def test_bad_settings_are_one_clear_line(hashlake_bin, tmp_path):
    proc = run(hashlake_bin, "process", "--from", f"log://{tmp_path}/log", "--data", tmp_path,
               "--window", "10s", "--slide", "7s", "--available-now", check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "stream.slide" in lines[0], proc.stderr
    proc = run(hashlake_bin, "process", "--from", "carrier-pigeon://x", "--data", tmp_path,
               "--available-now", check=False)
    assert proc.returncode == 2 and "carrier-pigeon" in proc.stderr, proc.stderr
