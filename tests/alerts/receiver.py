"""A webhook receiver on 127.0.0.1 that records every request and answers from a script.

Answers are taken from ``script`` in turn (then ``default``), or from ``rule`` when it is
set; each may delay its answer. :meth:`Receiver.down` closes the listening socket (so
connections are refused, as from a receiver that is down) and :meth:`Receiver.up` opens
the same port again.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request as received; header names in lower case; ``status`` what was answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() on arrival
    status: int

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def webhook_id(self) -> str | None:
        return self.headers.get("webhook-id")

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay_s: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.script: list[Answer] = []
        self.default = Answer()
        self.rule: Callable[[str, dict[str, str], bytes], Answer] | None = None
        self.port = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        with self._lock:
            self.script.extend(answers)

    def accepted(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.accepted]

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def up(self) -> Receiver:
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self.port), _handler_for(self))
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def down(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def _next(self, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if self.rule is not None:
            return self.rule(path, headers, body)
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            arrived = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = receiver._next(self.path, headers, body)
            if answer.delay_s and receiver._stopping.wait(answer.delay_s):
                self.close_connection = True
                return
            receiver._record(
                Request(self.command, self.path, headers, body, arrived, answer.status)
            )
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the sender went away: it was received anyway

        do_POST = _handle
        do_PUT = _handle

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
