"""Sending payloads to sinks: the only module of the package that does network I/O.

:class:`HttpSender` sends a :class:`~alerts.alert.Payload` with one shared
``httpx.AsyncClient`` and reports what the sink answered as a
:class:`~alerts.model.SinkResponse`, never as an exception: a timeout or a refused
connection is a response without a status. Redirects are not followed (a webhook that
redirects is misconfigured, and a POST must not turn into a GET). Response bodies are
read up to :data:`MAX_BODY_BYTES`: only error texts and rate-limit hints are wanted.

Apprise sinks go through the ``apprise`` package when it is installed (``pip install
'tickerwatch[apprise]'``), in a worker thread since Apprise is synchronous; without it
sending raises :class:`~alerts.errors.SinkUnavailable` with a clear message (the
delivery becomes a dead letter, to be retried once the package is installed).

Every connection goes through :func:`~ingest.fetching.connect.guarded_transport`: the
address actually connected must pass the fetcher's SSRF policy (``allow_private_addresses``
is its one override), so a sink at a private or metadata address, or a name that
resolves to one, is answered by a response without a status saying it was refused.

Sink URLs are credentials: error texts have them masked, and the request lines httpx
logs pass through a :class:`~alerts.secrets.SinkUrlFilter`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
from collections.abc import AsyncIterator
from typing import Any, Protocol

import httpx

from alerts.alert import Payload, SinkKind
from alerts.errors import SinkUnavailable
from alerts.formatting.apprise import split as apprise_parts
from alerts.model import SinkResponse
from alerts.secrets import SinkUrlFilter, scrub
from ingest.fetching.connect import guarded_transport
from ingest.fetching.guard import Resolver, system_resolver

MAX_BODY_BYTES = 64 * 1024
REFUSED = "connection refused"  # how a refused connection's error text begins
APPRISE_MISSING = "Apprise sinks need the apprise package: pip install 'tickerwatch[apprise]'"


class Sender(Protocol):
    """Sends one payload to one sink and says what came of it; raises only
    :class:`~alerts.errors.SinkUnavailable` (this process cannot send to such a sink)."""

    async def send(
        self, kind: SinkKind, url: str, payload: Payload, *, secret: str | None = None
    ) -> SinkResponse: ...


def refused(error: BaseException, url: str) -> str | None:
    """The words for a connection the sink's host refused (httpx says only "All connection
    attempts failed"), naming the host and port, never the path; None for other errors.

    A refused connection is retried like any failure: a receiver being restarted
    refuses for a moment. When nothing ever listens there (a wrong port, a receiver
    never started), the retries end in a dead letter, and these words say why."""
    cause: BaseException | None = error
    for _ in range(8):  # httpx → httpcore → OSError → ConnectionRefusedError
        if cause is None:
            return None
        if isinstance(cause, ConnectionRefusedError):
            break
        cause = cause.__cause__ or cause.__context__
    else:
        return None
    try:
        parsed = httpx.URL(url)
        host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
        where = f"{host}:{parsed.port or (443 if parsed.scheme == 'https' else 80)}"
    except httpx.InvalidURL:
        where = "the sink's host"
    return (
        f"{REFUSED} by {where}: nothing listens there "
        "(the receiver is down, or the URL's host or port is wrong)"
    )


def apprise_available() -> bool:
    return importlib.util.find_spec("apprise") is not None


def check_sink_kind(kind: SinkKind) -> None:
    """Raise :class:`SinkUnavailable` when this process cannot send to ``kind``."""
    if kind is SinkKind.APPRISE and not apprise_available():
        raise SinkUnavailable(APPRISE_MISSING)


class HttpSender:
    """Implements :class:`Sender` with an ``httpx.AsyncClient`` (see :func:`open_sender`)."""

    def __init__(self, client: httpx.AsyncClient, *, url_filter: SinkUrlFilter | None = None):
        self._client = client
        self._filter = url_filter

    async def send(
        self, kind: SinkKind, url: str, payload: Payload, *, secret: str | None = None
    ) -> SinkResponse:
        secrets = (url, payload.url or "", secret or "")
        if kind is SinkKind.APPRISE:
            return await _send_apprise(url, payload, secrets)
        target = payload.url or url
        headers = {"Content-Type": payload.content_type, **dict(payload.headers)}
        try:
            if self._filter is not None:
                self._filter.register(target)
                self._filter.register(str(httpx.URL(target)))
            async with self._client.stream(
                payload.method, target, content=payload.body, headers=headers
            ) as response:
                body = await _read_capped(response)
                return SinkResponse(
                    status=response.status_code,
                    headers=tuple((k.lower(), v) for k, v in response.headers.items()),
                    body=body,
                )
        except httpx.TimeoutException as error:
            return SinkResponse(None, error=scrub(f"timed out ({type(error).__name__})", secrets))
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            text = refused(error, target) or f"{type(error).__name__}: {str(error) or '-'}"
            return SinkResponse(None, error=scrub(text, secrets))


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk[: MAX_BODY_BYTES - size])
        size += len(chunk)
        if size >= MAX_BODY_BYTES:
            break
    return b"".join(chunks)


async def _send_apprise(url: str, payload: Payload, secrets: tuple[str, ...]) -> SinkResponse:
    check_sink_kind(SinkKind.APPRISE)
    title, body = apprise_parts(payload)
    try:
        sent = await asyncio.to_thread(_notify, url, title, body)
    except Exception as error:  # Apprise plugins raise what their transports raise
        return SinkResponse(None, error=scrub(f"apprise: {type(error).__name__}: {error}", secrets))
    if sent is None:
        return SinkResponse(None, error="apprise does not understand this sink URL")
    # Apprise says only "sent" or "not sent"; a 200 or a 503 stands for those.
    return SinkResponse(200 if sent else 503, body=b"" if sent else b"apprise: not sent")


def _notify(url: str, title: str, body: str) -> bool | None:
    module: Any = importlib.import_module("apprise")
    notifier = module.Apprise()
    if not notifier.add(url):
        return None
    return bool(notifier.notify(title=title, body=body, body_format=module.NotifyFormat.MARKDOWN))


@contextlib.asynccontextmanager
async def open_sender(
    *,
    timeout_s: float,
    user_agent: str,
    allow_private_addresses: bool,
    resolver: Resolver = system_resolver,
) -> AsyncIterator[HttpSender]:
    """An :class:`HttpSender` with its own guarded client, and the log filter that masks
    sink URLs in httpx's request lines while it is open. ``allow_private_addresses`` is
    ``[fetch] allow_private_addresses``: the one override of the outbound-address policy."""
    url_filter = SinkUrlFilter().install()
    transport = guarded_transport(
        allow_private=allow_private_addresses,
        resolver=resolver,
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
    )
    try:
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent},
            transport=transport,
        ) as client:
            yield HttpSender(client, url_filter=url_filter)
    finally:
        url_filter.uninstall()
