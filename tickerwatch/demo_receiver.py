"""The demo's alert sink: a generic-webhook receiver on 127.0.0.1 that verifies each
request's Standard Webhooks signature and hands what arrived to a callback, one line per
change, so the demo's console shows alerts as a chat channel would receive them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from alerts.formatting import KIND_WORDS, verify_webhook
from alerts.formatting.text import cut_words
from diffing.model import ChangeKind
from tickerwatch.bootstrap import utc_now
from tickerwatch.demo_site import LoopbackServer

HOOK_PATH = "/hook"
LABEL_CHARS = 70  # of a change's headline or text on a console line


def alert_lines(body: Mapping[str, Any]) -> list[str]:
    """One line per change of a generic-webhook body (a change or a digest)."""
    data = body.get("data", {})
    changes = data.get("changes", []) if body.get("type") == "tickerwatch.digest" else [data]
    lines = []
    for change in changes:
        try:
            kind = KIND_WORDS[ChangeKind(change.get("kind"))]
        except ValueError:
            kind = str(change.get("kind"))
        words = change.get("title") or change.get("text") or ""
        words = cut_words(words, LABEL_CHARS)
        lines.append(f"{kind}: {words}")
    return lines


class AlertReceiver:
    """Receives signed generic-webhook alerts on loopback from a background thread."""

    def __init__(self, secret: str, on_alert: Callable[[list[str]], None]) -> None:
        self.secret = secret
        self.received = 0
        self.refused = 0
        self._on_alert = on_alert
        self._seen: set[str] = set()
        self._http = LoopbackServer(_handler_for(self), name="demo-alerts")

    @property
    def url(self) -> str:
        return self._http.origin + HOOK_PATH

    def start(self) -> AlertReceiver:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def accept(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """Verify and record one request; a repeated ``webhook-id`` is acknowledged but
        not shown again (what a receiver does with an at-least-once sender)."""
        if not verify_webhook(body, headers, self.secret, now=utc_now()):
            self.refused += 1
            return False
        delivery = headers.get("webhook-id", "")
        if delivery in self._seen:
            return True
        self._seen.add(delivery)
        self.received += 1
        self._on_alert(alert_lines(json.loads(body)))
        return True


def _handler_for(receiver: AlertReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok = self.path == HOOK_PATH and receiver.accept(body, headers)
            self.send_response(HTTPStatus.NO_CONTENT if ok else HTTPStatus.UNAUTHORIZED)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the demo's console shows the alerts themselves

    return Handler
