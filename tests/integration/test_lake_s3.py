"""hashlake's S3 backend against a real S3-compatible server (moto, tests/servers/s3_server.py)
on 127.0.0.1, with SigV4 verification on: every request hashlake makes must be correctly
signed. Also delta-rs interop, two concurrent writer processes, and fault injection through
tests/servers/s3_fault_proxy.py."""

import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto")
deltalake = pytest.importorskip("deltalake")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "servers"))
from s3_fault_proxy import FaultProxy  # noqa: E402

BUILD_DIR = Path(os.environ.get("HASHLAKE_BUILD_DIR", ROOT / "build"))
TOOL = BUILD_DIR / "src" / "hashlake" / "lake" / "s3_lake_tool"
BUCKET = "lake"


class S3Server:
    def __init__(self, port, key_id, secret, proc):
        self.port, self.key_id, self.secret, self.proc = port, key_id, secret, proc
        self.endpoint = f"http://127.0.0.1:{port}"

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=self.key_id, aws_secret_access_key=self.secret)

    def uri(self, prefix, endpoint=None, **options):
        query = {"endpoint": endpoint or self.endpoint, "region": "us-east-1", **options}
        return f"s3://{BUCKET}/{prefix}?" + "&".join(f"{k}={v}" for k, v in query.items())

    def env(self, tmp_path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=self.key_id, AWS_SECRET_ACCESS_KEY=self.secret,
                   AWS_EC2_METADATA_DISABLED="true", HOME=str(tmp_path))
        return env

    def delta_rs_options(self):
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": self.key_id,
                "AWS_SECRET_ACCESS_KEY": self.secret, "AWS_REGION": "us-east-1",
                "AWS_ALLOW_HTTP": "true", "conditional_put": "etag"}


@pytest.fixture(scope="module")
def s3():
    if not TOOL.exists():
        pytest.skip(f"{TOOL} not built (target s3_lake_tool, or set HASHLAKE_BUILD_DIR)")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "servers" / "s3_server.py"), "--port", "0",
         "--bucket", BUCKET, "--auth"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    key_id = secret = None
    port = None
    for line in proc.stdout:
        if line.startswith("key "):
            _, key_id, secret = line.split()
        if line.startswith("ready "):
            port = int(line.split()[1])
            break
    if port is None:
        proc.kill()
        pytest.fail("the S3 server did not start")
    yield S3Server(port, key_id, secret, proc)
    proc.terminate()
    proc.wait(timeout=10)


def tool(s3, tmp_path, *args, check=True):
    out = subprocess.run([str(TOOL), *args], capture_output=True, text=True,
                         env=s3.env(tmp_path), timeout=300)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def log_versions(s3, prefix):
    keys = []
    for page in s3.client().get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=f"{prefix}/_delta_log/"):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return sorted(int(k.rsplit("/", 1)[1][:20]) for k in keys if k.endswith(".json"))


def commit_actions(s3, prefix, version):
    body = s3.client().get_object(Bucket=BUCKET, Key=f"{prefix}/_delta_log/{version:020d}.json")
    return [json.loads(line) for line in body["Body"].read().decode().splitlines()]


def test_server_enforces_conditional_writes(s3):
    c = s3.client()
    c.put_object(Bucket=BUCKET, Key="cond/once", Body=b"first", IfNoneMatch="*")
    with pytest.raises(c.exceptions.ClientError) as e:
        c.put_object(Bucket=BUCKET, Key="cond/once", Body=b"second", IfNoneMatch="*")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert c.get_object(Bucket=BUCKET, Key="cond/once")["Body"].read() == b"first"

    # Racing conditional PUTs: exactly one wins, and the object holds the winner's bytes.
    def put(i):
        try:
            s3.client().put_object(Bucket=BUCKET, Key="cond/race", Body=str(i).encode(),
                                   IfNoneMatch="*")
            return i
        except Exception:  # noqa: BLE001 - 412 for the losers
            return None
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        winners = [w for w in pool.map(put, range(32)) if w is not None]
    assert len(winners) == 1
    assert c.get_object(Bucket=BUCKET, Key="cond/race")["Body"].read() == str(winners[0]).encode()


