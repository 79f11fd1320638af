"""`hashlake run`: pipeline validation, a live run with a service and a job every 2 seconds,
the run history across restarts, and a clean stop on SIGTERM."""
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

from conftest import ROOT


def run(hashlake_bin, *args, timeout=60, **kwargs):
    return subprocess.run([str(hashlake_bin), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of an orphan is reaped by init shortly: treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def history(data: pathlib.Path):
    path = data / "runs" / "history.jsonl"
    if not path.exists():
        return {}
    runs = {}
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        runs[record["run_id"]] = record
    return runs


def test_bundled_example_is_valid(hashlake_bin):
    result = run(hashlake_bin, "run", ROOT / "examples" / "pipeline.toml", "--check")
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stdout
    assert "flow optimize" in result.stdout


@pytest.mark.parametrize("body, expected", [
    ('[jobs.a]\ncommand = ["true"]\ninterval = "1m"\nretires = 3\n',
     "jobs.a.retires: unknown key (allowed: command, shell"),
    ('[jobs.a]\ncommand = ["true"]\nschedule = "0 25 * * *"\n',
     "jobs.a.schedule: cron hour field '25': 25 is out of range"),
    ('[jobs.a]\ncommand = ["true"]\nafter = ["b"]\n[jobs.b]\ncommand = ["true"]\nafter = ["a"]\n',
     "dependency cycle a -> b -> a"),
    ('[services.s]\ncommand = ["hashlake-no-such-binary", "x"]\n',
     "services.s.command: program 'hashlake-no-such-binary' not found on PATH"),
])
def test_check_rejects_bad_files_with_one_line_each(hashlake_bin, tmp_path, body, expected):
    pipeline = tmp_path / "bad.toml"
    pipeline.write_text(body)
    result = run(hashlake_bin, "run", pipeline, "--check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert lines[0].startswith(f"hashlake: {pipeline}: ")
    # The same file makes `run` (without --check) fail before it starts anything.
    result = run(hashlake_bin, "run", pipeline, "--data-dir", tmp_path / "d")
    assert result.returncode == 2
    assert not (tmp_path / "d").exists()


def test_check_lists_every_error(hashlake_bin, tmp_path):
    pipeline = tmp_path / "bad.toml"
    pipeline.write_text('[jobs.a]\ncommand = ["true"]\nschedule = "bad"\n'
                        '[jobs.b]\nshell = "true"\ninterval = "1m"\ncatchup = "maybe"\n'
                        '[services.c]\ncommand = ["true"]\nrestart = "sometimes"\n')
    result = run(hashlake_bin, "run", pipeline, "--check")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 3, result.stderr


def write_pipeline(tmp_path, data, extra=""):
    pipeline = tmp_path / "pipeline.toml"
    pipeline.write_text(f'''
[pipeline]
name = "e2e"
data_dir = "{data}"
stop_grace = "3s"

[services.worker]
shell = "echo $$ > {tmp_path}/worker.pid; echo worker up; exec sleep 1000"

[services.crashy]
shell = "echo crashing; exit 3"
restart_delay = "200ms"
max_restart_delay = "400ms"

[jobs.tick]
shell = "echo tick $HASHLAKE_LOGICAL_TIME; echo 'HASHLAKE_METRICS {{{{\\"k\\": {{k}}, \\"coherence\\": -1.25}}}}'"
interval = "2s"
timeout = "10s"
grid = {{ k = [5, 10] }}

[jobs.describe]
command = ["hashlake", "lake", "describe", "{data}/no-such-table"]
after = ["tick"]
{extra}
''')
    return pipeline


def test_run_supervises_schedules_records_and_stops_on_sigterm(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    pipeline = write_pipeline(tmp_path, data)
    assert run(hashlake_bin, "run", pipeline, "--check").returncode == 0
    proc = subprocess.Popen([str(hashlake_bin), "run", str(pipeline)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        worker_pid = int(wait_until(
            lambda: (tmp_path / "worker.pid").exists() and (tmp_path / "worker.pid").read_text(),
            15, "the worker service"))
        # Two flow runs (ticks 2 s apart), each: tick k=5, tick k=10, then describe.
        wait_until(lambda: sum(1 for r in history(data).values()
                               if r["job"] == "describe" and r["outcome"] != "running") >= 2,
                   30, "two flow runs")
        status = json.loads((data / "runs" / "status.json").read_text())
        services = {s["name"]: s for s in status["services"]}
        assert services["worker"]["state"] == "running"
        assert services["worker"]["pid"] == worker_pid
        assert services["crashy"]["restarts"] >= 1
        assert services["crashy"]["last_exit_code"] == 3
        assert status["flows"][0]["name"] == "tick"
        assert status["flows"][0]["trigger"] == "every 2s"
        assert pid_alive(worker_pid)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in err
    wait_until(lambda: not pid_alive(worker_pid), 5, "the worker to exit")

    runs = list(history(data).values())
    ticks = [r for r in runs if r["job"] == "tick" and r["outcome"] == "success"]
    assert len(ticks) >= 4
    by_logical = {}
    for r in ticks:
        by_logical.setdefault(r["logical_time"], []).append(r)
    for logical, points in by_logical.items():
        assert int(logical[17:19]) % 2 == 0  # interval ticks are multiples of 2 s
    first = ticks[0]
    assert first["params"]["k"] == "5" and first["task_id"] == "tick__k_5"
    assert first["metrics"] == [{"k": 5, "coherence": -1.25}]
    assert first["log_tail"].startswith("tick ")
    assert first["exit_code"] == 0 and first["end"] >= first["start"]
    described = [r for r in runs if r["job"] == "describe" and r["outcome"] != "interrupted"]
    assert described and all(r["outcome"] == "failed" and r["exit_code"] != 0 for r in described)

    listing = run(hashlake_bin, "runs", "list", "--data-dir", data, "--limit", "100")
    assert listing.returncode == 0, listing.stderr
    assert first["run_id"] in listing.stdout
    shown = run(hashlake_bin, "runs", "show", first["run_id"], "--data-dir", data)
    assert shown.returncode == 0, shown.stderr
    assert '"coherence":-1.25' in shown.stdout
    assert "outcome:   success" in shown.stdout
    assert run(hashlake_bin, "runs", "show", "nope", "--data-dir", data).returncode == 2
    status = json.loads(run(hashlake_bin, "runs", "status", "--data-dir", data).stdout)
    assert status["state"] == "stopped"
    assert status["recent_runs"]

    # History survives a restart: the new scheduler appends to it.
    before = len(history(data))
    proc = subprocess.Popen([str(hashlake_bin), "run", str(pipeline)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: len(history(data)) > before + 2, 20, "runs after the restart")
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    after = history(data)
    assert set(r["run_id"] for r in runs) <= set(after)


def test_sigterm_kills_a_child_that_ignores_it_after_the_grace(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'''
[pipeline]
data_dir = "{data}"
stop_grace = "1s"
[services.stubborn]
shell = "trap '' TERM; echo $$ > {tmp_path}/pid; while true; do sleep 0.1; done"
''')
    proc = subprocess.Popen([str(hashlake_bin), "run", str(pipeline)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        pid = int(wait_until(lambda: (tmp_path / "pid").exists() and (tmp_path / "pid").read_text(),
                             15, "the service"))
        time.sleep(0.3)
        start = time.time()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
        took = time.time() - start
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert 0.9 <= took < 5, took
    wait_until(lambda: not pid_alive(pid), 5, "the stubborn child to be killed")


def test_job_timeout_kills_the_real_child(hashlake_bin, tmp_path):
    data = tmp_path / "data"
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'''
[pipeline]
data_dir = "{data}"
[jobs.slow]
shell = "echo $$ > {tmp_path}/pid; exec sleep 1000"
interval = "1s"
timeout = "1s"
kill_grace = "1s"
''')
    proc = subprocess.Popen([str(hashlake_bin), "run", str(pipeline)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        done = wait_until(lambda: [r for r in history(data).values() if r["outcome"] == "timeout"],
                          20, "a timed-out run")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert done[0]["signal"] == signal.SIGTERM
