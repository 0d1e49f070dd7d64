"""What to call a stored raw body when it is served again. Pure.

The store keeps the bytes of every response, not its headers, so the media type is
read from the bytes: a body that opens with markup (after a byte-order mark and
white space) is HTML, anything else plain text (tickerwatch reads both). The charset is
left to the document's own declaration, as a browser would do on the live page.
"""

from __future__ import annotations

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def media_type(body: bytes) -> str:
    head = body[:512]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head.lstrip().startswith(b"<") or b"\x00<" in head[:8]:
        return "text/html"
    return "text/plain"


def file_name(ticker_id: int, poll_id: int, body: bytes) -> str:
    extension = "html" if media_type(body) == "text/html" else "txt"
    return f"ticker-{ticker_id}-poll-{poll_id}.{extension}"
