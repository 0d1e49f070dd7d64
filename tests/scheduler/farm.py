"""A farm of live tickers on 127.0.0.1 that watches how it is polled.

``/t/<n>`` is ticker n. Each serves the snapshots of a saved case (the Kim–Putin seed
ticker by default), moving to the next one every ``advance_every`` requests *of that
ticker*, so changes follow polls, not the clock. It answers ``If-None-Match`` with 304
when the snapshot is the one the client has, can be told to fail (``statuses``) or to
answer slowly (``delay_s``), and records every request: when it began and ended, and how
many requests of one ticker were in flight at once (``overlaps``, the invariant every
scheduler must keep at zero).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.paths import EVAL

SEED = EVAL / "seed" / "kim-putin-2019"


@dataclass
class Served:
    """One request of one ticker: monotonic start and end, and the status sent."""

    ticker: int
    started: float
    ended: float | None = None
    status: int | None = None


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class TickerFarm:
    """``ThreadingHTTPServer`` on an ephemeral port of 127.0.0.1."""

    def __init__(self, case: Path = SEED, *, advance_every: int = 2) -> None:
        self.pages = [p.read_bytes() for p in sorted(case.glob("[0-9][0-9][0-9][0-9].html"))]
        self.etags = ['"' + hashlib.sha256(p).hexdigest()[:16] + '"' for p in self.pages]
        self.advance_every = advance_every
        self.delay_s = 0.0
        self.statuses: dict[int, Failure] = {}
        self.served: list[Served] = []
        self.overlaps: list[int] = []  # tickers seen polled twice at once
        self.max_in_flight = 0
        self.stopping = threading.Event()
        self._in_flight: dict[int, int] = {}
        self._count: dict[int, int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, ticker: int) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/t/{ticker}"

    def start(self) -> TickerFarm:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def in_flight(self) -> int:
        with self._lock:
            return sum(self._in_flight.values())

    def answered(self, ticker: int) -> int:
        """Requests of ``ticker`` answered to the end."""
        with self._lock:
            return sum(1 for s in self.served if s.ticker == ticker and s.ended is not None)

    def requests(self, ticker: int) -> int:
        with self._lock:
            return sum(1 for s in self.served if s.ticker == ticker)

    def _begin(self, ticker: int) -> tuple[Served, int]:
        with self._lock:
            record = Served(ticker, time.monotonic())
            self.served.append(record)
            index = self._count.get(ticker, 0)
            self._count[ticker] = index + 1
            now = self._in_flight.get(ticker, 0) + 1
            self._in_flight[ticker] = now
            if now > 1:
                self.overlaps.append(ticker)
            self.max_in_flight = max(self.max_in_flight, sum(self._in_flight.values()))
            return record, index

    def _end(self, record: Served, status: int | None) -> None:
        with self._lock:
            self._in_flight[record.ticker] -= 1
            if status is not None:
                record.ended = time.monotonic()
                record.status = status


def _handler_for(farm: TickerFarm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            parts = self.path.split("/")
            if len(parts) != 3 or parts[1] != "t" or not parts[2].isdigit():
                self._send(404, b"not found", {})
                return
            ticker = int(parts[2])
            record, index = farm._begin(ticker)
            status: int | None = None
            try:
                if farm.delay_s and farm.stopping.wait(farm.delay_s):
                    return
                status = self._answer(ticker, index)
            except (BrokenPipeError, ConnectionResetError):
                status = None
            finally:
                farm._end(record, status)

        def _answer(self, ticker: int, index: int) -> int:
            failure = farm.statuses.get(ticker)
            if failure is not None:
                self._send(failure.status, b"unavailable", failure.headers)
                return failure.status
            version = min(index // farm.advance_every, len(farm.pages) - 1)
            etag = farm.etags[version]
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", {"ETag": etag})
                return 304
            headers = {"ETag": etag, "Content-Type": "text/html; charset=utf-8"}
            self._send(200, farm.pages[version], headers)
            return 200

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
