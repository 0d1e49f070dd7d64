"""One HTTP response: read with a size cap, then turned into a :class:`FetchResult`.

:func:`read_capped` is the only I/O here; :func:`final_result` and
:func:`retry_after` are pure functions of a :class:`Reply`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx

from ingest.fetching.decoding import BodyDecoder
from ingest.fetching.errors import UnsupportedEncoding
from ingest.fetching.model import NO_VALIDATORS, FetchOutcome, FetchResult, Validators
from ingest.fetching.retry import RETRY_AFTER_STATUSES, parse_retry_after


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP response as the fetcher saw it. ``body`` is read for 2xx only;
    ``truncated`` says the size cap stopped the reading."""

    url: httpx.URL
    status: int
    reason: str
    headers: httpx.Headers
    began_at: datetime
    body: bytes | None = None
    truncated: bool = False


async def read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """Read and decode the body, at most ``cap`` decoded bytes; the flag says it was cut.

    Raw network reads go through one :class:`~ingest.fetching.decoding.BodyDecoder`,
    which never returns more than the room left under the cap, so a compression
    bomb stops at the cap and memory peaks at the cap plus one read (≤ 64 KiB).
    Raises :class:`~ingest.fetching.errors.UnsupportedEncoding` for stacked or
    unknown codings before reading. An unencoded body whose Content-Length
    already exceeds the cap is refused without reading it.
    """
    try:
        decoder = BodyDecoder(response.headers.get("content-encoding"))
    except UnsupportedEncoding as error:
        raise UnsupportedEncoding(str(error), http_status=response.status_code) from None
    declared = response.headers.get("content-length", "")
    if decoder.identity and declared.isdigit() and int(declared) > cap:
        return b"", True
    buffer = bytearray()
    async for raw in response.aiter_raw():
        # One byte more than the room: getting it proves the body is over the cap.
        buffer += decoder.decode(raw, cap - len(buffer) + 1)
        if len(buffer) > cap:
            return bytes(buffer[:cap]), True
    return bytes(buffer), False


def retry_after(reply: Reply, cap_s: float) -> float | None:
    """The Retry-After of a 429/503 in seconds (at most ``cap_s``), else None."""
    if reply.status not in RETRY_AFTER_STATUSES:
        return None
    seconds = parse_retry_after(reply.headers.get("retry-after"), reply.began_at)
    return None if seconds is None else min(seconds, cap_s)


def final_result(
    url: str, validators: Validators, reply: Reply, *, max_retry_after_s: float
) -> FetchResult:
    """What a final (non-redirect) response means. ``duration_ms`` and
    ``attempts`` are left for the caller to fill in."""
    outcome = FetchOutcome.HTTP_ERROR
    body = None
    error: str | None = None
    if 200 <= reply.status < 300:
        outcome, body = FetchOutcome.OK, reply.body
        # RFC 9110 §8.8.3 (ETag), §8.8.2 (Last-Modified): the new validators.
        validators = Validators(reply.headers.get("etag"), reply.headers.get("last-modified"))
    elif reply.status == 304 and validators != NO_VALIDATORS:
        # RFC 9111 §4.3.4: a 304 may carry fresher validators; keep ours otherwise.
        outcome = FetchOutcome.NOT_MODIFIED
        validators = Validators(
            reply.headers.get("etag") or validators.etag,
            reply.headers.get("last-modified") or validators.last_modified,
        )
    elif reply.status == 304:
        error = "HTTP 304 Not Modified to an unconditional request"
    elif 300 <= reply.status < 400:
        error = f"HTTP {reply.status} {reply.reason} without a Location to follow"
    else:
        error = f"HTTP {reply.status} {reply.reason}".rstrip()
    return FetchResult(
        outcome,
        url=url,
        final_url=str(reply.url),
        fetched_at=reply.began_at,
        duration_ms=0,
        http_status=reply.status,
        body=body,
        content_type=reply.headers.get("content-type"),
        validators=validators,
        error=error,
        retry_after_s=retry_after(reply, max_retry_after_s),
    )
