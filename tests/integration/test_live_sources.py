"""The live sources (x, bluesky, mastodon) against local servers replaying the real
captured payloads in shared/data/tweets with each API's framing, with injected
disconnects, 429s, 5xx, stalls, truncated and malformed messages.

Each source runs in `source_probe` (a test-only driver built with the tests) which
prints records as bus JSON lines. The reference for "the posts that went in" is the same
payloads decoded by the replay source: the live posts must equal them, none lost, none
doubled. Backoff waits run on a virtual clock (`--virtual-time`) and are checked exactly.
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED_DATA, build_dir

SERVER = ROOT / "tests" / "servers" / "live_api_server.py"
TWEETS = SHARED_DATA / "tweets"


@pytest.fixture(scope="module")
def probe() -> pathlib.Path:
    binary = build_dir() / "source_probe"
    if not binary.exists():
        pytest.fail(f"{binary} not found: build the source_probe target (tests on) or set "
                    "HASHLAKE_BUILD_DIR")
    return binary


@pytest.fixture(scope="module")
def tweets() -> pathlib.Path:
    if not TWEETS.is_dir():
        pytest.skip(f"{TWEETS} is absent (a user's clone): live-source replay tests skipped")
    return TWEETS


class Server:
    def __init__(self, api, plan, tmp_path, tls=None):
        self.log = tmp_path / f"{api}.log.jsonl"
        plan_path = tmp_path / f"{api}.plan.json"
        plan_path.write_text(json.dumps(plan))
        extra = ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])] if tls else []
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER), "--api", api, "--plan", str(plan_path),
             "--log", str(self.log), *extra], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("PORT "), line
        self.port = int(line.split()[1])

    def requests(self):
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(api, plan, tls=None):
        server = Server(api, plan, tmp_path, tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def run_probe(probe, args, env_extra=None, timeout=90):
    env = dict(os.environ)
    env.update(env_extra or {})
    proc = subprocess.run([str(probe), *args], capture_output=True, text=True, env=env,
                          timeout=timeout)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    events, stats, errors = [], None, []
    for line in proc.stderr.splitlines():
        if line.startswith("{\"stats\""):
            stats = json.loads(line)["stats"]
        elif line.startswith("{\"event\""):
            events.append(json.loads(line))
        elif line.startswith("source_probe:"):
            errors.append(line)
    return proc.returncode, records, events, stats, errors


def posts_by_id(records, repeats_allowed=False):
    """Posts keyed by id, without ingested_at. The first of repeated ids is kept where
    repeats are allowed (a reference made of payloads that repeat a post)."""
    out = {}
    for r in records:
        if r.get("type") == "rejected":
            continue
        r = dict(r)
        r.pop("ingested_at", None)
        if r["id"] in out:
            assert repeats_allowed, f"post {r['id']} emitted twice"
            continue
        out[r["id"]] = r
    return out


def rejects(records):
    return [r for r in records if r.get("type") == "rejected"]


def reference(probe, tmp_path, name, lines):
    """The records the replay source makes of the same payloads, one per line."""
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    rc, records, _, _, errors = run_probe(probe, ["--source", "replay", "--file", str(path)])
    assert rc == 0, errors
    return records


def waits(events):
    return [e["delay_us"] for e in events if e["event"] == "waiting"]


# --- X ----------------------------------------------------------------------------------

def x_stream_messages(tweets):
    """Filtered-stream messages: the captured stream file as is, and every tweet of the
    captured v2 pages re-framed as a stream message with its author and place."""
    messages = (tweets / "twitter_v2" / "twarc-csv_streaming_output_with_error.jsonl"
                ).read_text().splitlines()
    seen = set()
    for line in messages:
        try:
            seen.add(json.loads(line)["data"]["id"])
        except ValueError:
            pass  # the captured file's last line is cut
    for name in ["twarc-csv_withheld.jsonl", "twarc-csv_brexit.jsonl", "twarc-csv_2sets.jsonl",
                 "twarc-csv_geo_tweets.jsonl"]:
        for line in (tweets / "twitter_v2" / name).read_text().splitlines():
            page = json.loads(line)
            data = page.get("data")
            if not isinstance(data, list):
                continue
            includes = page.get("includes", {})
            users = {u["id"]: u for u in includes.get("users", [])}
            places = {p["id"]: p for p in includes.get("places", [])}
            for t in data:
                if t["id"] in seen:  # the pages overlap; the stream test wants distinct posts
                    continue
                seen.add(t["id"])
                inc = {}
                if t.get("author_id") in users:
                    inc["users"] = [users[t["author_id"]]]
                place_id = (t.get("geo") or {}).get("place_id")
                if place_id in places:
                    inc["places"] = [places[place_id]]
                messages.append(json.dumps({"data": t, "includes": inc,
                                            "matching_rules": [{"id": "1", "tag": "t"}]},
                                           separators=(",", ":")))
    return messages


def test_x_stream_replays_real_payloads_through_faults(probe, tweets, serve, tmp_path):
    messages = x_stream_messages(tweets)
    assert len(messages) > 400
    truncated_index = 8 + 50 + 30  # the message the "truncate" step cuts in half
    plan = {"payloads": messages, "connections": [
        {"status": 503},
        {"send": 8 + 50, "then": "close"},
        {"status": 429},
        {"send": 30, "then": "truncate"},
        {"send": 20, "then": "stall"},
        {"send": 10, "garbage": ["{not json"],
         "error_after": {"errors": [{"title": "operational-disconnect",
                                     "disconnect_type": "UpstreamOperationalDisconnect",
                                     "detail": "This stream has been disconnected upstream."}]},
         "then": "hold"},
        {"status": 500},
        {"send": None, "then": "hold"},
    ]}
    server = serve("x", plan)
    expected = reference(probe, tmp_path, "x_ref.ndjson",
                         messages[:truncated_index] + messages[truncated_index + 1:])
    want_posts = posts_by_id(expected)
    want_rejects = len(rejects(expected)) + 2  # + the cut message and "{not json"
    rc, records, events, stats, errors = run_probe(
        probe, ["--source", "x", "--url", f"http://127.0.0.1:{server.port}", "--virtual-time",
                "--stall-ms", "700", "--limit", str(len(want_posts) + want_rejects),
                "--seconds", "60"],
        env_extra={"X_BEARER_TOKEN": "test-token"})
    assert rc == 0, errors
    got = posts_by_id(records)
    assert got.keys() == want_posts.keys()
    assert got == want_posts
    reasons = [r["reason"] for r in rejects(records)]
    assert len(reasons) == want_rejects, reasons
    assert sum("truncated" in r for r in reasons) == 1, reasons
    assert sum(r.startswith("invalid JSON") for r in reasons) >= 2, reasons
    # 503 -> 5 s; healthy stream closed -> at once; 429 -> 1 min; cut, stalled and
    # operationally disconnected healthy streams -> at once; 500 -> 5 s (reset by success).
    assert waits(events) == [5_000_000, 0, 60_000_000, 0, 0, 0, 5_000_000]
    assert stats["stalls"] == 1 and stats["truncated"] == 1 and stats["rate_limited"] == 1
    assert stats["keepalives"] > 0 and stats["duplicates"] == 0
    first = server.requests()[0]
    assert first["path"] == "/2/tweets/search/stream"
    assert first["headers"]["authorization"] == "Bearer test-token"
    assert "geo.place_id" in first["query"]["expansions"][0]
    for field in ["created_at", "lang", "entities", "public_metrics", "referenced_tweets"]:
        assert field in first["query"]["tweet.fields"][0].split(",")
    assert "location" in first["query"]["user.fields"][0].split(",")
    for field in ["country_code", "full_name", "geo"]:
        assert field in first["query"]["place.fields"][0].split(",")


def test_x_bad_token_is_one_line_error_without_retry(probe, serve):
    server = serve("x", {"payloads": [], "connections": [{"status": 401}]})
    rc, records, events, _, errors = run_probe(
        probe, ["--source", "x", "--url", f"http://127.0.0.1:{server.port}", "--virtual-time",
                "--seconds", "20"], env_extra={"X_BEARER_TOKEN": "bad"})
    assert rc == 1
    assert records == []
    assert len(errors) == 1 and "X_BEARER_TOKEN" in errors[0] and "HTTP 401" in errors[0]
    assert len(server.requests()) == 1
    assert waits(events) == []


def test_x_missing_token_names_the_variable(probe):
    env = {k: v for k, v in os.environ.items() if k != "X_BEARER_TOKEN"}
    proc = subprocess.run([str(probe), "--source", "x", "--url", "http://127.0.0.1:9"],
                          capture_output=True, text=True, env=env, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].endswith("X_BEARER_TOKEN is not set: export "
                                                         "your X app's bearer token in it")


# --- Bluesky Jetstream -------------------------------------------------------------------

def jetstream_events(tweets):
    lines = []
    for name in ["jetstream_v1_expected_v1.jsonl", "jetstream_v1_golden_v1.jsonl"]:
        lines += [l for l in (tweets / "bluesky" / name).read_text().splitlines() if l.strip()]
    return lines


def test_bluesky_jetstream_resumes_from_cursor_without_loss_or_doubles(probe, tweets, serve,
                                                                       tmp_path):
    events = jetstream_events(tweets)
    plan = {"payloads": events, "connections": [
        {"send": 5, "then": "drop"},
        {"status": 429},
        {"send": 4, "then": "close"},
        {"send": 3, "garbage": ["{\"did\": broken", "binary:compressed"], "then": "stall"},
        {"status": 503},
        {"send": None, "then": "hold"},
    ]}
    server = serve("jetstream", plan)
    # What the server sends at all: posts collection, plus identity/account events.
    sent = [e for e in events
            if json.loads(e).get("kind") != "commit"
            or json.loads(e)["commit"]["collection"] == "app.bsky.feed.post"]
    expected = posts_by_id(reference(probe, tmp_path, "bsky_ref.ndjson", sent))
    assert len(expected) >= 17
    rc, records, evs, stats, errors = run_probe(
        probe, ["--source", "bluesky", "--url", f"ws://127.0.0.1:{server.port}/subscribe",
                "--virtual-time", "--stall-ms", "800", "--limit", str(len(expected) + 2),
                "--seconds", "60"])
    assert rc == 0, errors
    got = posts_by_id(records)
    assert got == expected
    reasons = sorted(r["reason"] for r in rejects(records))
    assert len(reasons) == 2, reasons
    assert reasons[0].startswith("binary WebSocket message")
    assert reasons[1].startswith("invalid JSON")
    assert stats["duplicates"] > 0  # the overlap was replayed and dropped
    assert waits(evs) == [0, 60_000_000, 0, 0, 5_000_000]
    reqs = server.requests()
    assert all(r["query"]["wantedCollections"] == ["app.bsky.feed.post"] for r in reqs)
    assert "cursor" not in reqs[0]["query"]
    times = sorted(json.loads(e)["time_us"] for e in sent)
    # After the first 5 events, resume at the 5th event's time_us minus the 2 s overlap.
    assert int(reqs[1]["query"]["cursor"][0]) == times[4] - 2_000_000
    assert all("cursor" in r["query"] for r in reqs[1:])


def test_bluesky_wanted_dids_are_requested(probe, tweets, serve):
    events = jetstream_events(tweets)
    did = next(json.loads(e)["did"] for e in events
               if json.loads(e).get("commit", {}).get("collection") == "app.bsky.feed.post"
               and json.loads(e)["commit"].get("operation") == "create")
    server = serve("jetstream", {"payloads": events, "connections": [{"send": None,
                                                                       "then": "hold"}]})
    rc, records, _, _, errors = run_probe(
        probe, ["--source", "bluesky", "--url", f"ws://127.0.0.1:{server.port}/subscribe",
                "--wanted-did", did, "--seconds", "3"])
    assert rc == 0, errors
    assert records and all(r["author_id"] == did for r in records if "author_id" in r)
    assert server.requests()[0]["query"]["wantedDids"] == [did]


# --- Mastodon ---------------------------------------------------------------------------

def mastodon_events(tweets):
    """The documented SSE examples (update, status.update, delete, notification, ...)
    followed by the captured public timeline as update events."""
    events, current = [], {}
    for line in (tweets / "mastodon" / "mastodon_docs_streaming_sse_examples.sse"
                 ).read_text().splitlines():
        if line.startswith("event:"):
            current = {"event": line[6:].strip()}
        elif line.startswith("data:"):
            current["data"] = line[5:].strip()
        elif not line.strip() and "data" in current:
            events.append(current)
            current = {}
    if "data" in current:
        events.append(current)
    timeline = json.loads((tweets / "mastodon" / "tootkit_public_timeline_2020-04-16.json"
                           ).read_text())
    events += [{"event": "update", "data": json.dumps(s, separators=(",", ":"))}
               for s in timeline]
    return events


def test_mastodon_sse_replays_real_payloads_through_faults(probe, tweets, serve, tmp_path):
    events = mastodon_events(tweets)
    deletes = sum(e["event"] == "delete" for e in events)
    assert deletes == 6
    plan = {"payloads": events, "connections": [
        {"send": 10, "then": "truncate"},
        {"status": 503},
        {"send": 8, "then": "drop"},
        {"send": 5, "then": "stall"},
        {"status": 429},
        {"send": None, "then": "hold"},
    ]}
    server = serve("mastodon", plan)
    updates = [e["data"] for e in events if e["event"] == "update"]
    # The docs repeat some statuses across sections: each must come out once.
    expected = posts_by_id(reference(probe, tmp_path, "masto_ref.ndjson", updates),
                           repeats_allowed=True)
    assert len(expected) >= 20
    rc, records, evs, stats, errors = run_probe(
        probe, ["--source", "mastodon", "--url", f"http://127.0.0.1:{server.port}",
                "--stream", "public:local", "--virtual-time", "--stall-ms", "800",
                "--limit", str(len(expected) + 1), "--seconds", "60"])
    assert rc == 0, errors
    assert posts_by_id(records) == expected
    reasons = [r["reason"] for r in rejects(records)]
    assert len(reasons) == 1 and reasons[0].startswith("truncated SSE event"), reasons
    assert stats["deletes"] == deletes
    assert waits(evs) == [0, 5_000_000, 0, 0, 60_000_000]
    reqs = server.requests()
    assert reqs[0]["path"] == "/api/v1/streaming/public/local"
    assert "last-event-id" not in reqs[0]["headers"]
    assert reqs[1]["headers"]["last-event-id"] == "10"
    assert reqs[3]["headers"]["last-event-id"] == "18"


def test_mastodon_hashtag_stream_and_token(probe, tweets, serve):
    server = serve("mastodon", {"payloads": mastodon_events(tweets)[:3],
                                "connections": [{"send": None, "then": "hold"}]})
    rc, _, _, _, errors = run_probe(
        probe, ["--source", "mastodon", "--url", f"http://127.0.0.1:{server.port}",
                "--stream", "hashtag", "--tag", "#caturday", "--seconds", "1"],
        env_extra={"MASTODON_TOKEN": "masto"})
    assert rc == 0, errors
    req = server.requests()[0]
    assert req["path"] == "/api/v1/streaming/hashtag"
    assert req["query"]["tag"] == ["caturday"]
    assert req["headers"]["authorization"] == "Bearer masto"


# --- TLS --------------------------------------------------------------------------------

@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1; clients trust it through SSL_CERT_FILE."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    proc = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {proc.stderr.strip()}")
    return cert, key


def test_https_and_wss_verify_the_server_certificate(probe, tweets, serve, certificate):
    messages = x_stream_messages(tweets)[:7]
    server = serve("x", {"payloads": messages, "connections": [{"send": None, "then": "hold"}]},
                   tls=certificate)
    url = f"https://127.0.0.1:{server.port}"
    rc, records, _, _, errors = run_probe(
        probe, ["--source", "x", "--url", url, "--limit", "7", "--seconds", "30"],
        env_extra={"X_BEARER_TOKEN": "t", "SSL_CERT_FILE": str(certificate[0])})
    assert rc == 0, errors
    assert len(posts_by_id(records)) == 7

    # Not trusted: every attempt fails in the TLS handshake and nothing is read.
    rc, records, events, stats, _ = run_probe(
        probe, ["--source", "x", "--url", url, "--seconds", "2", "--virtual-time"],
        env_extra={"X_BEARER_TOKEN": "t", "SSL_CERT_FILE": "/nonexistent.pem"})
    assert rc == 0 and records == []
    ended = [e for e in events if e["event"] == "ended"]
    assert ended and all("TLS handshake" in e["message"] for e in ended)
    assert stats["connects"] == 0

    events_in = jetstream_events(tweets)
    jet = serve("jetstream", {"payloads": events_in, "connections": [{"send": None,
                                                                       "then": "hold"}]},
                tls=certificate)
    rc, records, _, _, errors = run_probe(
        probe, ["--source", "bluesky", "--url", f"wss://127.0.0.1:{jet.port}/subscribe",
                "--limit", "5", "--seconds", "30"],
        env_extra={"SSL_CERT_FILE": str(certificate[0])})
    assert rc == 0, errors
    assert len(posts_by_id(records)) == 5
