"""A fault-injecting HTTP proxy for S3 tests: sits between hashlake and the S3 server.

Forwards every request unchanged (the Host header included, so SigV4 signatures still
verify upstream) and, as `plan(request)` decides, injects one of:

  drop_before  close the connection without forwarding
  drop_after   forward (the request takes effect), then close without answering:
               the client cannot know whether it happened
  500_before   answer 500 InternalError without forwarding
  500_after    forward, then answer 500 InternalError (again ambiguous)
  503          answer 503 SlowDown without forwarding

`counts` tallies what was injected, by fault and by request kind, for the tests to assert.
Run in-process: `proxy = FaultProxy(upstream_port); proxy.start(); ... proxy.stop()`.
"""

import collections
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ERROR_500 = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
             b"<Message>injected</Message></Error>")
ERROR_503 = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
             b"<Message>injected: reduce your request rate</Message></Error>")


def request_kind(method: str, path: str) -> str:
    """commit | part | complete | create_upload | data | list | read | delete."""
    if "partNumber=" in path:
        return "part"
    if method == "POST" and "uploads" in path.split("?", 1)[-1] and "uploadId=" not in path:
        return "create_upload"
    if method == "POST" and "uploadId=" in path:
        return "complete"
    if method == "PUT":
        return "commit" if "/_delta_log/" in path and path.endswith(".json") else "data"
    if method == "DELETE":
        return "delete"
    if "list-type=2" in path:
        return "list"
    return "read"


class FaultProxy:
    def __init__(self, upstream_port: int, plan=None):
        self.upstream_port = upstream_port
        self.plan = plan or (lambda method, path, kind, n: None)
        self.counts = collections.Counter()
        self.requests = collections.Counter()
        self._lock = threading.Lock()
        self._n = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                kind = request_kind(self.command, self.path)
                with proxy._lock:
                    proxy._n += 1
                    n = proxy._n
                    proxy.requests[kind] += 1
                fault = proxy.plan(self.command, self.path, kind, n)
                if fault:
                    with proxy._lock:
                        proxy.counts[fault] += 1
                        proxy.counts[f"{fault}:{kind}"] += 1
                if fault == "drop_before":
                    self.close_connection = True
                    return
                if fault in ("500_before", "503"):
                    self._reply(500 if fault == "500_before" else 503, {},
                                ERROR_500 if fault == "500_before" else ERROR_503)
                    return
                conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items()}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                resp_headers = {k: v for k, v in resp.getheaders()
                                if k.lower() not in ("content-length", "connection",
                                                     "transfer-encoding")}
                conn.close()
                if fault == "drop_after":
                    self.close_connection = True
                    return
                if fault == "500_after":
                    self._reply(500, {}, ERROR_500)
                    return
                if self.command == "HEAD":
                    resp_headers["Content-Length"] = resp.getheader("Content-Length") or "0"
                    self._reply(resp.status, resp_headers, b"", head=True)
                else:
                    self._reply(resp.status, resp_headers, data)

            def _reply(self, status, headers, body, head=False):
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if not head:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head and body:
                    self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
