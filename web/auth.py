"""Who may change tickers: the admin token, login sessions and CSRF tokens. Pure.

Admin actions (adding, editing, pausing, resuming and removing tickers) need the
configured admin token, either on each request (``Authorization: Bearer <token>``, for
API clients) or once on the login page, which sets a session cookie. Everything is
derived from the token with HMAC-SHA256, so there is no session table and changing the
token ends every session:

- session cookie: ``<expires>.<nonce>.<mac>``, ``mac`` over ``expires.nonce``;
- CSRF token of a session: a MAC over the cookie. Forms carry it in a hidden field,
  scripts in ``X-CSRF-Token``; a request authenticated by its cookie must bring it
  (the cookie is sent by the browser on its own, the token only by our own pages).

Without a configured token no admin action is possible and reading stays open.
Comparisons are constant-time (:func:`hmac.compare_digest`), over UTF-8 bytes: the
cookie and CSRF token arrive from the client, and ``compare_digest`` refuses ``str``
with non-ASCII characters.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

SESSION_COOKIE = "tickerwatch_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
NO_TOKEN_MESSAGE = (
    "admin actions are disabled: no admin token is configured "
    "(set [web] admin_token or TICKERWATCH_WEB__ADMIN_TOKEN); reading stays open"
)


@dataclass(frozen=True, slots=True)
class Gatekeeper:
    token: str | None
    session_seconds: float

    @property
    def enabled(self) -> bool:
        return self.token is not None

    def _mac(self, purpose: str, message: str) -> str:
        if self.token is None:
            raise PermissionError(NO_TOKEN_MESSAGE)
        key = hmac.new(self.token.encode(), f"tickerwatch {purpose}".encode(), hashlib.sha256)
        return hmac.new(key.digest(), message.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, supplied: str | None) -> bool:
        if self.token is None or not supplied:
            return False
        return hmac.compare_digest(supplied.encode(), self.token.encode())

    def bearer_matches(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header carries the admin token."""
        if not authorization:
            return False
        scheme, _, credentials = authorization.partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(credentials.strip())

    def new_session(self, *, now: datetime, nonce: str) -> str:
        """A session cookie value valid for ``session_seconds`` from ``now``."""
        expires = int(now.timestamp() + self.session_seconds)
        payload = f"{expires}.{nonce}"
        return f"{payload}.{self._mac('session', payload)}"

    def session_valid(self, cookie: str | None, *, now: datetime) -> bool:
        if self.token is None or not cookie:
            return False
        payload, _, mac = cookie.rpartition(".")
        expires, _, nonce = payload.partition(".")
        if not (expires.isascii() and expires.isdigit() and nonce and mac):
            return False
        if not hmac.compare_digest(mac.encode(), self._mac("session", payload).encode()):
            return False
        return now.timestamp() < int(expires)

    def csrf_token(self, cookie: str) -> str:
        return self._mac("csrf", cookie)

    def csrf_valid(self, cookie: str, supplied: str | None) -> bool:
        if not supplied:
            return False
        return hmac.compare_digest(supplied.encode(), self.csrf_token(cookie).encode())


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
