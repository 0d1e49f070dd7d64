"""Rows ⇄ domain values for the SQL adapter. Pure: builds and reads row objects, no
session, no query.

Lists are JSON text (compact, non-ASCII kept as is); an entry time is read back at the
offset it was written with (``time_offset``), an instant as aware UTC.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from diffing.model import (
    ChangeKind,
    EntryStatus,
    EntryVersion,
    Field,
    HealthKind,
    PollOutcome,
    WordOp,
)
from ingest.model import EntrySelectors, TimeEvidence, TimeSource
from storage.model import (
    PollId,
    Revision,
    RevisionId,
    SnapshotId,
    StoredChange,
    StoredPoll,
    Ticker,
    TickerId,
    outcome_from_value,
)
from storage.plan import EventWrite, PollWrite, SnapshotWrite
from storage.tables import RevisionRow, SnapshotRow
from storage.validate import offset_seconds

VERSION_FIELDS = frozenset(
    {"text", "headline", "time", "time_label", "time_source", "html", "native_id", "time_evidence"}
)
"""The fields of :class:`~diffing.model.EntryVersion` a revision row stores; a test fails
when the differ's model grows a field this mapping does not know."""


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _id(value: int | None, what: str) -> int:
    if value is None:  # only a row not yet flushed has no id
        raise AssertionError(f"{what} row has no id")
    return value


class TickerColumns(Protocol):
    """What :func:`ticker_from_row` reads: a ``TickerRow``, or a Core row of its columns."""

    id: int | None
    url: str
    name: str
    interval_seconds: int
    zone: str | None
    profile: str | None
    paused: bool
    tags: str
    created_at: datetime
    next_poll_at: datetime | None
    error_streak: int
    robots_override: str | None
    selectors: str | None


def ticker_from_row(row: TickerColumns) -> Ticker:
    return Ticker(
        id=TickerId(_id(row.id, "ticker")),
        url=row.url,
        name=row.name,
        interval_seconds=row.interval_seconds,
        zone=row.zone,
        profile=row.profile,
        paused=row.paused,
        tags=tuple(json.loads(row.tags)),
        created_at=row.created_at,
        next_poll_at=row.next_poll_at,
        error_streak=row.error_streak,
        robots_override=row.robots_override,
        selectors=selectors_from_text(row.selectors),
    )


def selectors_text(selectors: EntrySelectors | None) -> str | None:
    """Selectors as the ``ticker.selectors`` column holds them: a JSON object of the
    fields that are set, or NULL."""
    if selectors is None:
        return None
    return _dump({k: v for k, v in asdict(selectors).items() if v is not None})


def selectors_from_text(text: str | None) -> EntrySelectors | None:
    if not text:
        return None
    return EntrySelectors(**json.loads(text))


def tags_text(tags: tuple[str, ...]) -> str:
    return _dump(list(tags))


def poll_values(write: PollWrite) -> dict[str, Any]:
    """The ``poll`` row of ``write`` as column values (no id, no snapshot yet)."""
    return {
        "ticker_id": write.ticker_id,
        "started_at": write.started_at,
        "observed_at": write.observed_at,
        "duration_ms": write.duration_ms,
        "http_status": write.http_status,
        "bytes": write.bytes,
        "etag": write.etag,
        "last_modified": write.last_modified,
        "outcome": write.outcome.value,
        "error": write.error,
        "body_sha256": write.body_sha256,
        "truncated": write.truncated,
    }


class PollColumns(Protocol):
    """What :func:`poll_from_row` reads: a ``PollRow``, or a Core row of its columns."""

    id: int | None
    ticker_id: int
    started_at: datetime
    observed_at: datetime
    duration_ms: int
    http_status: int | None
    bytes: int | None
    etag: str | None
    last_modified: str | None
    outcome: str
    error: str | None
    body_sha256: str | None
    snapshot_id: int | None
    truncated: int


