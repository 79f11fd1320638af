"""Bad input never crashes the job: malformed and truncated lines, invalid UTF-8 and a
10 MB line each land in `rejected` with a reason (an oversized one keeps a 4 KiB prefix); the good posts around them land in `posts`."""
import json
import subprocess

import deltalake

from conftest import free_port


def post_line(post_id: str, second: int) -> bytes:
    return json.dumps({
        "schema_version": 1, "id": post_id, "source": "replay",
        "created_at": 1_714_566_896_000_000 + second * 1_000_000,
        "text": f"post {post_id} #good", "hashtags": ["good"],
    }).encode() + b"\n"


def test_bad_lines_are_dead_lettered(hashlake_bin, tmp_path):
    replay = tmp_path / "bad.ndjson"
    with open(replay, "wb") as f:
        f.write(post_line("1", 0))
        f.write(b'{"data": {"id": "2", "text": "unterminated\n')          # malformed
        f.write(post_line("3", 1)[:40] + b"\n")                           # truncated
        f.write(b'{"id": "4", "text": "caf\xc3\x28 \xff"}\n')             # invalid UTF-8
        f.write(b'{"text": "' + b"x" * (10 * 1024 * 1024) + b'"}\n')      # 10 MB line
        f.write(post_line("6", 2))
    data = tmp_path / "data"
    result = subprocess.run(
        [hashlake_bin, "demo", "--data", str(data), "--port", str(free_port()), "--file",
         str(replay), "--duration", "6", "--window", "2s", "--watermark", "1s"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

    posts = deltalake.DeltaTable(str(data / "lake" / "posts")).to_pyarrow_table()
    assert sorted(posts.column("id").to_pylist()) == ["1", "6"]

    rejected = deltalake.DeltaTable(str(data / "lake" / "rejected")).to_pyarrow_table()
    assert rejected.num_rows == 4
    reasons = rejected.column("reason").to_pylist()
    assert any("UTF-8" in r for r in reasons), reasons
    assert any("oversized" in r for r in reasons), reasons
    assert all(r for r in reasons)
    # An oversized record keeps a prefix of its payload; the reason gives its full size.
    oversized = [r for r in reasons if "oversized" in r][0]
    assert int(oversized.split()[2]) > 10 * 1024 * 1024, oversized
    assert max(rejected.column("payload_bytes").to_pylist()) <= 64 * 1024

    counts = deltalake.DeltaTable(str(data / "lake" / "hashtag_counts")).to_pyarrow_table()
    assert sum(counts.column("count").to_pylist()) == 2
