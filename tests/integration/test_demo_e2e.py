"""End to end: `hashlake demo` runs the whole pipeline; delta-rs reads what it wrote and the
API agrees with the tables."""
import json
import signal
import subprocess
import time
import urllib.request

import deltalake
import pyarrow.compute as pc
import pytest

from conftest import free_port


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def wait_for_health(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"demo exited early with {proc.returncode}: {proc.stderr.read()}")
        try:
            get_json(f"http://127.0.0.1:{port}/api/health")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("dashboard never answered /api/health")


def test_demo_runs_end_to_end(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    port = free_port()
    proc = subprocess.Popen(
        [hashlake_bin, "demo", "--data", str(data), "--port", str(port), "--duration", "20",
         "--window", "2s", "--watermark", "1s", "--rate", "300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_health(port, proc)
        time.sleep(6)
        top = get_json(f"http://127.0.0.1:{port}/api/top-hashtags?window=1m&k=10")
        health = get_json(f"http://127.0.0.1:{port}/api/health")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out

    assert 3 <= len(top["top"]) <= 10, top
    counts = [entry["count"] for entry in top["top"]]
    assert counts == sorted(counts, reverse=True)
    assert all(c > 0 for c in counts)
    assert top["posts"] > 0
    assert health["posts_ingested"] > 0

    posts = deltalake.DeltaTable(str(data / "lake" / "posts")).to_pyarrow_table()
    counts_table = deltalake.DeltaTable(str(data / "lake" / "hashtag_counts")).to_pyarrow_table()
    # 20 s at 300 posts/s; the collector starts after the server, so allow slack.
    assert posts.num_rows > 2000, posts.num_rows
    assert len(set(posts.column("id").to_pylist())) == posts.num_rows, "duplicate posts"
    assert counts_table.num_rows > 0

    # Every closed window's counts equal a recount from the posts table.
    windows = sorted(set(counts_table.column("window_start").to_pylist()))
    assert len(windows) >= 3
    for start in windows[:3]:
        end = start + (counts_table.filter(pc.equal(counts_table["window_start"], start))
                       .column("window_end")[0].as_py() - start)
        in_window = posts.filter(pc.and_(pc.greater_equal(posts["created_at"], start),
                                         pc.less(posts["created_at"], end)))
        recount = {}
        for tags in in_window.column("hashtags").to_pylist():
            for tag in tags:
                recount[tag] = recount.get(tag, 0) + 1
        rows = counts_table.filter(pc.equal(counts_table["window_start"], start))
        written = dict(zip(rows.column("hashtag").to_pylist(), rows.column("count").to_pylist()))
        assert written == recount, f"window {start}"

    # The API's top hashtags are hashtags that exist in the posts table.
    all_tags = {t for tags in posts.column("hashtags").to_pylist() for t in tags}
    assert {entry["hashtag"] for entry in top["top"]} <= all_tags


def test_demo_stops_cleanly_on_sigint(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    port = free_port()
    proc = subprocess.Popen([hashlake_bin, "demo", "--data", str(data), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_health(port, proc)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    posts = deltalake.DeltaTable(str(data / "lake" / "posts")).to_pyarrow_table()
    assert posts.num_rows > 0


def test_bad_flags_fail_with_one_line(hashlake_bin):
    result = subprocess.run([hashlake_bin, "demo", "--colour", "red"], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--colour" in lines[0] and "--data" in lines[0]

    result = subprocess.run([hashlake_bin, "--set", "stream.windw=5m", "config", "show"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "stream.windw" in result.stderr and "stream.window" in result.stderr

    result = subprocess.run([hashlake_bin, "demo", "--window", "soon"], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "stream.window" in result.stderr


def test_config_show_masks_secrets(hashlake_bin):
    env = {"X_BEARER_TOKEN": "very-secret-token-123", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([hashlake_bin, "config", "show"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert "very-secret-token-123" not in result.stdout
    assert 'bearer_token = "****"' in result.stdout


@pytest.mark.parametrize("command", [[], ["demo"], ["config"], ["config", "show"], ["lake"],
                                     ["lake", "scan"], ["lake", "describe"]])
def test_every_command_has_help(hashlake_bin, command):
    result = subprocess.run([hashlake_bin, *command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Usage" in result.stdout or "usage" in result.stdout.lower()


def test_version(hashlake_bin):
    result = subprocess.run([hashlake_bin, "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("hashlake 0.")