def poll_from_row(row: PollColumns) -> StoredPoll:
    return StoredPoll(
        id=PollId(_id(row.id, "poll")),
        ticker_id=TickerId(row.ticker_id),
        started_at=row.started_at,
        observed_at=row.observed_at,
        duration_ms=row.duration_ms,
        outcome=outcome_from_value(row.outcome),
        http_status=row.http_status,
        bytes=row.bytes,
        etag=row.etag,
        last_modified=row.last_modified,
        error=row.error,
        body_sha256=row.body_sha256,
        snapshot_id=SnapshotId(row.snapshot_id) if row.snapshot_id is not None else None,
        truncated=row.truncated,
    )


def snapshot_values(
    write: SnapshotWrite, *, ticker_id: TickerId, poll_id: PollId
) -> dict[str, Any]:
    """The ``snapshot`` row of ``write`` as column values (no id)."""
    return {
        "poll_id": poll_id,
        "ticker_id": ticker_id,
        "observed_at": write.observed_at,
        "outcome": write.outcome.value,
        "layout": write.layout,
        "page_headline": write.page_headline,
        "teaser": write.teaser,
        "entry_count": write.entry_count,
        "not_a_ticker": write.not_a_ticker,
        "reason": write.reason,
        "placements": _dump([list(p) for p in write.placements]),
    }


def placements_of(row: SnapshotRow) -> tuple[tuple[str, int], ...]:
    return tuple((entry_id, position) for entry_id, position in json.loads(row.placements))


def is_fresh(row: SnapshotRow) -> bool:
    return row.outcome == PollOutcome.FRESH.value


def revision_values(
    version: EntryVersion, *, entry_id: str, observed_at: datetime
) -> dict[str, Any]:
    """The ``entry_revision`` row of ``version`` as column values (no id, no snapshot:
    the writer adds the snapshot's id once it has one)."""
    return {
        "entry_id": entry_id,
        "observed_at": observed_at,
        "headline": version.headline,
        "text": version.text,
        "html": version.html,
        "time": version.time,
        "time_offset": offset_seconds(version.time) if version.time is not None else None,
        "time_label": version.time_label,
        "time_source": version.time_source.value,
        "native_id": version.native_id,
        "time_evidence": version.time_evidence.value,
    }


class RevisionColumns(Protocol):
    """What :func:`version_from_row` reads: a ``RevisionRow``, or a Core row of its columns."""

    text: str
    headline: str | None
    time: datetime | None
    time_offset: int | None
    time_label: str | None
    time_source: str
    html: str
    native_id: str | None
    time_evidence: str


def version_from_row(row: RevisionColumns) -> EntryVersion:
    return entry_version(
        row.text,
        row.headline,
        row.time,
        row.time_offset,
        row.time_label,
        row.time_source,
        row.html,
        row.native_id,
        row.time_evidence,
    )


def entry_version(
    text: str,
    headline: str | None,
    time: datetime | None,
    time_offset: int | None,
    time_label: str | None,
    time_source: str,
    html: str,
    native_id: str | None,
    time_evidence: str,
) -> EntryVersion:
    """The version a revision's columns hold, its time at the offset it was written with."""
    if time is not None and time_offset is not None:
        time = time.astimezone(timezone(timedelta(seconds=time_offset)))
    return EntryVersion(
        text=text,
        headline=headline,
        time=time,
        time_label=time_label,
        time_source=TimeSource(time_source),
        html=html,
        native_id=native_id,
        time_evidence=TimeEvidence(time_evidence),
    )


def revision_from_row(row: RevisionRow) -> Revision:
    return Revision(
        id=RevisionId(_id(row.id, "entry_revision")),
        entry_id=row.entry_id,
        snapshot_id=SnapshotId(row.snapshot_id),
        observed_at=row.observed_at,
        version=version_from_row(row),
    )


def status_of(value: str) -> EntryStatus:
    return EntryStatus(value)


