"""`hashlake process` is exactly once against a real Kafka broker, on the real tweets.

The X fixtures of shared/data/tweets are replayed once into a 4-partition topic. The stream
job is then SIGKILLed 20 times at seeded random moments (during start-up and recovery,
inside batches, inside the batch that closes the windows), and run once more to the end.
What it wrote is compared with ground_truth.py, which decodes the same files in Python:
every bus record lands once in `posts` or `rejected`, the posts are the input's posts, and
the window counts are the counts of the input's hashtags.

The killed job reads with `assign=all`: in a consumer group, the member that SIGKILL left
behind keeps its partitions until its session times out (10 s), so each restart would wait
for that; moving partitions between members is test_process_scale_out.py's subject.
Each partition is its own exactly-once stream with its own checkpoint folder
(`checkpoints/<group>/partitions/<p>/`) and Delta txn appId (`<group>/<p>`).
"""
import collections
import datetime as dt
import json
import os
import random
import signal
import subprocess
import time

import deltalake
import pytest

import ground_truth
from test_kafka import hashlake, kafka, topic_name  # noqa: F401 - kafka is the broker fixture

WINDOW = dt.timedelta(hours=1)
KILLS = 20
RUN_LIMIT_S = 60  # one run of the job, start to kill or to exit


@pytest.fixture(scope="module")
def tweets(shared_data):
    tweets_dir = shared_data / "tweets"
    missing = [name for name in ground_truth.X_FILES if not (tweets_dir / name).is_file()]
    if missing:
        pytest.skip(f"{tweets_dir} lacks {missing[:3]}: real-tweet Kafka tests skipped")
    return tweets_dir


@pytest.fixture(scope="module")
def expected(tweets):
    return ground_truth.expected(tweets)


def replay_into_new_topic(hashlake_bin, kafka, tweets, expected, prefix):
    """A 4-partition topic holding the X files once; returns the topic and the
    (partition, offset) of each of its records, as a plain consumer reads them."""
    topic = topic_name(prefix)
    hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic", topic,
             "--partitions", "4")
    files = [arg for name in ground_truth.X_FILES for arg in ("--file", str(tweets / name))]
    out = hashlake(hashlake_bin, "collect", "--source", "replay", *files, "--speed", "0", "--to",
                   f"kafka://{kafka.bootstrap}/{topic}").stdout
    assert out.strip().splitlines()[-1] == (
        f"produced {len(expected.posts)} posts, rejected {expected.dead_letters}")
    lines = hashlake(hashlake_bin, "topics", "consume", "--bootstrap", kafka.bootstrap, "--topic",
                     topic, "--group", f"{topic}-census", "--idle", "2").stdout.splitlines()
    positions = [(int(l.split()[0]), int(l.split()[1])) for l in lines if l.strip()]
    assert len(positions) == expected.records, f"{len(positions)} records on {topic}"
    return topic, positions


def process_command(hashlake_bin, url, data, group, max_batch, *flags):
    return [str(hashlake_bin), "--set", f"stream.max_batch={max_batch}", "process", "--from", url,
            "--data", str(data), "--group", group, "--window", "1h", "--watermark", "100000d",
            "--trigger", "50ms", *flags]


# --- what a kill hit ------------------------------------------------------------------


def newest(folder):
    """The newest batch id of a checkpoint folder (files named by 20 digits), or -1."""
    try:
        ids = [int(n) for n in os.listdir(folder) if len(n) == 20 and n.isdigit()]
    except FileNotFoundError:
        return -1
    return max(ids, default=-1)


def partition_folders(checkpoint):
    """{partition: its checkpoint folder}."""
    try:
        return {int(n): checkpoint / "partitions" / n
                for n in os.listdir(checkpoint / "partitions") if n.isdigit()}
    except FileNotFoundError:
        return {}


def unfinished_batches(checkpoint):
    """{partition: batch id} of the plans that have no commit marker."""
    out = {}
    for partition, folder in partition_folders(checkpoint).items():
        batch = newest(folder / "offsets")
        if batch >= 0 and newest(folder / "commits") != batch:
            out[partition] = batch
    return out


