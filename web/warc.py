"""WARC export of a ticker's captures, for pywb and other archive tools (warcio).

One gzipped WARC 1.1 file: a ``warcinfo`` record, then per poll with a body, oldest
first, a ``response`` record holding the HTTP response as received the first time a
body occurs, and a ``revisit`` record (profile *identical payload digest*) each time the
same body comes again, pointing at that response. So every distinct raw page is stored
once and every capture keeps its own date, which is what replay tools index.

The store keeps the body, status, ETag and Last-Modified of each response, not its other
headers: the HTTP header block is rebuilt from those, with the media type read from the
bytes (:mod:`web.rawpage`) and a ``Content-Length`` of the body as stored (decoded, so
without ``Content-Encoding``).
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from http import HTTPStatus

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.model import StoredPoll, Ticker
from web.rawpage import media_type

MEDIA_TYPE = "application/warc"


def warc_date(value: datetime) -> str:
    """WARC-Date: UTC, ISO 8601 with a ``Z``, to the second (WARC 1.1 §5.4)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(body: bytes) -> str:
    """``sha1:<base32>``, the digest form WARC readers and pywb's indexes use."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def _http_headers(poll: StoredPoll, body: bytes | None) -> StatusAndHeaders:
    status = poll.http_status or 200
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    headers = []
    if body is not None:
        headers.append(("Content-Type", media_type(body)))
        headers.append(("Content-Length", str(len(body))))
    if poll.etag:
        headers.append(("ETag", poll.etag))
    if poll.last_modified:
        headers.append(("Last-Modified", poll.last_modified))
    return StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")


def warc_records(
    ticker: Ticker,
    captures: Sequence[StoredPoll],
    body_of: Callable[[str], bytes],
    *,
    created_at: datetime,
) -> Iterator[bytes]:
    """The WARC file, one gzip member (one record) per chunk."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")

    def drain() -> bytes:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    info = writer.create_warcinfo_record(
        f"ticker-{ticker.id}.warc.gz",
        {
            "software": "tickerwatch",
            "format": "WARC File Format 1.1",
            "description": f"Raw responses of {ticker.name} ({ticker.url})",
            "isPartOf": f"tickerwatch ticker {ticker.id}",
        },
    )
    info.rec_headers.replace_header("WARC-Date", warc_date(created_at))
    writer.write_record(info)
    yield drain()

    first_seen: dict[str, tuple[str, str]] = {}  # body sha256 → (payload digest, WARC-Date)
    for poll in captures:
        if poll.body_sha256 is None:
            continue
        date = warc_date(poll.observed_at)
        known = first_seen.get(poll.body_sha256)
        if known is None:
            body = body_of(poll.body_sha256)
            record = writer.create_warc_record(
                ticker.url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=_http_headers(poll, body),
                warc_headers_dict={"WARC-Date": date},
            )
            first_seen[poll.body_sha256] = (payload_digest(body), date)
        else:
            digest, original_date = known
            record = writer.create_revisit_record(
                ticker.url,
                digest=digest,
                refers_to_uri=ticker.url,
                refers_to_date=original_date,
                http_headers=_http_headers(poll, None),
                warc_headers_dict={"WARC-Date": date},
            )
        writer.write_record(record)
        yield drain()
