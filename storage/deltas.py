"""Raw bodies as keyframes plus deltas: which form a new body is stored in, and reading
either form back.

A *keyframe* is a body stored whole (:func:`storage.codec.pack`; every body written
before deltas existed is one). A *delta* is a body compressed with zstd against the raw
bytes of one keyframe as a raw-content dictionary (:func:`storage.codec.pack_delta`);
its row names that keyframe (``keyframe_sha256``). A delta is always exactly one step
from a keyframe, never from another delta, so reading any body takes at most two rows
and a damaged row costs at most the deltas of one keyframe, never a chain of pages.

Which form (:func:`pack_for_ticker`, pure): a ticker's current keyframe is the body of
its latest poll that is stored as a keyframe. A new body is tried as a delta against it
while fewer than :data:`MAX_DELTAS` deltas refer to it, and kept as one when the delta
is at most :data:`DELTA_SHARE` of the keyframe's own stored size; otherwise the body is
stored whole and becomes the ticker's next keyframe. Measured with
``bench/bench_compression.py`` on the two real series in ``../shared/corpus/series``
(one page captured 44 and 37 times; stored bytes as a share of raw bytes, zstd-9)::

    form                                   heise (44, 36.8 MB)   zeit (37, 60.7 MB)
    whole pages                                 7.46 %               8.13 %
    one keyframe, deltas without limit          0.65 %  1 key        1.68 %  1 key
    share 0.05, at most 32 deltas               2.69 % 15 keys       3.02 % 13 keys
    share 0.10, at most 32 deltas               0.87 %  3 keys       1.87 %  7 keys
    share 0.25, at most 16 deltas               0.85 %  3 keys       1.39 %  3 keys
    share 0.25, at most 32 deltas  (chosen)     0.71 %  2 keys       1.46 %  3 keys
    share 0.50, at most 32 deltas               0.71 %  2 keys       1.59 %  2 keys

A delta grows with the distance from its keyframe (on zeit from 0.3 KB to 70 KB over 36
captures, the keyframe itself 134 KB), so a fresh keyframe pays once its deltas cost
more than a share of a whole page; the minimum is flat between 0.2 and 0.33. The limit
of 32 deltas bounds what one lost keyframe takes with it and costs 0.06 points on heise.
Writing a delta costs the keyframe's decompression plus a dictionary-primed zstd-9
pass; reading one, two decompressions. Per page, same run (2-core VM under load, best
of 5), heise / zeit: writing 12.6 / 33.7 ms against 16.8 / 26.8 ms whole (long matches
in the keyframe make zstd's search short), reading 2.2 / 5.2 ms against 1.3 / 2.7 ms.
A keyframe that cannot be read (corrupt) is never used: the body is stored whole and
becomes the next keyframe, so damage does not spread.

Content addressing is unchanged: a body is stored once, under the SHA-256 of its raw
bytes, in whatever form the first poll that brought it chose; another ticker polling
the same bytes refers to that row, delta or not (a keyframe is per ticker only as far as
choosing one goes).

Deleting. Bodies are removed only as orphans, when a ticker is removed (the only way
polls go). A body is an orphan when no poll refers to it *and* no delta names it as
its keyframe: a keyframe that deltas still need stays, even with no poll of its own
(a body shared with another ticker may be a delta against a removed ticker's
keyframe), and goes with the last delta that needs it. Deltas go first, their
keyframes in a second pass; two passes suffice because nothing is more than one step
from a keyframe. Nothing is re-encoded on delete: a kept keyframe costs about what its
delta would cost re-encoded whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.codec import PackedBody, pack, pack_delta, unpack
from storage.errors import CorruptBody

DELTA_SHARE = 0.25  # a delta larger than this share of its keyframe's stored size: new keyframe
MAX_DELTAS = 32  # deltas per keyframe at most: what one damaged keyframe can take with it


@dataclass(frozen=True, slots=True)
class Keyframe:
    """A ticker's current keyframe: its key, its stored (compressed) size, and how many
    deltas refer to it already."""

    sha256: str
    stored_size: int
    deltas: int


def tries_delta(keyframe: Keyframe | None) -> bool:
    """Whether a new body of the ticker is worth compressing against ``keyframe``
    (and so whether its raw bytes need reading)."""
    return keyframe is not None and keyframe.deltas < MAX_DELTAS


def keeps_delta(delta: PackedBody, keyframe: Keyframe) -> bool:
    """Whether ``delta`` is small enough to store rather than a new keyframe."""
    return len(delta.data) <= DELTA_SHARE * keyframe.stored_size


def pack_for_ticker(
    body: bytes, keyframe: Keyframe | None, keyframe_body: bytes | None
) -> PackedBody:
    """``body`` as its ticker stores it: a delta against ``keyframe`` when
    :func:`tries_delta` and :func:`keeps_delta` say so, else whole (a new keyframe).
    ``keyframe_body`` is the keyframe's raw bytes, None when they were not read or
    could not be (a damaged keyframe is never built on)."""
    if keyframe is not None and keyframe_body and tries_delta(keyframe):
        delta = pack_delta(body, keyframe=keyframe_body, keyframe_sha256=keyframe.sha256)
        if keeps_delta(delta, keyframe):
            return delta
    return pack(body)


def open_body(stored: PackedBody, keyframe: PackedBody | None) -> bytes:
    """The raw bytes of ``stored``, a row as read; ``keyframe`` is the row its
    ``keyframe_sha256`` names (None when it names none, or that row is missing).

    CorruptBody when the bytes do not hash to the key, when a delta's keyframe is
    missing, damaged or a delta itself (the message names the keyframe)."""
    if stored.keyframe_sha256 is None:
        return unpack(stored.codec.value, stored.data, sha256=stored.sha256)
    name = f"body {stored.sha256} (a delta against keyframe {stored.keyframe_sha256})"
    if keyframe is None or keyframe.sha256 != stored.keyframe_sha256:
        raise CorruptBody(f"{name}: the keyframe is missing")
    if keyframe.keyframe_sha256 is not None:
        raise CorruptBody(f"{name}: the keyframe is a delta itself")
    try:
        raw = unpack(keyframe.codec.value, keyframe.data, sha256=keyframe.sha256)
    except CorruptBody as error:
        raise CorruptBody(f"{name}: the keyframe is damaged ({error})") from error
    return unpack(stored.codec.value, stored.data, sha256=stored.sha256, keyframe=raw)
