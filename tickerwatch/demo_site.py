"""A live ticker on 127.0.0.1 that replays a saved case, for the demo and the tests.

:class:`DemoSite` serves the case's snapshots as one page at ``/ticker``, moving to the
next snapshot every ``step_s`` seconds like a newsroom updating its ticker, or only when
told (:meth:`DemoSite.on_demand`: time plays no part, so a test polling the site cannot
race it). On the way the Kim–Putin seed ticker posts, edits, retitles the "Panne"
entry, serves a stale cache copy and a consent page. It answers conditional requests
as a good server does (``ETag`` and ``Last-Modified``, 304 when nothing changed) and
serves a ``robots.txt`` that allows everything. Only loopback: the server binds 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from tickerwatch.replay import Case, load_case

Clock = Callable[[], datetime]
PAGE_PATH = "/ticker"


def bundled_case(name: str = "kim-putin-2019") -> Case:
    """A case shipped with the package (``tickerwatch/demo_data/<name>``)."""
    folder = resources.files("tickerwatch") / "demo_data" / name
    return load_case(Path(str(folder)))


@dataclass(frozen=True, slots=True)
class Version:
    body: bytes
    content_type: str
    etag: str
    last_modified: str


class DemoSite:
    """Which snapshot is live; the last one stays once all were shown.

    Two paces. On the clock (``step_s`` seconds, the interactive demo): the n-th
    ``step_s`` seconds after ``start`` show snapshot n. On demand (:meth:`on_demand`,
    ``step_s`` is None): snapshot n is live once :meth:`advance` was called n times,
    whatever the time, so whoever polls the site decides when it moves and no poll can
    meet a version early because the machine was slow.
    """

    def __init__(self, case: Case, *, step_s: float | None, start: datetime) -> None:
        if step_s is not None and step_s <= 0:
            raise ValueError("step_s must be positive")
        self.case = case
        self.step_s = step_s
        self.start = start
        self._advanced = 0  # on demand: calls of advance() so far
        self._lock = threading.Lock()  # advance() runs in the poller's thread
        self._versions = tuple(
            Version(
                body=(body := snapshot.path.read_bytes()),
                content_type=snapshot.content_type or "text/html; charset=utf-8",
                etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
                last_modified=format_datetime(
                    start.astimezone(UTC).replace(microsecond=0), usegmt=True
                ),
            )
            for snapshot in case.snapshots
        )

    @classmethod
    def on_demand(cls, case: Case, *, start: datetime) -> DemoSite:
        """A site that shows snapshot 0 until told to :meth:`advance` (``start`` only
        dates the ``Last-Modified`` header)."""
        return cls(case, step_s=None, start=start)

    @property
    def versions(self) -> int:
        return len(self._versions)

    def index_at(self, now: datetime) -> int:
        if self.step_s is None:
            steps = self._advanced
        else:
            steps = int((now - self.start).total_seconds() // self.step_s)
        return max(0, min(len(self._versions) - 1, steps))

    def version(self, index: int) -> Version:
        return self._versions[index]

    def version_at(self, now: datetime) -> Version:
        return self._versions[self.index_at(now)]

    def advance(self) -> int:
        """On demand: make the next snapshot live (the last one stays); returns the
        index now live. A site on the clock refuses: it moves on its own."""
        if self.step_s is not None:
            raise RuntimeError("a site on the clock advances on its own")
        with self._lock:
            self._advanced = min(self._advanced + 1, len(self._versions) - 1)
            return self._advanced

    def finished_at(self) -> float | None:
        """Seconds after ``start`` when the last snapshot goes live (None on demand:
        when told)."""
        return None if self.step_s is None else (len(self._versions) - 1) * self.step_s


class LoopbackServer:
    """An HTTP server on 127.0.0.1 answering from a background thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, name: str, port: int = 0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name=name, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class DemoServer:
    """Serves a :class:`DemoSite` on 127.0.0.1 from a background thread."""

    def __init__(self, site: DemoSite, *, clock: Clock, port: int = 0) -> None:
        self.site = site
        self._clock = clock
        self.requests: list[tuple[str, int]] = []  # (path, status), for tests
        # Index of the snapshot the page was last served as (200 or 304): what a poll
        # saw, rather than what the clock says it should have seen.
        self.last_served: int | None = None
        self._http = LoopbackServer(_handler_for(self), name="demo-site", port=port)

    @property
    def url(self) -> str:
        return self._http.origin + PAGE_PATH

    def start(self) -> DemoServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def now(self) -> datetime:
        return self._clock()


def _handler_for(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "tickerwatch-demo"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/robots.txt":
                self._send(HTTPStatus.OK, b"User-agent: *\nAllow: /\n", "text/plain")
            elif path == PAGE_PATH:
                index = server.site.index_at(server.now())
                server.last_served = index
                self._page(server.site.version(index))
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

        def _page(self, version: Version) -> None:
            if self.headers.get("If-None-Match") == version.etag:
                self._send(HTTPStatus.NOT_MODIFIED, b"", None, version)
                return
            self._send(HTTPStatus.OK, version.body, version.content_type, version)

        def _send(
            self,
            status: HTTPStatus,
            body: bytes,
            content_type: str | None,
            version: Version | None = None,
        ) -> None:
            server.requests.append((self.path, int(status)))
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if version is not None:
                self.send_header("ETag", version.etag)
                self.send_header("Last-Modified", version.last_modified)
                self.send_header("Cache-Control", "no-cache")
            if status is not HTTPStatus.NOT_MODIFIED:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the demo prints what the poller sees, not the server's log."""

    return Handler
