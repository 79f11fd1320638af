"""`hashlake collect` into the embedded log, and its errors (no broker needed)."""
import signal
import subprocess
import time

from conftest import free_port


def test_collect_synth_into_the_embedded_log(hashlake_bin, tmp_path):
    topic = tmp_path / "posts"
    proc = subprocess.run([str(hashlake_bin), "collect", "--source", "synth", "--rate", "0",
                           "--limit", "700", "--to", f"log://{topic}?partitions=3"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "produced 700 posts, rejected 0"
    partitions = sorted(p.name for p in topic.iterdir() if p.name.startswith("p-"))
    assert len(partitions) == 3, partitions
    assert sum(f.stat().st_size for f in topic.rglob("*") if f.is_file()) > 700 * 50


def test_collect_stops_gracefully_on_sigint(hashlake_bin, tmp_path):
    proc = subprocess.Popen([str(hashlake_bin), "collect", "--source", "synth", "--rate", "400",
                             "--to", f"log://{tmp_path / 'live'}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("produced ") and last.endswith(" posts, rejected 0"), last
    assert int(last.split()[1]) > 100


def test_collect_rejects_unknown_kafka_url_keys_in_one_line(hashlake_bin):
    proc = subprocess.run([str(hashlake_bin), "collect", "--source", "synth", "--limit", "1",
                           "--to", "kafka://127.0.0.1:1/t?acks=1&bogus=2"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "'acks', 'bogus'" in err[0], proc.stderr


def test_collect_to_an_unreachable_broker_fails_cleanly(hashlake_bin):
    port = free_port()  # nothing listens there
    proc = subprocess.run([str(hashlake_bin), "collect", "--source", "synth", "--limit", "1",
                           "--to", f"kafka://127.0.0.1:{port}/t?timeout_ms=1500"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"kafka 127.0.0.1:{port}" in proc.stderr
    assert proc.stdout.strip() == "produced 0 posts, rejected 0"