def test_server_rejects_bad_signatures(s3, tmp_path):
    env = s3.env(tmp_path)
    env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
    out = subprocess.run([str(TOOL), "--read", s3.uri("nothing")], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 1
    assert "SignatureDoesNotMatch" in out.stderr


def test_missing_credentials_is_one_clear_line(s3, tmp_path):
    env = {k: v for k, v in s3.env(tmp_path).items() if not k.startswith("AWS_ACCESS")}
    out = subprocess.run([str(TOOL), "--read", s3.uri("t")], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 1
    assert "AWS_ACCESS_KEY_ID" in out.stderr and "AWS_SECRET_ACCESS_KEY" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert s3.secret not in out.stderr


def test_create_append_read_back_with_hashlake_and_delta_rs(s3, tmp_path):
    uri = s3.uri("interop")
    tool(s3, tmp_path, "--append-rows", uri, "--writer", "1", "--count", "12")
    assert log_versions(s3, "interop") == list(range(13))
    # A checkpoint at version 10 (the default interval) went through Put.
    assert "interop/_delta_log/00000000000000000010.checkpoint.parquet" in [
        o["Key"] for o in s3.client().list_objects_v2(
            Bucket=BUCKET, Prefix="interop/_delta_log/")["Contents"]]
    want = [1000000 + i for i in range(12)]
    rows = [json.loads(line) for line in tool(s3, tmp_path, "--read", uri).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == want
    older = tool(s3, tmp_path, "--read", uri, "--version", "3").stdout.splitlines()
    assert len(older) == 3

    theirs = deltalake.DeltaTable(f"s3://{BUCKET}/interop", storage_options=s3.delta_rs_options())
    assert theirs.version() == 12
    assert sorted(theirs.to_pyarrow_table().column("id").to_pylist()) == want

    # delta-rs appends (with its own conditional put); hashlake reads its commit.
    import pyarrow as pa
    deltalake.write_deltalake(f"s3://{BUCKET}/interop",
                              pa.table({"id": pa.array([7], pa.int64()),
                                        "writer": pa.array([9], pa.int32())}),
                              mode="append", storage_options=s3.delta_rs_options())
    rows = [json.loads(line) for line in tool(s3, tmp_path, "--read", uri).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(want + [7])
    info = json.loads(tool(s3, tmp_path, "--describe", uri).stdout)
    assert info["version"] == 13
    history = [json.loads(line) for line in
               tool(s3, tmp_path, "--history", uri).stdout.splitlines()]
    assert [h["version"] for h in history] == list(range(13, -1, -1))


def test_two_writer_processes_append_concurrently(s3, tmp_path):
    uri = s3.uri("contended")
    # Create the table first so both writers race only on appends.
    tool(s3, tmp_path, "--append-rows", uri, "--writer", "0", "--count", "0")
    count = 25
    procs = [subprocess.Popen([str(TOOL), "--append-rows", uri, "--writer", str(w), "--count",
                               str(count)], stderr=subprocess.PIPE, text=True,
                              env=s3.env(tmp_path)) for w in (1, 2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    versions = log_versions(s3, "contended")
    assert versions == list(range(2 * count + 1))  # contiguous, none lost or overwritten
    writers = []
    for v in versions[1:]:
        adds = [a for a in commit_actions(s3, "contended", v) if "add" in a]
        assert len(adds) == 1
        writers.append(json.loads(adds[0]["add"]["stats"])["minValues"]["writer"])
    assert sorted(writers) == [1] * count + [2] * count
    want = sorted(w * 1000000 + i for w in (1, 2) for i in range(count))
    rows = [json.loads(line) for line in tool(s3, tmp_path, "--read", uri).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == want
    theirs = deltalake.DeltaTable(f"s3://{BUCKET}/contended", storage_options=s3.delta_rs_options())
    assert sorted(theirs.to_pyarrow_table().column("id").to_pylist()) == want


def test_large_file_goes_through_multipart_upload(s3, tmp_path):
    uri = s3.uri("big", multipart_threshold=5 << 20, part_size=5 << 20)
    proxy = FaultProxy(s3.port).start()  # no faults: only counting request kinds
    try:
        tool(s3, tmp_path, "--write-big", s3.uri("big", endpoint=f"http://127.0.0.1:{proxy.port}",
                                                 multipart_threshold=5 << 20,
                                                 part_size=5 << 20), "--rows", "200000")
    finally:
        proxy.stop()
    assert proxy.requests["create_upload"] == 1
    assert proxy.requests["part"] >= 2
    assert proxy.requests["complete"] == 1
    check = json.loads(tool(s3, tmp_path, "--check-files", uri).stdout)
    assert check["rows"] == 200000
    size = s3.client().head_object(
        Bucket=BUCKET, Key=f"big/{commit_actions(s3, 'big', 1)[-1]['add']['path']}")["ContentLength"]
    assert size > 5 << 20
    theirs = deltalake.DeltaTable(f"s3://{BUCKET}/big", storage_options=s3.delta_rs_options())
    assert theirs.to_pyarrow_table().num_rows == 200000
    assert not s3.client().list_multipart_uploads(Bucket=BUCKET).get("Uploads")


def test_faults_are_retried_and_no_commit_references_a_partial_file(s3, tmp_path):
    """Dropped connections, 500s and 503 SlowDown on every kind of request, including
    multipart parts and commits, with ambiguous ones (the request took effect, the answer was
    lost): every write completes, versions stay contiguous, rows are neither lost nor
    duplicated, and every file a commit references is complete."""
    faults = ["503", "drop_before", "500_before", "drop_after", "500_after"]
    # The first requests of each kind get these faults (the *_after ones take effect
    # upstream first); after that every fourth request gets the next fault in turn.
    targeted = {"commit": ["drop_after", "500_after", "503"],
                "part": ["503", "drop_after", "500_before"],
                "create_upload": ["drop_before"],
                "complete": ["500_after"],
                "data": ["drop_before", "500_after"],
                "list": ["503"], "read": ["drop_before"]}
    seen = {}

    def plan(method, path, kind, n):
        i = seen.get(kind, 0)
        seen[kind] = i + 1
        if i < len(targeted.get(kind, [])):
            return targeted[kind][i]
        if n % 4 == 0:
            return faults[n // 4 % len(faults)]
        return None

    proxy = FaultProxy(s3.port, plan).start()
    via_proxy = dict(endpoint=f"http://127.0.0.1:{proxy.port}", max_attempts=12,
                     multipart_threshold=5 << 20, part_size=5 << 20)
    try:
        tool(s3, tmp_path, "--write-big", s3.uri("faulty", **via_proxy), "--rows", "200000")
        tool(s3, tmp_path, "--append-rows", s3.uri("faulty2", **via_proxy), "--writer", "3",
             "--count", "15")
    finally:
        proxy.stop()
    for fault in faults:
        assert proxy.counts[fault] > 0, proxy.counts
    for kind, kind_faults in targeted.items():
        for fault in kind_faults:
            assert proxy.counts[f"{fault}:{kind}"] > 0, (kind, fault, proxy.counts)

    check = json.loads(tool(s3, tmp_path, "--check-files", s3.uri("faulty")).stdout)
    assert check == {"version": 1, "files": 1, "rows": 200000}
    assert log_versions(s3, "faulty2") == list(range(16))
    check = json.loads(tool(s3, tmp_path, "--check-files", s3.uri("faulty2")).stdout)
    assert check["rows"] == 15 and check["files"] == 15
    rows = [json.loads(line) for line in
            tool(s3, tmp_path, "--read", s3.uri("faulty2")).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == [3000000 + i for i in range(15)]
    assert not s3.client().list_multipart_uploads(Bucket=BUCKET).get("Uploads")