def committed_records(checkpoint):
    """Bus records behind the newest finished batch of each partition (its plan's `to`)."""
    total = 0
    for partition, folder in partition_folders(checkpoint).items():
        batch = newest(folder / "commits")
        if batch < 0:
            continue
        try:
            plan = json.loads((folder / "offsets" / f"{batch:020d}").read_text())
        except FileNotFoundError:  # pruned between the listing and the read
            continue
        total += plan["to"][str(partition)]
    return total


def table_batches(lake, group, partition):
    """The txn version of the partition's stream in each table that exists."""
    out = {}
    for name in ("posts", "rejected", "hashtag_counts", "area_hashtag_counts"):
        if (lake / name / "_delta_log").is_dir():
            out[name] = deltalake.DeltaTable(str(lake / name)).transaction_version(
                f"{group}/{partition}")
    return out


def what_the_kill_hit(log, checkpoint, lake, group):
    """Where the job was, from its log and what its checkpoint and tables hold now."""
    unfinished = unfinished_batches(checkpoint)
    written = ""
    if unfinished:
        partition, batch = next(iter(unfinished.items()))
        done = sum(1 for v in table_batches(lake, group, partition).values()
                   if v is not None and v >= batch)
        written = f", {done} of its table commits done"
    if "resuming at offset" not in log:  # logged for each partition once it is opened
        return "start-up: before the job resumed"
    if "finishing the interrupted batch" in log and "finished the interrupted batch" not in log:
        return f"recovery: re-running an interrupted batch{written}"
    if not unfinished:
        return "between batches"
    partition, batch = next(iter(unfinished.items()))
    folder = partition_folders(checkpoint)[partition]
    plan = json.loads((folder / "offsets" / f"{batch:020d}").read_text())
    return f"{'close-windows batch' if plan['close_all'] else 'mid-batch'}: batch {batch}{written}"


def wait_until(condition, proc, deadline):
    """Polls `condition` until it holds or `proc` has exited."""
    while not condition() and proc.poll() is None:
        assert time.monotonic() < deadline, "the job made no progress"
        time.sleep(0.001)


def assert_tables_read_cleanly(lake):
    """Right after a kill, delta-rs reads every table that exists, and no bus record is in
    `posts`/`rejected` twice (a half-written batch must not show)."""
    positions = []
    for name in ("posts", "rejected", "hashtag_counts", "area_hashtag_counts"):
        if not (lake / name / "_delta_log").is_dir():
            continue
        table = deltalake.DeltaTable(str(lake / name)).to_pyarrow_table()
        if name in ("posts", "rejected"):
            positions += bus_positions(table)
    duplicates = [p for p, n in collections.Counter(positions).items() if n > 1]
    assert not duplicates, f"bus records written twice: {duplicates[:5]}"


def bus_positions(table):
    return list(zip(table.column("bus_partition").to_pylist(),
                    table.column("bus_offset").to_pylist()))


# --- the comparison with the ground truth ---------------------------------------------


def read(lake, name):
    return deltalake.DeltaTable(str(lake / name)).to_pyarrow_table().to_pylist()


def diff(got, want, what):
    extra, missing = got - want, want - got
    return (f"{what}: {sum(extra.values())} unexpected, {sum(missing.values())} missing; "
            f"unexpected {list(extra.items())[:4]}, missing {list(missing.items())[:4]}")


