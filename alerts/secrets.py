"""Webhook URLs and signing secrets are credentials: shown only masked, never logged whole.

A Slack webhook URL is the whole credential (anyone who has it can post), and so are the
URLs of Discord, Mattermost, Teams Workflows, Google Chat (its ``key`` and ``token``
query) and ntfy topics. They are stored as given, so they can be sent to, and masked
everywhere else: in listings, errors and logs. :func:`mask_url` keeps what tells sinks
apart (scheme, host, the path's leading plain words, two characters of the first secret
part) and hides the rest::

    https://hooks.slack.com/services/T000/B000/XXXX  →  https://hooks.slack.com/services/T0…/****

:class:`SinkUrlFilter` does the same to the request lines httpx logs at INFO.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import urlsplit

HIDDEN = "****"
SHOWN_CHARS = 2  # of the first secret part of a URL
# Path segments that are short lower-case words (``services``, ``api``, ``webhooks``,
# ``v1``) name the endpoint, not the credential; capitals, digits inside or length make a
# segment a secret (Slack's T0123ABCD, Discord's numeric ids, tokens).
_PLAIN_SEGMENT = re.compile(r"[a-z_][a-z_.-]{0,11}[0-9]?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://(.*)", re.DOTALL)
_HTTP = ("http", "https")


def mask_url(url: str) -> str:
    """``url`` with its credentials hidden (user info, the secret path, the query).

    The last path segment is never shown whole, so an ntfy topic or a one-segment token
    stays hidden too. A string that is no URL is hidden but for its first characters.
    """
    found = _SCHEME.fullmatch(url.strip())
    if found is None:
        return _prefix(url)
    scheme, rest = found.groups()
    if scheme.lower() not in _HTTP:
        # Apprise URLs (tgram://bot_token/chat, mailto://user:pass@host) carry secrets in
        # the "host" part as well.
        return f"{scheme}://{_prefix(rest)}"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return f"{scheme}://{_prefix(rest)}"
    if not parts.netloc:
        return f"{scheme}://{_prefix(rest)}"
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = (f"{HIDDEN}@" if "@" in parts.netloc else "") + host
    if port is not None:
        netloc += f":{port}"
    masked = f"{parts.scheme}://{netloc}{_mask_path(parts.path)}"
    if parts.query:
        masked += f"?{HIDDEN}"
    return masked


def _mask_path(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    shown: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if not last and _PLAIN_SEGMENT.fullmatch(segment):
            shown.append(segment)
            continue
        shown.append(segment[:SHOWN_CHARS] + "…")
        if not last:
            shown.append(HIDDEN)
        break
    return "".join(f"/{s}" for s in shown)


def _prefix(text: str) -> str:
    return text[:SHOWN_CHARS] + "…" if text else ""


def mask_secret(secret: str | None) -> str:
    """How a signing secret or access token is shown: never, only whether one is set."""
    if not secret:
        return "none"
    return "whsec_" + HIDDEN if secret.startswith("whsec_") else HIDDEN


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` (an error message) with every given URL or secret in it masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, mask_url(secret) if "://" in secret else HIDDEN)
    return text


class SinkUrlFilter(logging.Filter):
    """Masks registered sink URLs in the records of a logger (httpx logs every request's
    URL at INFO). Attach it with :meth:`install` and take it off with :meth:`uninstall`."""

    def __init__(self, logger: str = "httpx") -> None:
        super().__init__()
        self._logger = logging.getLogger(logger)
        self._urls: set[str] = set()
        self._lock = threading.Lock()

    def register(self, url: str) -> None:
        with self._lock:
            self._urls.add(url)

    def install(self) -> SinkUrlFilter:
        self._logger.addFilter(self)
        return self

    def uninstall(self) -> None:
        self._logger.removeFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            urls = tuple(self._urls)
        if not urls:
            return True
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                scrub(str(arg), urls) if any(u in str(arg) for u in urls) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str) and any(u in record.msg for u in urls):
            record.msg = scrub(record.msg, urls)
        return True
