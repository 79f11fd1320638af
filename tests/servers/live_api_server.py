#!/usr/bin/env python3
"""A local stand-in for the live APIs hashlake reads, for tests (Python stdlib only).

    live_api_server.py --api x|jetstream|mastodon --plan PLAN.json --log LOG.jsonl
                       [--tls-cert CERT.pem --tls-key KEY.pem]

Listens on 127.0.0.1 (port 0 = any), prints "PORT <n>" on stdout, serves until killed.
Each API uses its real wire framing:

* x: GET /2/tweets/search/stream answers a chunked response, one JSON object per "\\r\\n",
  blank "\\r\\n" keep-alives between messages, chunk boundaries cutting messages anywhere.
* jetstream: GET /subscribe upgrades to a WebSocket (RFC 6455, hand-written) and sends
  one event per text frame; honours wantedCollections, wantedDids and the µs `cursor`
  (events with time_us >= cursor); answers pings with pongs.
* mastodon: GET /api/v1/streaming/... answers text/event-stream: `event:`/`data:` lines,
  `id:` lines, `:thump` heartbeat comments; resumes after Last-Event-ID.

The plan is {"payloads": [str...], "connections": [step...]}. Payloads are raw messages
(x: one JSON line; jetstream: one event; mastodon: {"event","data"}). Connection i follows
connections[min(i, len-1)]; a step is one of
  {"status": 503}                       answer an HTTP error (body: an X-style error JSON)
  {"send": N, "then": ACTION, ...}      send the next N payloads (null = all), then ACTION:
      "close"     end the stream cleanly (last chunk / close frame / end of body)
      "drop"      close the TCP connection abruptly
      "truncate"  send the first half of the next payload, then drop (x, mastodon)
      "stall"     send nothing more, read nothing (no pongs), keep the socket open
      "hold"      keep sending keep-alives and answering pings, never end
  optional "garbage": [str...] sent as extra messages before the payloads
  optional "error_after": obj  (x) an in-stream errors object after the payloads
Every request is appended to the log as JSON {"n", "path", "query", "headers"}.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import random
import ssl
import struct
import sys
import urllib.parse

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class State:
    def __init__(self, api, plan, log_path):
        self.api = api
        self.payloads = plan["payloads"]
        self.steps = plan["connections"]
        self.log_path = log_path
        self.connections = 0
        self.position = 0  # x: the next payload (X never resends)
        self.rng = random.Random(7)
        if api == "jetstream":
            self.payloads = sorted(self.payloads, key=lambda e: json.loads(e).get("time_us", 0))
        if api == "mastodon":  # event ids 1..n
            self.payloads = [dict(p, id=str(i + 1)) for i, p in enumerate(self.payloads)]

    def log(self, entry):
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return method, target, headers


def http_error(status):
    reason = {401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests",
              500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Error")
    body = json.dumps({"title": reason, "status": status, "detail": reason}).encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


async def stall_forever(writer):
    while True:
        await asyncio.sleep(3600)


# --- X filtered stream ---------------------------------------------------------------

async def serve_x(state, step, writer):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    buffered = bytearray()

    async def flush(force=False):
        # Cut the byte stream into chunks of random sizes: messages span chunks.
        while buffered and (force or len(buffered) > 64):
            n = min(len(buffered), state.rng.randint(1, 700))
            writer.write(b"%x\r\n" % n + bytes(buffered[:n]) + b"\r\n")
            del buffered[:n]
        await writer.drain()

    def message(text):
        buffered.extend(text.encode() + b"\r\n")
        if state.rng.random() < 0.3:
            buffered.extend(b"\r\n")  # a keep-alive between messages

    for g in step.get("garbage", []):
        message(g)
    count = step.get("send")
    end = len(state.payloads) if count is None else min(len(state.payloads), state.position + count)
    while state.position < end:
        message(state.payloads[state.position])
        state.position += 1
        await flush()
    if "error_after" in step:
        message(json.dumps(step["error_after"]))
    await flush(force=True)
    then = step.get("then", "hold")
    if then == "close":
        writer.write(b"0\r\n\r\n")
    elif then == "truncate" and state.position < len(state.payloads):
        half = state.payloads[state.position].encode()
        half = half[: len(half) // 2]
        state.position += 1
        writer.write(b"%x\r\n" % len(half) + half + b"\r\n")
    elif then == "stall":
        await writer.drain()
        await stall_forever(writer)
    elif then == "hold":
        while True:
            writer.write(b"2\r\n\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(0.2)
    await writer.drain()


# --- Mastodon SSE ----------------------------------------------------------------------

async def serve_mastodon(state, step, headers, writer):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                 b"Cache-Control: no-store\r\nConnection: close\r\n\r\n")
    writer.write(b":)\n\n")
    last = headers.get("last-event-id")
    start = int(last) if last and last.isdigit() else 0
    count = step.get("send")
    end = len(state.payloads) if count is None else min(len(state.payloads), start + count)
    for g in step.get("garbage", []):
        writer.write(g.encode())
    for p in state.payloads[start:end]:
        writer.write(f"id: {p['id']}\nevent: {p['event']}\ndata: {p['data']}\n\n".encode())
        if state.rng.random() < 0.3:
            writer.write(b":thump\n\n")
        await writer.drain()
    then = step.get("then", "hold")
    if then == "truncate" and end < len(state.payloads):
        p = state.payloads[end]
        text = f"id: {p['id']}\nevent: {p['event']}\ndata: {p['data']}\n\n".encode()
        writer.write(text[: len(text) // 2])
    elif then == "stall":
        await writer.drain()
        await stall_forever(writer)
    elif then == "hold":
        while True:
            writer.write(b":thump\n\n")
            await writer.drain()
            await asyncio.sleep(0.2)
    await writer.drain()


# --- Jetstream WebSocket ---------------------------------------------------------------

def ws_frame(opcode, payload):
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


async def ws_reader(reader, writer):
    """Answers pings and close frames from the client (whose frames are masked)."""
    try:
        while True:
            b0, b1 = await reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", await reader.readexactly(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", await reader.readexactly(8))
            mask = await reader.readexactly(4) if b1 & 0x80 else b"\0\0\0\0"
            data = bytes(c ^ mask[i % 4] for i, c in enumerate(await reader.readexactly(n)))
            opcode = b0 & 0x0F
            if opcode == 0x9:
                writer.write(ws_frame(0xA, data))
                await writer.drain()
            elif opcode == 0x8:
                writer.write(ws_frame(0x8, data[:2]))
                await writer.drain()
                return
    except (asyncio.IncompleteReadError, ConnectionError):
        return


def jetstream_wanted(event, collections, dids):
    if dids and event.get("did") not in dids:
        return False
    if event.get("kind") == "commit" and collections:
        return event.get("commit", {}).get("collection") in collections
    return True


async def serve_jetstream(state, step, query, headers, reader, writer):
    key = headers.get("sec-websocket-key", "")
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n").encode())
    collections = set(query.get("wantedCollections", []))
    dids = set(query.get("wantedDids", []))
    cursor = int(query.get("cursor", ["0"])[0])
    then = step.get("then", "hold")
    pong_task = None if then == "stall" else asyncio.create_task(ws_reader(reader, writer))
    events = [e for e in state.payloads
              if jetstream_wanted(json.loads(e), collections, dids)
              and json.loads(e).get("time_us", 0) >= cursor]
    count = step.get("send")
    for g in step.get("garbage", []):
        if g.startswith("binary:"):
            writer.write(ws_frame(0x2, g[7:].encode()))
        else:
            writer.write(ws_frame(0x1, g.encode()))
    for e in events[: len(events) if count is None else count]:
        writer.write(ws_frame(0x1, e.encode()))
        await writer.drain()
    if then == "close":
        writer.write(ws_frame(0x8, struct.pack("!H", 1001) + b"going away"))
    elif then == "stall":
        await writer.drain()
        await stall_forever(writer)
    elif then == "hold":
        await pong_task
    await writer.drain()


# --- dispatch -----------------------------------------------------------------------------

async def handle(state, reader, writer):
    try:
        method, target, headers = await read_request(reader)
        n = state.connections
        state.connections += 1
        parsed = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(parsed.query)
        state.log({"n": n, "method": method, "path": parsed.path, "query": query,
                   "headers": headers})
        step = state.steps[min(n, len(state.steps) - 1)]
        if "status" in step:
            writer.write(http_error(step["status"]))
        elif state.api == "x":
            await serve_x(state, step, writer)
        elif state.api == "mastodon":
            await serve_mastodon(state, step, headers, writer)
        else:
            await serve_jetstream(state, step, query, headers, reader, writer)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.transport.abort()  # "drop": no close frame, no final chunk
        except Exception:  # noqa: BLE001 - the peer may be gone already
            pass


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", choices=["x", "jetstream", "mastodon"], required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert", help="serve https/wss with this PEM certificate")
    parser.add_argument("--tls-key", help="the certificate's PEM private key")
    args = parser.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)
    state = State(args.api, plan, args.log)
    server = await asyncio.start_server(lambda r, w: handle(state, r, w), "127.0.0.1", args.port,
                                        limit=1 << 24, ssl=tls)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
