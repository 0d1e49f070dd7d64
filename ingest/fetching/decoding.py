"""Content decoding (RFC 9110 §8.4) with a cap on the decoded bytes.

The one path every body takes, pages and robots.txt alike. httpx's own decoding
is not used: it decodes each network read through *every* listed layer in one
go, so ``Content-Encoding: gzip, gzip`` turned one 64 KiB read into gigabytes
before any cap could look at it (deflate expands up to ~1032-fold per layer, so
two layers reach a million-fold).

Here a body may carry at most one content coding besides ``identity``; more is
refused as :class:`~ingest.fetching.errors.UnsupportedEncoding` (no real server
stacks them, and we never offer it). The one layer is decoded with zlib's
``max_length``, so a decoder never produces more than the caller has room for:
memory is bounded by the cap plus one network read, whatever the ratio.
"""

from __future__ import annotations

import zlib

from ingest.fetching.errors import NetworkFailure, UnsupportedEncoding

# The codings we decode, and so offer in Accept-Encoding. "x-gzip" is gzip's
# legacy alias (RFC 9110 §8.4.1.3).
GZIP_CODINGS = frozenset({"gzip", "x-gzip"})
DEFLATE = "deflate"
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = frozenset({"", "identity"})


def content_codings(header: str | None) -> tuple[str, ...]:
    """The codings a ``Content-Encoding`` value lists, lower-cased, in the order
    they were applied, without ``identity``. Pure.

    >>> content_codings("GZIP, identity")
    ('gzip',)
    """
    tokens = (token.strip().lower() for token in (header or "").split(","))
    return tuple(token for token in tokens if token not in _IDENTITY)


class BodyDecoder:
    """Decodes one body, fed raw network reads in order, never giving back more
    than asked for. Raises :class:`UnsupportedEncoding` on construction for
    stacked or unknown codings, :class:`NetworkFailure` on corrupt data."""

    __slots__ = ("_coding", "_decoder", "_fed")

    def __init__(self, content_encoding: str | None) -> None:
        codings = content_codings(content_encoding)
        if len(codings) > 1:
            raise UnsupportedEncoding(
                f"unsupported content encoding {content_encoding!r}: more than one coding layer"
            )
        self._coding = codings[0] if codings else None
        self._fed = False
        self._decoder: zlib._Decompress | None = None
        if self._coding in GZIP_CODINGS:
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._coding == DEFLATE:
            # RFC 9110 §8.4.1.2 means the zlib format; some servers send raw
            # deflate, detected on the first read (as browsers and httpx do).
            self._decoder = zlib.decompressobj(zlib.MAX_WBITS)
        elif self._coding is not None:
            raise UnsupportedEncoding(f"unsupported content encoding {content_encoding!r}")

    @property
    def identity(self) -> bool:
        """True when the body is not encoded, so Content-Length is its decoded size."""
        return self._decoder is None

    def decode(self, raw: bytes, limit: int) -> bytes:
        """Decode the next raw read, returning at most ``limit`` bytes (``limit``
        ≥ 1). Fewer than ``limit`` means the read was consumed whole; exactly
        ``limit`` may leave input undecoded, which the caller treats as over its cap."""
        if self._decoder is None:
            return raw[:limit]
        first = not self._fed
        self._fed = True
        try:
            return self._decoder.decompress(raw, limit)
        except zlib.error as error:
            if first and self._coding == DEFLATE:
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.decode(raw, limit)
            raise NetworkFailure(f"cannot decode the {self._coding} body: {error}") from error
