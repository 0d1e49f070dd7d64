"""Compression bombs for the decoding tests, built in milliseconds and a few KB of memory."""

from __future__ import annotations

import gzip
import struct
import zlib

_MIB = 1 << 20


def gzip_of_zeros(mebibytes: int) -> bytes:
    """A gzip member that decodes to ``mebibytes`` MiB of zeros.

    After a full flush deflate starts afresh, so every MiB of zeros compresses
    to the same block: the member is one block repeated, not a real compression
    run of gigabytes. The trailer's CRC is left zero: a reader that decodes that
    far has already failed the test.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    compressor.compress(bytes(_MIB))
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(_MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # RFC 1952 §2.3, no name, no mtime
    size = (mebibytes * _MIB) & 0xFFFFFFFF
    return header + block * mebibytes + compressor.flush() + struct.pack("<II", 0, size)


def stacked_gzip_bomb(mebibytes: int) -> bytes:
    """gzip of :func:`gzip_of_zeros`: a few KB sent as ``Content-Encoding: gzip, gzip``."""
    return gzip.compress(gzip_of_zeros(mebibytes), compresslevel=9)