def assert_exactly_once(lake, expected, topic_positions):
    posts = read(lake, "posts")
    rejected = read(lake, "rejected")

    # Every record of the topic exactly once across posts and rejected.
    landed = collections.Counter([(r["bus_partition"], r["bus_offset"]) for r in posts + rejected])
    assert landed == collections.Counter(topic_positions), diff(
        landed, collections.Counter(topic_positions), "bus positions")
    assert len(rejected) == expected.dead_letters

    # The posts are the input's posts. Ids repeat in the input (the replay source keeps
    # repeats), so they are compared as multisets: no post is missing or written twice.
    got_ids = collections.Counter(r["id"] for r in posts)
    want_ids = collections.Counter(p.id for p in expected.posts)
    assert got_ids == want_ids, diff(got_ids, want_ids, "post ids")
    got_posts = collections.Counter((r["id"], r["created_at"], tuple(r["hashtags"] or ()))
                                    for r in posts)
    want_posts = collections.Counter((p.id, p.created_at, p.hashtags) for p in expected.posts)
    assert got_posts == want_posts, diff(got_posts, want_posts, "(id, created_at, hashtags)")

    # hashtag_counts: each (window, hashtag) once, counting the input's posts.
    counts = read(lake, "hashtag_counts")
    keys = collections.Counter((r["window_start"], r["hashtag"]) for r in counts)
    assert max(keys.values()) == 1, f"rows written twice: {keys.most_common(3)}"
    assert all(r["window_end"] - r["window_start"] == WINDOW for r in counts)
    got_counts = collections.Counter({k: 0 for k in keys})
    for r in counts:
        got_counts[(r["window_start"], r["hashtag"])] += r["count"]
    want_counts = ground_truth.hashtag_counts(expected.posts, WINDOW)
    assert got_counts == want_counts, diff(got_counts, want_counts, "hashtag_counts")

    # area_hashtag_counts: the ground-truth hashtags aggregated by each post's area. The area
    # itself comes from the posts table: resolving it is the geo unit tests' subject
    # (src/hashlake/geo), not this test's. A repeated id takes its rows' areas in bus order,
    # which is input order (a post's key, and so its partition, is the same each time).
    areas = collections.defaultdict(list)
    for r in sorted(posts, key=lambda r: (r["bus_partition"], r["bus_offset"])):
        areas[r["id"]].append((r["country_code"] or "", r["region"] or ""))
    area_counts = read(lake, "area_hashtag_counts")
    got_area = collections.Counter()
    for r in area_counts:
        key = (r["window_start"], r["country_code"], r["region"] or "", r["hashtag"])
        assert key not in got_area, f"area row written twice: {key}"
        got_area[key] = r["count"]
    want_area = ground_truth.area_hashtag_counts(
        expected.posts, {k: iter(v) for k, v in areas.items()}, WINDOW)
    assert want_area, "no post has both an area and a hashtag: the area check is empty"
    assert got_area == want_area, diff(got_area, want_area, "area_hashtag_counts")


# --- the tests ------------------------------------------------------------------------


def test_kill_9_twenty_times_then_finish_is_exactly_once(hashlake_bin, kafka, tweets, expected,
                                                         tmp_path):
    started = time.monotonic()
    seed = int(os.environ.get("HASHLAKE_CRASH_SEED", random.SystemRandom().randrange(1 << 32)))
    print(f"\nkill schedule seed {seed} (rerun with HASHLAKE_CRASH_SEED={seed})")
    rng = random.Random(seed)
    topic, topic_positions = replay_into_new_topic(hashlake_bin, kafka, tweets, expected, "crash")
    url = f"kafka://{kafka.bootstrap}/{topic}?assign=all"
    data, group = tmp_path / "data", "crash-job"
    lake, checkpoint = data / "lake", data / "checkpoints" / group
    command = process_command(hashlake_bin, url, data, group, 5, "--available-now",
                              "--close-windows")

    # The kill moments: some at a random moment of start-up; after a kill that left a batch
    # unfinished, half of the time while the restart re-runs that batch; the others once
    # the finished batches cover a random share of the topic (sorted, so that they spread
    # from the first batch to the last), a random moment into the batch that follows. The
    # last one waits for every record and lands in the batch that closes the windows.
    kinds = ["start" if rng.random() < 0.25 else "progress" for _ in range(KILLS - 1)]
    kinds.append("progress")  # the last one waits for every record: the closing batch
    shares = sorted(rng.uniform(0, 1) for _ in range(KILLS - 1)) + [rng.uniform(1, 1.1)]
    hits = collections.Counter()
    for k in range(KILLS):
        log_path = tmp_path / f"run-{k}.log"
        unfinished = bool(unfinished_batches(checkpoint))
        with open(log_path, "w") as log:
            proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + RUN_LIMIT_S
            if unfinished and k < KILLS - 1 and rng.random() < 0.5:
                wait_until(lambda: "finishing the interrupted batch" in log_path.read_text(), proc,
                           deadline)
                jitter = rng.uniform(0, 0.03)
                when = f"{jitter * 1000:.0f} ms into recovery"
            elif kinds[k] == "start":
                jitter = rng.uniform(0, 0.3)
                when = f"{jitter * 1000:.0f} ms after start"
            else:
                target = min(shares[k], 1.0) * len(topic_positions)
                wait_until(lambda: committed_records(checkpoint) >= target, proc, deadline)
                wait_until(lambda: bool(unfinished_batches(checkpoint)), proc, deadline)
                jitter = rng.uniform(0, 0.012)  # a batch takes about 10-20 ms here
                when = f"{shares[k]:.0%} of the topic done, {jitter * 1000:.0f} ms into a batch"
            time.sleep(jitter)
            proc.send_signal(signal.SIGKILL)
            rc = proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        log_text = log_path.read_text()
        if rc == 0:
            hit = "nothing: the run had finished"
        else:
            assert rc == -signal.SIGKILL, f"run {k} exited {rc} before the kill:\n{log_text[-3000:]}"
            hit = what_the_kill_hit(log_text, checkpoint, lake, group)
        hits[hit.split(":")[0]] += 1
        print(f"kill {k + 1:2d} at {when}: {hit}")
        assert_tables_read_cleanly(lake)

    final = subprocess.run(command, capture_output=True, text=True, timeout=RUN_LIMIT_S)
    assert final.returncode == 0, final.stderr[-3000:]
    print(f"what the kills hit: {dict(hits)}; final run: "
          f"{final.stdout.strip().splitlines()[-1]}")
    assert_exactly_once(lake, expected, topic_positions)
    print(f"{time.monotonic() - started:.1f} s (broker already up)")


