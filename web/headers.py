"""Response headers every answer carries: the Content-Security-Policy and friends, and
``Server-Timing`` (how long the server took before answering, for people and benchmarks).

Pages get a CSP that allows only the UI's own scripts, styles and frames. A raw ticker
page is hostile input: it is served with :data:`RAW_CSP`, whose ``sandbox`` directive
gives it an opaque origin with no scripts, no forms and no plugins even when opened
outside the UI's sandboxed iframe; no request may leave it (``default-src 'none'``).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
RAW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox"
)
_DEFAULTS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


class SecurityHeaders:
    """ASGI middleware: adds the page CSP (unless the response set its own, as raw pages
    do), ``X-Frame-Options`` to match it, the defaults above, and ``Server-Timing``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _secure(headers)
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers.append("Server-Timing", f"app;dur={elapsed_ms:.2f}")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure(headers: MutableHeaders | MutableMapping[str, Any]) -> None:
    own_csp = "content-security-policy" in headers
    if not own_csp:
        headers["Content-Security-Policy"] = PAGE_CSP
    if "x-frame-options" not in headers:
        headers["X-Frame-Options"] = "SAMEORIGIN" if own_csp else "DENY"
    for name, value in _DEFAULTS:
        if name.lower() not in headers:
            headers[name] = value
