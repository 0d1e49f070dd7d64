"""What recording one poll writes, decided without touching a database. Pure.

Every adapter records a poll the same way (gather, decide, apply)::

    gather   the ticker's entries the diff names (:class:`Before`), whether the body
             was seen on an earlier poll of the ticker
    decide   plan_poll(record, ..., before, body_seen) -> PollPlan     (here)
    apply    insert and update rows in one transaction                  (the adapter)

:func:`plan_poll` validates everything first (see :mod:`storage.validate`), so a refused
poll raises before the adapter writes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from diffing.model import (
    Change,
    ChangeKind,
    Diff,
    EntryStatus,
    EntryVersion,
    Field,
    HealthEvent,
    HealthKind,
    PollOutcome,
    WordOp,
)
from ingest.fetching.model import FetchOutcome
from ingest.model import ParsedPage
from storage.errors import InvalidValue
from storage.model import PollRecord, RevisionId, TickerId
from storage.validate import check_instant, check_text, check_texts, check_version, version_key


@dataclass(frozen=True, slots=True)
class Before:
    """What the store held about one entry before this poll."""

    entry_id: str
    ticker_id: TickerId
    first_seen: datetime
    status: EntryStatus
    current_revision_id: RevisionId | None
    current: EntryVersion | None


@dataclass(frozen=True, slots=True)
class NewRevision:
    """The revision this plan writes for ``entry_id`` (its id exists only once written)."""

    entry_id: str


RevisionRef = RevisionId | NewRevision


def resolve(ref: RevisionRef | None, written: Mapping[str, RevisionId]) -> RevisionId | None:
    """The id ``ref`` stands for, given the ids of the revisions the plan wrote."""
    if isinstance(ref, NewRevision):
        return written[ref.entry_id]
    return ref


@dataclass(frozen=True, slots=True)
class PollWrite:
    ticker_id: TickerId
    started_at: datetime
    observed_at: datetime
    duration_ms: int
    outcome: PollOutcome | FetchOutcome
    http_status: int | None
    bytes: int | None
    etag: str | None
    last_modified: str | None
    error: str | None
    body_sha256: str | None
    truncated: int = 0


@dataclass(frozen=True, slots=True)
class SnapshotWrite:
    observed_at: datetime
    outcome: PollOutcome
    layout: str
    page_headline: str | None
    teaser: str | None
    entry_count: int
    not_a_ticker: str | None
    reason: str | None
    placements: tuple[tuple[str, int], ...]  # (entry id, position) in page order; FRESH only


@dataclass(frozen=True, slots=True)
class EntryWrite:
    """Insert (``insert``) or update one placed entry; write ``revision`` if not None."""

    entry_id: str
    insert: bool
    first_seen: datetime
    last_seen: datetime
    status: EntryStatus
    position: int
    native_id: str | None  # None keeps the stored one
    revision: EntryVersion | None


@dataclass(frozen=True, slots=True)
class EventWrite:
    kind: ChangeKind
    entry_id: str | None
    changed: tuple[Field, ...]
    similarity: float | None
    word_ops: tuple[WordOp, ...]
    previous: RevisionRef | None
    current: RevisionRef | None
    page_headline: str | None
    previous_page_headline: str | None
    health: HealthKind | None = None  # TICKER_HEALTH events only
    detail: str | None = None
    # Story alerts only (storage.story_alerts): the story and the first one's leads.
    desk_id: int | None = None
    story_id: int | None = None
    lead_seen_minutes: float | None = None
    lead_printed_minutes: float | None = None


@dataclass(frozen=True, slots=True)
class PollPlan:
    """Everything one ``record_poll`` writes. ``statuses`` are for entries that are not
    placed (placed ones carry their status in ``entries``); ``failed`` says whether the
    ticker's error streak grows (True) or resets (False)."""

    poll: PollWrite
    snapshot: SnapshotWrite | None
    entries: tuple[EntryWrite, ...]
    statuses: tuple[tuple[str, EntryStatus], ...]
    events: tuple[EventWrite, ...]
    failed: bool


def entry_ids_of(diff: Diff | None) -> frozenset[str]:
    """The entry ids a diff names: the entries an adapter gathers as ``before``."""
    if diff is None:
        return frozenset()
    ids = {p.entry_id for p in diff.placements} | {entry_id for entry_id, _ in diff.statuses}
    ids |= {c.entry_id for c in diff.changes if c.entry_id is not None}
    return frozenset(ids)