def event_values(
    write: EventWrite,
    *,
    ticker_id: TickerId,
    poll_id: int,
    snapshot_id: int,
    observed_at: datetime,
    previous: RevisionId | None,
    current: RevisionId | None,
) -> dict[str, Any]:
    """The ``change_event`` row of ``write`` as column values (no id)."""
    return {
        "ticker_id": ticker_id,
        "snapshot_id": snapshot_id,
        "poll_id": poll_id,
        "observed_at": observed_at,
        "kind": write.kind.value,
        "entry_id": write.entry_id,
        "changed": _dump([f.value for f in write.changed]),
        "similarity": write.similarity,
        "word_ops": _dump([[op.op, op.old, op.new] for op in write.word_ops]),
        "previous_revision_id": previous,
        "current_revision_id": current,
        "page_headline": write.page_headline,
        "previous_page_headline": write.previous_page_headline,
        "health": write.health.value if write.health is not None else None,
        "detail": write.detail,
        "desk_id": write.desk_id,
        "story_id": write.story_id,
        "lead_seen_minutes": write.lead_seen_minutes,
        "lead_printed_minutes": write.lead_printed_minutes,
    }


REVISION_FIELDS = (
    "id",
    "entry_id",
    "snapshot_id",
    "observed_at",
    "text",
    "headline",
    "time",
    "time_offset",
    "time_label",
    "time_source",
    "html",
    "native_id",
    "time_evidence",
)
"""The ``entry_revision`` columns :func:`revision_from_values` reads, in its order."""


def revision_from_values(values: Sequence[Any]) -> Revision | None:
    """A revision from the :data:`REVISION_FIELDS` of a Core row, None when they are all
    NULL (the missing side of an outer join)."""
    revision_id, entry_id, snapshot_id, observed_at, *version = values
    if revision_id is None:
        return None
    return Revision(
        id=RevisionId(revision_id),
        entry_id=entry_id,
        snapshot_id=SnapshotId(snapshot_id),
        observed_at=observed_at,
        version=entry_version(*version),
    )


EVENT_FIELDS = (
    "id",
    "ticker_id",
    "poll_id",
    "snapshot_id",
    "observed_at",
    "kind",
    "entry_id",
    "changed",
    "similarity",
    "word_ops",
    "page_headline",
    "previous_page_headline",
    "health",
    "detail",
    "desk_id",
    "story_id",
    "lead_seen_minutes",
    "lead_printed_minutes",
)
"""The ``change_event`` columns :func:`change_from_values` reads, in its order (the
revision ids are not among them: the revisions come joined)."""


def change_from_values(
    values: Sequence[Any], previous: Revision | None, current: Revision | None
) -> StoredChange:
    """A change event from the :data:`EVENT_FIELDS` of a Core row and its revisions."""
    (
        change_id,
        ticker_id,
        poll_id,
        snapshot_id,
        observed_at,
        kind,
        entry_id,
        changed,
        similarity,
        word_ops,
        page_headline,
        previous_page_headline,
        health,
        detail,
        desk_id,
        story_id,
        lead_seen_minutes,
        lead_printed_minutes,
    ) = values
    return StoredChange(
        id=change_id,
        ticker_id=TickerId(ticker_id),
        poll_id=PollId(poll_id),
        snapshot_id=SnapshotId(snapshot_id),
        observed_at=observed_at,
        kind=ChangeKind(kind),
        entry_id=entry_id,
        changed=tuple(Field(f) for f in json.loads(changed)),
        similarity=similarity,
        word_ops=tuple(WordOp(op, old, new) for op, old, new in json.loads(word_ops)),
        previous=previous,
        current=current,
        page_headline=page_headline,
        previous_page_headline=previous_page_headline,
        health=HealthKind(health) if health is not None else None,
        detail=detail,
        desk_id=desk_id,
        story_id=story_id,
        lead_seen_minutes=lead_seen_minutes,
        lead_printed_minutes=lead_printed_minutes,
    )
