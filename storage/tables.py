"""The SQL schema as SQLModel tables. Changed only together with a migration in
``storage/migrations/versions`` (a test compares the two).

Conventions, the same on SQLite and PostgreSQL:

- Instants are :class:`AwareDateTime`: UTC in the database (``timestamptz`` on
  PostgreSQL, ISO text on SQLite, which sorts as time), aware UTC in Python. An entry's
  own time stamp keeps its UTC offset in a second column (``time_offset``, seconds).
- Kinds, statuses and outcomes are their enum's ``value`` as text; no database enum
  types, so a new kind needs no migration. Lists (tags, fields, word operations,
  placements) are JSON text.
- Deleting a ticker cascades to everything of it in the database (``ON DELETE CASCADE``);
  raw bodies are shared by content and removed by the repository when orphaned (a
  keyframe only once no delta names it: :mod:`storage.deltas`).
- Two references run against a foreign key and have none, to keep the schema free of
  cycles: ``poll.snapshot_id`` (the key runs ``snapshot.poll_id`` → ``poll.id``) and
  ``entry.current_revision_id`` (the key runs ``entry_revision.entry_id`` → ``entry.id``).
  ``raw_body.keyframe_sha256`` has none either: the repository keeps keyframes, and
  SQLite cannot drop a column a key constrains (the migration's downgrade).

The tables (and those of other packages that keep rows: ``alerts.tables``) derive from
:class:`storage.columns.StorageTable`, whose own :class:`~sqlalchemy.orm.registry`
holds the application's tables only, whatever else defines SQLModel tables in the same
process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field

from storage.columns import AwareDateTime, StorageTable


class TickerRow(StorageTable, table=True):
    __tablename__ = "ticker"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=Text, unique=True)
    name: str = Field(sa_type=Text)
    zone: str | None = Field(default=None, sa_type=Text)
    profile: str | None = Field(default=None, sa_type=Text)
    interval_seconds: int
    paused: bool = False
    created_at: datetime = Field(sa_type=AwareDateTime)
    next_poll_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    tags: str = Field(default="[]", sa_type=Text)  # JSON list of strings
    error_streak: int = 0
    robots_override: str | None = Field(default=None, sa_type=Text)  # the reason, if any
    # EntrySelectors as a JSON object (storage.mapping), NULL when discovery reads the page.
    selectors: str | None = Field(default=None, sa_type=Text)


class RawBodyRow(StorageTable, table=True):
    __tablename__ = "raw_body"

    sha256: str = Field(primary_key=True, sa_type=String(64))  # of the raw bytes, hex
    codec: str = Field(sa_type=String(16))  # storage.codec.Codec value
    size: int  # raw bytes
    stored_size: int  # compressed bytes
    data: bytes = Field(sa_type=LargeBinary)
    # A delta: the keyframe (a whole-page row) whose raw bytes are the zstd dictionary;
    # NULL for a whole page. Indexed: counting a keyframe's deltas, finding orphans.
    keyframe_sha256: str | None = Field(default=None, sa_type=String(64), index=True)


class PollRow(StorageTable, table=True):
    __tablename__ = "poll"
    __table_args__ = (UniqueConstraint("ticker_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE")
    started_at: datetime = Field(sa_type=AwareDateTime)
    observed_at: datetime = Field(sa_type=AwareDateTime)
    duration_ms: int
    http_status: int | None = None
    bytes: int | None = None
    etag: str | None = Field(default=None, sa_type=Text)
    last_modified: str | None = Field(default=None, sa_type=Text)
    outcome: str = Field(sa_type=String(32))  # PollOutcome or FetchOutcome value
    error: str | None = Field(default=None, sa_type=Text)
    body_sha256: str | None = Field(
        default=None, sa_type=String(64), foreign_key="raw_body.sha256", index=True
    )
    snapshot_id: int | None = None  # see the module docstring: no foreign key
    truncated: int = 0  # entries the parser's entry cap dropped from the page


class SnapshotRow(StorageTable, table=True):
    __tablename__ = "snapshot"
    __table_args__ = (Index("ix_snapshot_ticker_observed", "ticker_id", "observed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", ondelete="CASCADE", unique=True)
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE")
    observed_at: datetime = Field(sa_type=AwareDateTime)
    outcome: str = Field(sa_type=String(32))  # FRESH, STALE or NOT_A_TICKER
    layout: str = Field(sa_type=Text)
    page_headline: str | None = Field(default=None, sa_type=Text)
    teaser: str | None = Field(default=None, sa_type=Text)
    entry_count: int
    not_a_ticker: str | None = Field(default=None, sa_type=Text)  # the reason
    reason: str | None = Field(default=None, sa_type=Text)  # the differ's Diff.reason
    placements: str = Field(default="[]", sa_type=Text)  # JSON [[entry id, position], ...]


class EntryRow(StorageTable, table=True):
    __tablename__ = "entry"
    __table_args__ = (Index("ix_entry_ticker_status", "ticker_id", "status", "last_seen"),)

    id: str = Field(primary_key=True, sa_type=String(64))  # the differ's id
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE")
    first_seen: datetime = Field(sa_type=AwareDateTime)
    last_seen: datetime = Field(sa_type=AwareDateTime)
    status: str = Field(sa_type=String(16))  # EntryStatus value
    position: int
    current_revision_id: int | None = None  # see the module docstring: no foreign key
    native_id: str | None = Field(default=None, sa_type=Text)


class RevisionRow(StorageTable, table=True):
    __tablename__ = "entry_revision"
    __table_args__ = (Index("ix_entry_revision_entry_observed", "entry_id", "observed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(sa_type=String(64), foreign_key="entry.id", ondelete="CASCADE")
    snapshot_id: int = Field(foreign_key="snapshot.id", ondelete="CASCADE", index=True)
    observed_at: datetime = Field(sa_type=AwareDateTime)
    headline: str | None = Field(default=None, sa_type=Text)
    text: str = Field(sa_type=Text)
    html: str = Field(default="", sa_type=Text)
    time: datetime | None = Field(default=None, sa_type=AwareDateTime)
    time_offset: int | None = None  # UTC offset of ``time`` as the page gave it, seconds
    time_label: str | None = Field(default=None, sa_type=Text)
    time_source: str = Field(sa_type=String(16))  # ingest.model.TimeSource value
    native_id: str | None = Field(default=None, sa_type=Text)
    # ingest.model.TimeEvidence value: what placed the printed label on the time line.
    time_evidence: str = Field(
        default="none", sa_type=String(16), sa_column_kwargs={"server_default": "none"}
    )


class ChangeEventRow(StorageTable, table=True):
    __tablename__ = "change_event"
    __table_args__ = (
        Index("ix_change_event_ticker_observed", "ticker_id", "observed_at"),
        Index("ix_change_event_entry_observed", "entry_id", "observed_at"),
        # Each ticker's last event of a kind (the parse health every page's status shows)
        # without reading every event: storage.sql_changes.parse_health.
        Index("ix_change_event_kind_ticker", "kind", "ticker_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE")
    snapshot_id: int = Field(foreign_key="snapshot.id", ondelete="CASCADE", index=True)
    poll_id: int = Field(foreign_key="poll.id", ondelete="CASCADE", index=True)
    observed_at: datetime = Field(sa_type=AwareDateTime)
    kind: str = Field(sa_type=String(32))  # ChangeKind value
    entry_id: str | None = Field(
        default=None, sa_type=String(64), foreign_key="entry.id", ondelete="CASCADE"
    )
    changed: str = Field(default="[]", sa_type=Text)  # JSON list of Field values
    similarity: float | None = None
    word_ops: str = Field(default="[]", sa_type=Text)  # JSON [[op, old, new], ...]
    previous_revision_id: int | None = Field(
        default=None, foreign_key="entry_revision.id", ondelete="CASCADE", index=True
    )
    current_revision_id: int | None = Field(
        default=None, foreign_key="entry_revision.id", ondelete="CASCADE", index=True
    )
    page_headline: str | None = Field(default=None, sa_type=Text)
    previous_page_headline: str | None = Field(default=None, sa_type=Text)
    health: str | None = Field(default=None, sa_type=String(32))  # HealthKind value
    detail: str | None = Field(default=None, sa_type=Text)  # the event in words
    # Story alerts only: the desk's story (no foreign key: the alert outlives the desk,
    # as the message it sent does) and the first one's lead on each clock, in minutes.
    desk_id: int | None = None
    story_id: int | None = Field(default=None, sa_type=BigInteger)
    lead_seen_minutes: float | None = None
    lead_printed_minutes: float | None = None


class AlertOutboxRow(StorageTable, table=True):
    """An alertable change event not yet handed to alert delivery.

    Written in the poll's transaction together with the event, deleted in the
    transaction that hands it over: an event can neither be lost nor handed over twice.
    """

    __tablename__ = "alert_outbox"

    change_event_id: int = Field(
        primary_key=True, foreign_key="change_event.id", ondelete="CASCADE"
    )
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE", index=True)


class PollClaimRow(StorageTable, table=True):
    """Who is polling a ticker right now, and until when that claim holds (a process that
    died mid-poll leaves its claim to expire). No row: nobody is polling it."""

    __tablename__ = "poll_claim"

    ticker_id: int = Field(primary_key=True, foreign_key="ticker.id", ondelete="CASCADE")
    token: str = Field(sa_type=Text)
    until: datetime = Field(sa_type=AwareDateTime)


class DeskRow(StorageTable, table=True):
    """A named group of tickers compared together (``storage.desks``)."""

    __tablename__ = "desk"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text, unique=True)
    window_minutes: int
    lead_minutes: int
    created_at: datetime = Field(sa_type=AwareDateTime)


class DeskMemberRow(StorageTable, table=True):
    """A ticker of a desk; removing either removes the row."""

    __tablename__ = "desk_member"

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    ticker_id: int = Field(
        primary_key=True, foreign_key="ticker.id", ondelete="CASCADE", index=True
    )
    own: bool = False
    position: int  # the order the desk names its members in


class DeskTagRow(StorageTable, table=True):
    """Every ticker carrying ``tag`` belongs to the desk, resolved when read."""

    __tablename__ = "desk_tag"

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    tag: str = Field(primary_key=True, sa_type=Text)
    own: bool = False
    position: int


class StoryDeskRow(StorageTable, table=True):
    """A desk's story counters: the next story id (never reused) and how many applies
    its stories have had (``storage.story_store``); created on the first apply."""

    __tablename__ = "story_desk"

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    next_story_id: int
    revision: int


class StoryRow(StorageTable, table=True):
    """A story of a desk (``stories.Story``); ``start`` and ``tickers`` as last applied."""

    __tablename__ = "story"
    __table_args__ = (Index("ix_story_desk_id_start", "desk_id", "start"),)

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    id: int = Field(primary_key=True, sa_type=BigInteger)
    start: datetime = Field(sa_type=AwareDateTime)
    # Distinct tickers when applied: an upper bound once a ticker is removed, so a
    # listing filters by it first and counts the members left only for what passes.
    tickers: int


class StoryMemberRow(StorageTable, table=True):
    """An entry of a story as story matching saw it; removing its ticker removes it."""

    __tablename__ = "story_member"
    __table_args__ = (
        ForeignKeyConstraint(
            ["desk_id", "story_id"], ["story.desk_id", "story.id"], ondelete="CASCADE"
        ),
    )

    desk_id: int = Field(primary_key=True)
    story_id: int = Field(primary_key=True, sa_type=BigInteger)
    ticker_id: int = Field(
        primary_key=True, foreign_key="ticker.id", ondelete="CASCADE", index=True
    )
    entry_id: str = Field(primary_key=True, sa_type=Text)
    title: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)
    link: str | None = Field(default=None, sa_type=Text)
    printed: datetime | None = Field(default=None, sa_type=AwareDateTime)
    printed_offset: int | None = None  # UTC offset of ``printed`` as the page gave it, seconds
    first_seen: datetime = Field(sa_type=AwareDateTime)
    position: int  # the order the members joined the story in


class StoryMergeRow(StorageTable, table=True):
    """A story merged into another (``stories.PlacementKind.MERGED``): its id keeps
    answering with the story it went into, so links and alerts naming it still work."""

    __tablename__ = "story_merge"

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    story_id: int = Field(primary_key=True, sa_type=BigInteger)
    into_id: int = Field(sa_type=BigInteger)


class StoryAlertRow(StorageTable, table=True):
    """A story alert fired (``storage.story_alerts``): one per desk, story and
    competitor ticker, and one per competitor entry, of either kind. The keys are the
    table's primary key and unique constraint, so two processes judging one desk at
    once cannot both fire; the change event and its outbox row are written in the
    same transaction."""

    __tablename__ = "story_alert"
    __table_args__ = (
        UniqueConstraint("desk_id", "ticker_id", "entry_id"),
        Index("ix_story_alert_desk_fired", "desk_id", "fired_at"),
    )

    desk_id: int = Field(primary_key=True, foreign_key="desk.id", ondelete="CASCADE")
    story_id: int = Field(primary_key=True, sa_type=BigInteger)
    ticker_id: int = Field(primary_key=True, foreign_key="ticker.id", ondelete="CASCADE")
    entry_id: str = Field(sa_type=Text)
    kind: str = Field(sa_type=String(32))  # ChangeKind value: competitor_first or we_were_first
    change_event_id: int = Field(foreign_key="change_event.id", ondelete="CASCADE", index=True)
    fired_at: datetime = Field(sa_type=AwareDateTime)