def plan_poll(
    record: PollRecord,
    *,
    body_sha256: str | None,
    page: ParsedPage | None,
    diff: Diff | None,
    before: Mapping[str, Before],
    body_seen: bool,
) -> PollPlan:
    """The writes for one poll; InvalidValue when the inputs cannot be stored.

    ``before`` holds the stored entries among :func:`entry_ids_of` ``diff`` (any ticker's:
    an id of another ticker is refused); ``body_seen`` whether an earlier poll of this
    ticker had the same body.
    """
    _check_inputs(record, body_sha256, page, diff)
    for entry_id, known in before.items():
        if known.ticker_id != record.ticker_id:
            raise InvalidValue(f"entry {entry_id} belongs to ticker {known.ticker_id}")
    observed_at = page.observed_at if page is not None else record.started_at
    poll = PollWrite(
        ticker_id=record.ticker_id,
        started_at=record.started_at,
        observed_at=observed_at,
        duration_ms=record.duration_ms,
        outcome=record.outcome,
        http_status=record.http_status,
        bytes=record.bytes,
        etag=record.etag,
        last_modified=record.last_modified,
        error=record.error,
        body_sha256=body_sha256,
        truncated=page.truncated if page is not None else 0,
    )
    snapshot = _snapshot(record, page, diff, body_sha256=body_sha256, body_seen=body_seen)
    health = () if diff is None or diff.health is None else (_health_event(diff.health),)
    if diff is None or diff.outcome is not PollOutcome.FRESH:
        return PollPlan(poll, snapshot, (), (), health, failed=record.failed)
    entries = _entry_writes(diff, before, observed_at)
    placed = {w.entry_id for w in entries}
    statuses = tuple(
        (entry_id, status)
        for entry_id, status in diff.statuses
        if entry_id not in placed and entry_id in before
    )
    written = {w.entry_id for w in entries if w.revision is not None}
    for change in diff.changes:
        # Two lookups, not a union per change: that copied every entry id once per change
        # (quadratic; a 200,000-entry first poll has 200,000 changes).
        named = change.entry_id
        if named is not None and named not in placed and named not in before:
            raise InvalidValue(f"a {change.kind.value} change of unknown entry {named}")
    events = tuple(_event(change, before, written) for change in diff.changes) + health
    return PollPlan(poll, snapshot, entries, statuses, events, failed=record.failed)


def _check_inputs(
    record: PollRecord, body_sha256: str | None, page: ParsedPage | None, diff: Diff | None
) -> None:
    check_instant(record.started_at, "PollRecord.started_at")
    if record.duration_ms < 0:
        raise InvalidValue(f"PollRecord.duration_ms is negative: {record.duration_ms}")
    check_texts(
        (
            (record.etag, "PollRecord.etag"),
            (record.last_modified, "PollRecord.last_modified"),
            (record.error, "PollRecord.error"),
        )
    )
    outcome = record.outcome
    if diff is not None and diff.outcome is not outcome:
        raise InvalidValue(f"the diff says {diff.outcome.value}, the record {outcome.value}")
    if outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED):
        raise InvalidValue(
            f"a poll that got a response is recorded with its PollOutcome, not {outcome}"
        )
    if isinstance(outcome, FetchOutcome) and (page is not None or diff is not None):
        raise InvalidValue(f"a poll that ended in {outcome.value} has no page and no diff")
    if outcome is PollOutcome.FRESH and (page is None or diff is None or body_sha256 is None):
        raise InvalidValue("a fresh poll needs its body, page and diff")
    placing = diff is not None and bool(diff.placements or diff.changes or diff.statuses)
    if diff is not None and diff.outcome is not PollOutcome.FRESH and placing:
        raise InvalidValue(f"a {diff.outcome.value} diff cannot place or change entries")
    if page is not None:
        _check_page(page)
    if diff is not None:
        _check_diff(diff)
        if diff.health is not None and page is None:
            raise InvalidValue("a parse-health event needs the page it was judged on")


def _check_page(page: ParsedPage) -> None:
    check_instant(page.observed_at, "page.observed_at")
    if page.truncated < 0:
        raise InvalidValue(f"page.truncated is negative: {page.truncated}")
    check_texts(
        (
            (page.layout, "page layout"),
            (page.headline, "page headline"),
            (page.teaser, "page teaser"),
            (page.not_a_ticker, "page not_a_ticker"),
        )
    )


