"""A real HTTP/1.1 server on 127.0.0.1 with programmable routes, for the fetcher tests.

Routes map a request target (the path and query, or the absolute URL a proxy
receives) to a :class:`Reply`, a list of replies served in turn (the last one
repeats), or a function of the :class:`Seen` request. Every request is recorded.
Server-side waits end early when the server stops, so no test outlives its server.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Seen:
    """One request as the server received it; header names are lower-case."""

    target: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Reply:
    """What to answer. ``chunks`` sends a chunked body (no Content-Length) with
    ``chunk_delay_s`` between chunks; ``delay_s`` waits before the status line."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: Iterator[bytes] | list[bytes] | None = None
    delay_s: float = 0.0
    chunk_delay_s: float = 0.0


Route = Reply | list[Reply] | Callable[[Seen], Reply]


class LoopbackServer:
    """``ThreadingHTTPServer`` on an ephemeral port of 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self.bytes_sent: dict[str, int] = {}
        self.errors: list[BaseException] = []  # unexpected handler errors; fixtures assert none
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._httpd.errors = self.errors
        # A short poll interval makes shutdown() return quickly (it waits for one poll).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, target: str) -> int:
        return sum(1 for seen in self.seen if seen.target == target)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def reply_for(self, seen: Seen) -> Reply:
        route = self.routes.get(seen.target)
        if route is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        if isinstance(route, Reply):
            return route
        if isinstance(route, list):
            with self._lock:
                index = self._served.get(seen.target, 0)
                self._served[seen.target] = index + 1
            return route[min(index, len(route) - 1)]
        return route(seen)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    errors: list[BaseException]

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        # A client that hangs up mid-response (the size cap, a timeout) is expected.
        if error is not None and not isinstance(error, ConnectionError):
            self.errors.append(error)


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle
        # and delayed ACKs add ~40 ms to every response.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
            server.seen.append(seen)
            reply = server.reply_for(seen)
            if reply.delay_s and server.stopping.wait(reply.delay_s):
                self.close_connection = True
                return
            try:
                self._write(seen.target, reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client stopped reading: expected

        def _write(self, target: str, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks:
                    if reply.chunk_delay_s and server.stopping.wait(reply.chunk_delay_s):
                        self.close_connection = True
                        return
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    with server._lock:
                        server.bytes_sent[target] = server.bytes_sent.get(target, 0) + len(chunk)
                self.wfile.write(b"0\r\n\r\n")
                return
            if reply.status not in (204, 304) and "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status not in (204, 304):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean

    return Handler
