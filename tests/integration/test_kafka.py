"""hashlake against a real Apache Kafka broker (KRaft, single node, from scripts/kafka.sh).

One broker for the whole session on a free loopback port; it is stopped at the end.
Needs java (17+) and mvn (the jars are fetched from Maven Central once and cached).
"""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import ROOT, build_dir

KAFKA_SH = ROOT / "scripts" / "kafka.sh"


def _two_free_ports() -> int:
    """A port P with P+1 also free (the controller listens on P+1)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports")


class Broker:
    def __init__(self, port: int, state_dir: pathlib.Path):
        self.port = port
        self.bootstrap = f"127.0.0.1:{port}"
        self.env = dict(os.environ, HASHLAKE_KAFKA_DIR=str(state_dir))

    def run(self, *args: str, timeout: float = 180) -> None:
        subprocess.run([str(KAFKA_SH), *args, str(self.port)], env=self.env, check=True,
                       timeout=timeout)

    def start(self) -> None:
        self.run("start")

    def stop(self) -> None:
        self.run("stop")


@pytest.fixture(scope="session")
def kafka():
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not found: scripts/setup.sh installs it (Kafka tests skipped)")
    state_dir = pathlib.Path(tempfile.mkdtemp(prefix="hashlake-kafka-test-"))
    broker = Broker(_two_free_ports(), state_dir)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(state_dir, ignore_errors=True)


def hashlake(hashlake_bin, *args, timeout=120, check=True):
    proc = subprocess.run([str(hashlake_bin), *args], capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"hashlake {' '.join(args)} exited {proc.returncode}:\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def topic_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def consume_ids(hashlake_bin, kafka, topic, group, idle=4.0):
    proc = hashlake(hashlake_bin, "topics", "consume", "--bootstrap", kafka.bootstrap,
                    "--topic", topic, "--group", group, "--idle", str(idle))
    return [line.split()[3] for line in proc.stdout.splitlines() if line.strip()]


def test_bus_contract_suite_passes_against_kafka(kafka):
    """The same GoogleTest Producer/Consumer suite as the embedded log, on the real broker."""
    binary = build_dir() / "src" / "hashlake" / "bus" / "bus_test"
    if not binary.exists():
        pytest.fail(f"{binary} not found: build bus_test first")
    env = dict(os.environ, HASHLAKE_KAFKA_BOOTSTRAP=kafka.bootstrap)
    proc = subprocess.run([str(binary), "--gtest_filter=*Kafka*:*BusContract*", "--gtest_brief=1"],
                          env=env, capture_output=True, text=True, timeout=150)
    failures = [l for l in proc.stdout.splitlines() if "Failure" in l or "FAILED" in l or
                "Which is" in l or "Error" in l]
    assert proc.returncode == 0, "\n".join(failures)[-6000:] or proc.stderr[-3000:]
    assert "SKIPPED" not in proc.stdout, proc.stdout[-2000:]
    assert "PASSED" in proc.stdout


def test_topics_create_then_describe(hashlake_bin, kafka):
    topic = topic_name("described")
    out = hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic",
                   topic, "--partitions", "2", "--replication-factor", "1", "--config",
                   "retention.ms=86400000").stdout
    assert f"created topic {topic}" in out
    described = hashlake(hashlake_bin, "topics", "describe", "--bootstrap", kafka.bootstrap,
                         "--topic", topic).stdout
    lines = described.splitlines()
    assert f"Topic: {topic}\tPartitionCount: 2\tReplicationFactor: 1" in lines[0]
    assert "retention.ms=86400000" in lines[0]
    assert [l.split("\t")[2] for l in lines[1:]] == ["Partition: 0", "Partition: 1"]
    listed = hashlake(hashlake_bin, "topics", "list", "--bootstrap", kafka.bootstrap).stdout
    assert topic in listed.split()
    again = hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic",
                     topic, "--partitions", "2", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    hashlake(hashlake_bin, "topics", "delete", "--bootstrap", kafka.bootstrap, "--topic", topic)
    gone = hashlake(hashlake_bin, "topics", "describe", "--bootstrap", kafka.bootstrap, "--topic",
                    topic, check=False)
    assert gone.returncode == 1 and "does not exist" in gone.stderr


def test_collect_then_a_group_of_two_reads_each_post_once(hashlake_bin, kafka):
    topic = topic_name("posts")
    n = 3000
    hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic", topic,
             "--partitions", "4")
    # Both members join before any data flows, so each owns two partitions.
    members = [subprocess.Popen(
        [str(hashlake_bin), "topics", "consume", "--bootstrap", kafka.bootstrap, "--topic", topic,
         "--group", "pair", "--idle", "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for _ in range(2)]
    time.sleep(3)
    out = hashlake(hashlake_bin, "collect", "--source", "synth", "--rate", "0", "--limit", str(n),
                   "--to", f"kafka://{kafka.bootstrap}/{topic}").stdout
    assert out.strip().splitlines()[-1] == f"produced {n} posts, rejected 0"
    ids = []
    for member in members:
        stdout, stderr = member.communicate(timeout=90)
        assert member.returncode == 0, stderr
        got = [line.split()[3] for line in stdout.splitlines() if line.strip()]
        assert got, f"a member got nothing: {stderr[-1500:]}"
        ids += got
    assert len(ids) == n
    assert len(set(ids)) == n, "a post was read twice"


def test_broker_restart_while_producing_loses_and_doubles_nothing(hashlake_bin, kafka):
    topic = topic_name("restart")
    n = 6000
    hashlake(hashlake_bin, "topics", "create", "--bootstrap", kafka.bootstrap, "--topic", topic,
             "--partitions", "3")
    collect = subprocess.Popen(
        [str(hashlake_bin), "collect", "--source", "synth", "--rate", "1500", "--limit", str(n),
         "--to", f"kafka://{kafka.bootstrap}/{topic}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    kafka.stop()
    time.sleep(1)
    kafka.start()
    stdout, stderr = collect.communicate(timeout=150)
    assert collect.returncode == 0, stderr[-3000:]
    assert stdout.strip().splitlines()[-1] == f"produced {n} posts, rejected 0"
    ids = consume_ids(hashlake_bin, kafka, topic, "after-restart")
    assert len(ids) == n, f"{len(ids)} messages on the topic for {n} posts"
    assert len(set(ids)) == n
