"""Raw bodies in SQL: reading either form, packing a new body for its ticker, storing it,
and removing orphans (the rules: :mod:`storage.deltas`).

Core statements on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.codec import PackedBody, codec_of, sha256_hex
from storage.deltas import Keyframe, open_body, pack_for_ticker, tries_delta
from storage.errors import BodyNotFound, CorruptBody, InvalidValue
from storage.model import TickerId
from storage.tables import PollRow, RawBodyRow

CHUNK = 500  # keys per IN (...) list: far below every database's parameter limit

POLL: Table = PollRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it per table
RAW_BODY: Table = RawBodyRow.__table__  # type: ignore[attr-defined]
_COLUMNS = (
    RAW_BODY.c.sha256,
    RAW_BODY.c.codec,
    RAW_BODY.c.size,
    RAW_BODY.c.data,
    RAW_BODY.c.keyframe_sha256,
)


def read(connection: Connection, sha256: str) -> bytes:
    """The raw bytes of the body ``sha256`` (BodyNotFound, CorruptBody, InvalidValue)."""
    stored = _stored(connection, sha256)
    if stored is None:
        raise BodyNotFound(f"no body with SHA-256 {sha256}")
    keyframe = None
    if stored.keyframe_sha256 is not None:
        keyframe = _stored(connection, stored.keyframe_sha256)
    return open_body(stored, keyframe)


def is_stored(connection: Connection, sha256: str | None) -> bool:
    return bool(connection.execute(select(exists().where(RAW_BODY.c.sha256 == sha256))).scalar())


def current_keyframe(connection: Connection, ticker_id: TickerId) -> Keyframe | None:
    """The body of the ticker's latest poll stored as a keyframe, None before its first."""
    latest = connection.execute(
        select(RAW_BODY.c.sha256, RAW_BODY.c.stored_size)
        .select_from(POLL)
        .join(RAW_BODY, RAW_BODY.c.sha256 == POLL.c.body_sha256)
        .where(POLL.c.ticker_id == ticker_id, RAW_BODY.c.keyframe_sha256.is_(None))
        .order_by(POLL.c.started_at.desc(), POLL.c.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    deltas = connection.execute(
        select(func.count()).where(RAW_BODY.c.keyframe_sha256 == latest.sha256)
    ).scalar_one()
    return Keyframe(latest.sha256, latest.stored_size, deltas)


def pack_new(connection: Connection, ticker_id: TickerId, body: bytes) -> PackedBody:
    """``body``, not stored yet, packed as the ticker stores it: a delta against its
    current keyframe or whole (:func:`storage.deltas.pack_for_ticker`)."""
    keyframe = current_keyframe(connection, ticker_id)
    raw = None
    if keyframe is not None and tries_delta(keyframe):
        try:
            raw = read(connection, keyframe.sha256)
        except (CorruptBody, InvalidValue, BodyNotFound):
            raw = None  # never build on a damaged keyframe: this body becomes the next
    return pack_for_ticker(body, keyframe, raw)


def store(
    connection: Connection, ticker_id: TickerId, body: bytes, packed: PackedBody | None
) -> None:
    """Insert the body unless a row with its SHA-256 exists (also when a concurrent
    transaction inserts it first: ON CONFLICT DO NOTHING, the first form stays).
    ``packed`` is None when the body was stored at the read; it is packed here only if
    it went since (its ticker was removed)."""
    if packed is None:
        if is_stored(connection, sha256_hex(body)):
            return
        packed = pack_new(connection, ticker_id, body)
    values = {
        "sha256": packed.sha256,
        "codec": packed.codec.value,
        "size": packed.size,
        "stored_size": len(packed.data),
        "data": packed.data,
        "keyframe_sha256": packed.keyframe_sha256,
    }
    dialect = connection.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    connection.execute(insert(RAW_BODY).values(values).on_conflict_do_nothing())


def remove_orphans(connection: Connection, candidates: Collection[str]) -> None:
    """Delete those of ``candidates`` (and of their keyframes) that no poll refers to and
    no delta names as its keyframe. Two passes: the deltas first, then the keyframes
    they freed (nothing is more than one step from a keyframe)."""
    keys = set(candidates)
    for batch in _chunks(sorted(keys)):
        keys.update(
            connection.execute(
                select(RAW_BODY.c.keyframe_sha256).where(
                    RAW_BODY.c.sha256.in_(batch), RAW_BODY.c.keyframe_sha256.is_not(None)
                )
            ).scalars()
        )
    delta = RAW_BODY.alias("delta")
    orphan = ~exists().where(POLL.c.body_sha256 == RAW_BODY.c.sha256) & ~exists().where(
        delta.c.keyframe_sha256 == RAW_BODY.c.sha256
    )
    for _ in range(2):
        for batch in _chunks(sorted(keys)):
            connection.execute(delete(RAW_BODY).where(RAW_BODY.c.sha256.in_(batch), orphan))


def _stored(connection: Connection, sha256: str) -> PackedBody | None:
    row = connection.execute(select(*_COLUMNS).where(RAW_BODY.c.sha256 == sha256)).first()
    return None if row is None else _packed(row)


def _packed(row: Row[Any, Any, Any, Any, Any]) -> PackedBody:
    codec = codec_of(row.codec, sha256=row.sha256)
    return PackedBody(row.sha256, codec, row.size, row.data, row.keyframe_sha256)


def _chunks(keys: list[str]) -> list[list[str]]:
    return [keys[start : start + CHUNK] for start in range(0, len(keys), CHUNK)]
