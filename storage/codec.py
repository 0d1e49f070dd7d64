"""Raw bodies: content-addressed by SHA-256, compressed with zstd level 9.

Measured with ``bench/bench_compression.py`` on the project's 306 real and evaluation
pages (16.2 MB; 2-core VM, best of 3)::

    codec     ratio   compress MB/s   decompress MB/s   500 KB page: compress / decompress
    gzip-6     4.77        60               390                     8.3 ms / 1.3 ms
    gzip-9     4.80        38               396                    13.2 ms / 1.3 ms
    zstd-3     5.37       425              1110                     1.2 ms / 0.45 ms
    zstd-9     5.84        92              1700                     5.4 ms / 0.29 ms
    zstd-19    6.13         4              1520                   125   ms / 0.33 ms

zstd wins on both axes: at level 9 it stores 18 % less than gzip-9, still compresses
faster than gzip-6 and decompresses four times as fast. Level 9 rather than 3 because
a body is compressed once, when a poll brings new bytes, and read rarely: 8 % less disk
for about 4 ms per changed page. Level 19 saves 5 % more for 23 times the time.
(Compressing each body of an evaluation case against the case's previous body as a
dictionary stores 21x instead of 4.3x, but makes every body depend on another, so a
lost or corrupt one takes its successors with it; not done. What is done instead, a
body compressed against its ticker's *keyframe*, never against another delta, is
measured and explained in :mod:`storage.deltas`; :func:`pack_delta` and the
``keyframe`` argument of :func:`unpack` are its codec.)

The codec is recorded with every body (``codec`` column), so bodies written under an
earlier choice stay readable after the default changes; :func:`unpack` reads them all.
Pure functions; compressor objects are made per call, nothing lives at module level.
"""

from __future__ import annotations

import enum
import gzip
import hashlib
from dataclasses import dataclass

import zstandard

from storage.errors import CorruptBody, InvalidValue

ZSTD_LEVEL = 9


class Codec(enum.Enum):
    """How a stored body is compressed; the value is what the ``codec`` column holds."""

    ZSTD = "zstd"
    GZIP = "gzip"
    IDENTITY = "identity"


DEFAULT_CODEC = Codec.ZSTD


@dataclass(frozen=True, slots=True)
class PackedBody:
    """A body ready to store: its key, codec, raw size and compressed bytes, and, for a
    delta, the SHA-256 of the keyframe whose raw bytes are its zstd dictionary."""

    sha256: str
    codec: Codec
    size: int
    data: bytes
    keyframe_sha256: str | None = None


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def pack(body: bytes, codec: Codec = DEFAULT_CODEC) -> PackedBody:
    """Compress ``body`` with ``codec``; the key is the SHA-256 of the raw bytes."""
    if codec is Codec.ZSTD:
        data = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    elif codec is Codec.GZIP:
        data = gzip.compress(body, mtime=0)  # mtime=0: equal bodies, equal bytes
    else:
        data = body
    return PackedBody(sha256_hex(body), codec, len(body), data)


def pack_delta(body: bytes, *, keyframe: bytes, keyframe_sha256: str) -> PackedBody:
    """Compress ``body`` with zstd, the raw bytes of ``keyframe`` (a non-empty whole
    page, whose SHA-256 is ``keyframe_sha256``) as a raw-content dictionary: the
    bytes the two pages share cost a few bytes of reference each."""
    if not keyframe:
        raise InvalidValue("an empty body cannot serve as a keyframe")
    data = zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=_dictionary(keyframe)).compress(
        body
    )
    return PackedBody(sha256_hex(body), Codec.ZSTD, len(body), data, keyframe_sha256)


def codec_of(value: str, *, sha256: str) -> Codec:
    """The :class:`Codec` a ``codec`` column names; InvalidValue for an unknown one."""
    try:
        return Codec(value)
    except ValueError as error:
        raise InvalidValue(f"body {sha256}: unknown codec {value!r}") from error


def unpack(codec: str, data: bytes, *, sha256: str, keyframe: bytes | None = None) -> bytes:
    """The raw bytes of a stored body; CorruptBody if they cannot be decompressed or do
    not hash to ``sha256``. ``keyframe``: the raw bytes of the keyframe a delta (made
    by :func:`pack_delta`) was compressed against."""
    kind = codec_of(codec, sha256=sha256)
    if keyframe is not None and kind is not Codec.ZSTD:
        raise InvalidValue(f"body {sha256}: a delta must be zstd, not {codec!r}")
    try:
        if kind is Codec.ZSTD:
            decompressor = (
                zstandard.ZstdDecompressor()
                if keyframe is None
                else zstandard.ZstdDecompressor(dict_data=_dictionary(keyframe))
            )
            body = decompressor.decompress(data)
        elif kind is Codec.GZIP:
            body = gzip.decompress(data)
        else:
            body = data
    except (zstandard.ZstdError, OSError, EOFError) as error:  # gzip: OSError, EOFError
        raise CorruptBody(f"body {sha256} cannot be decompressed: {error}") from error
    if sha256_hex(body) != sha256:
        raise CorruptBody(f"body {sha256} does not match its SHA-256 any more")
    return body


def _dictionary(keyframe: bytes) -> zstandard.ZstdCompressionDict:
    # Raw content: zstd uses the bytes as earlier input to refer back to, no training.
    return zstandard.ZstdCompressionDict(keyframe, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