def test_sigterm_stops_a_live_run_gracefully_and_a_restart_continues_once(
        hashlake_bin, kafka, tweets, expected, tmp_path):
    topic, topic_positions = replay_into_new_topic(hashlake_bin, kafka, tweets, expected, "term")
    data, group = tmp_path / "data", "term-job"
    lake, checkpoint = data / "lake", data / "checkpoints" / group
    # A live run (no --available-now) with librdkafka's default fetch settings, as a user
    # would start it; small batches, so the topic is far from done when SIGTERM comes.
    live = subprocess.Popen(
        process_command(hashlake_bin, f"kafka://{kafka.bootstrap}/{topic}", data, group, 25),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + RUN_LIMIT_S
        while committed_records(checkpoint) == 0:
            assert live.poll() is None, f"exited early: {live.stderr.read()[-3000:]}"
            assert time.monotonic() < deadline, "no batch committed"
            time.sleep(0.02)
        time.sleep(0.3)  # into a later batch
        stopping = time.monotonic()
        live.send_signal(signal.SIGTERM)
        out, err = live.communicate(timeout=30)
        took = time.monotonic() - stopping
    finally:
        if live.poll() is None:
            live.kill()
            live.wait()
    print(f"\nSIGTERM to exit: {took:.2f} s")
    assert live.returncode == 0, err[-3000:]
    assert took < 8, f"SIGTERM took {took:.1f} s to stop the job"
    # The batch in flight was finished: every partition's newest plan has its commit marker.
    assert not unfinished_batches(checkpoint), "the stop left a batch unfinished"
    last = {p: newest(folder / "offsets") for p, folder in partition_folders(checkpoint).items()}
    stopped_at = committed_records(checkpoint)
    assert 0 < stopped_at < len(topic_positions), f"{stopped_at} records done at the stop"
    assert json.loads(out.strip().splitlines()[-1])["posts"] > 0

    restart = subprocess.run(
        process_command(hashlake_bin, f"kafka://{kafka.bootstrap}/{topic}", data, group, 500,
                        "--available-now", "--close-windows"),
        capture_output=True, text=True, timeout=RUN_LIMIT_S)
    assert restart.returncode == 0, restart.stderr[-3000:]
    for partition, batch in last.items():
        assert f"partition {partition}: resuming at offset" in restart.stderr
        assert f"with batch {batch + 1}\n" in restart.stderr, restart.stderr[-3000:]
    assert "interrupted" not in restart.stderr
    assert_exactly_once(lake, expected, topic_positions)