def _check_diff(diff: Diff) -> None:
    check_text(diff.reason, "diff reason")
    if diff.health is not None:
        check_text(diff.health.detail, "parse-health detail")
    ids = [p.entry_id for p in diff.placements]
    if len(set(ids)) != len(ids):
        raise InvalidValue("the diff places an entry twice")
    for placement in diff.placements:
        check_text(placement.entry_id, "entry id")
        check_version(placement.version, f"entry {placement.entry_id}")
    for change in diff.changes:
        check_text(change.entry_id, "change entry id")
        check_texts(
            (
                (change.page_headline, "change page headline"),
                (change.previous_page_headline, "change previous page headline"),
            )
        )
        check_texts(_word_op_texts(change.word_ops))


def _word_op_texts(ops: Iterable[WordOp]) -> Iterable[tuple[str, str]]:
    for op in ops:
        yield op.old, "word op"
        yield op.new, "word op"


def _snapshot(
    record: PollRecord,
    page: ParsedPage | None,
    diff: Diff | None,
    *,
    body_sha256: str | None,
    body_seen: bool,
) -> SnapshotWrite | None:
    """A snapshot for content never seen: every fresh page; a stale copy or a page that
    is no ticker when its body is new (a repeat of a known body adds nothing), or when
    the poll has a parse-health event (an event belongs to a snapshot)."""
    outcome = record.outcome
    if page is None or not isinstance(outcome, PollOutcome):
        return None
    health = diff is not None and diff.health is not None
    if (
        not health
        and outcome is not PollOutcome.FRESH
        and (
            outcome not in (PollOutcome.STALE, PollOutcome.NOT_A_TICKER)
            or body_sha256 is None
            or body_seen
        )
    ):
        return None
    placements: tuple[tuple[str, int], ...] = ()
    if diff is not None and outcome is PollOutcome.FRESH:
        placements = tuple((p.entry_id, p.position) for p in diff.placements)
    return SnapshotWrite(
        observed_at=page.observed_at,
        outcome=outcome,
        layout=page.layout,
        page_headline=page.headline,
        teaser=page.teaser,
        entry_count=len(page.entries),
        not_a_ticker=page.not_a_ticker,
        reason=diff.reason if diff is not None else None,
        placements=placements,
    )


def _entry_writes(
    diff: Diff, before: Mapping[str, Before], observed_at: datetime
) -> tuple[EntryWrite, ...]:
    statuses = dict(diff.statuses)
    writes = []
    for placement in diff.placements:
        known = before.get(placement.entry_id)
        version = placement.version
        if known is None or known.current is None:
            revision: EntryVersion | None = version
        elif (placement.is_new or placement.revised) and version_key(version) != version_key(
            known.current
        ):
            revision = version
        else:
            # Not revised, or revised into what is stored already (a retried poll).
            revision = None
        writes.append(
            EntryWrite(
                entry_id=placement.entry_id,
                insert=known is None,
                first_seen=known.first_seen if known is not None else observed_at,
                last_seen=observed_at,
                status=statuses.get(placement.entry_id, EntryStatus.LIVE),
                position=placement.position,
                native_id=version.native_id,
                revision=revision,
            )
        )
    return tuple(writes)


def _health_event(event: HealthEvent) -> EventWrite:
    return EventWrite(
        kind=ChangeKind.TICKER_HEALTH,
        entry_id=None,
        changed=(),
        similarity=None,
        word_ops=(),
        previous=None,
        current=None,
        page_headline=None,
        previous_page_headline=None,
        health=event.kind,
        detail=event.detail,
    )


def _event(change: Change, before: Mapping[str, Before], written: set[str]) -> EventWrite:
    previous: RevisionRef | None = None
    current: RevisionRef | None = None
    if change.entry_id is not None:
        known = before.get(change.entry_id)
        previous = known.current_revision_id if known is not None else None
        if change.current is not None:
            current = NewRevision(change.entry_id) if change.entry_id in written else previous
    return EventWrite(
        kind=change.kind,
        entry_id=change.entry_id,
        changed=change.changed,
        similarity=change.similarity,
        word_ops=change.word_ops,
        previous=previous,
        current=current,
        page_headline=change.page_headline,
        previous_page_headline=change.previous_page_headline,
    )
