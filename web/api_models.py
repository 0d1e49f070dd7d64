"""The JSON API's documents: pydantic models (so the OpenAPI document describes them)
and their construction from storage's values. Wire only: nothing here decides anything.

A change event has the replay contract's shape (:func:`diffing.wire.change_as_json`)
plus its id, poll, observation time, word operations and links.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator, model_validator

from ingest.layouts.selectors import selector_problems
from ingest.model import EntrySelectors
from scheduler.status import TickerStatus
from storage.archive import SearchHit
from storage.model import (
    MAX_INTERVAL_SECONDS,
    EntryHistory,
    Revision,
    StoredChange,
    StoredPoll,
    Ticker,
    TickerView,
)
from web.links import Links
from web.sanitize import safe_html

T = TypeVar("T")


class SelectorsIO(BaseModel):
    """A ticker's own entry selectors (CSS), for a page discovery reads wrong."""

    entry: str = Field(min_length=1, description="The entry blocks on the page.")
    time: str | None = Field(default=None, description="An entry's time, inside its block.")
    headline: str | None = Field(default=None, description="An entry's headline.")
    body: str | None = Field(default=None, description="An entry's body (default: the block).")
    native_id: str | None = Field(
        default=None, description="An entry's id: `@attr` of the block, `CSS@attr` or `CSS`."
    )

    @model_validator(mode="after")
    def _compiles(self) -> SelectorsIO:
        problems = selector_problems(self.value())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def value(self) -> EntrySelectors:
        return EntrySelectors(self.entry, self.time, self.headline, self.body, self.native_id)

    @classmethod
    def of(cls, selectors: EntrySelectors | None) -> SelectorsIO | None:
        return None if selectors is None else cls(**asdict(selectors))


class TickerIn(BaseModel):
    """A ticker to watch."""

    url: str = Field(description="The ticker page's http(s) URL (unique).")
    name: str | None = Field(default=None, description="A name for people; default: from the URL.")
    interval_seconds: int = Field(
        default=300, ge=1, le=MAX_INTERVAL_SECONDS, description="The ticker's poll interval."
    )
    zone: str | None = Field(default=None, description="IANA zone of the page's clock labels.")
    tags: list[str] = Field(default_factory=list, description="Tags for alert rules.")
    selectors: SelectorsIO | None = Field(
        default=None, description="Where the entries are, when discovery reads the page wrong."
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value.strip()


class TickerPatch(BaseModel):
    """Fields to change; those left out stay as they are."""

    name: str | None = Field(default=None, min_length=1)
    interval_seconds: int | None = Field(default=None, ge=1, le=MAX_INTERVAL_SECONDS)
    paused: bool | None = None
    selectors: SelectorsIO | None = Field(
        default=None, description="New entry selectors; an explicit null clears them."
    )


class TickerOut(BaseModel):
    id: int
    name: str
    url: str
    interval_seconds: int
    zone: str | None
    tags: list[str]
    paused: bool
    created_at: datetime
    next_poll_at: datetime | None
    error_streak: int
    selectors: SelectorsIO | None = None
    links: dict[str, str]


class TickerStatusOut(TickerOut):
    last_poll_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    overdue_seconds: float | None
    circuit: str
    entries: int
    changes_today: int
    parse_health_ok: bool = Field(
        description="False while the page reads no ticker since a reported breakage."
    )
    parse_health: str | None = Field(
        description="The last parse-health event: layout_changed, no_entries, "
        "not_a_ticker or recovered (None: none yet)."
    )
    parse_health_detail: str | None
    truncated: int = Field(description="Entries the entry cap cut on the last poll.")


class VersionOut(BaseModel):
    title: str | None
    text: str
    time: datetime | None
    time_label: str | None
    time_evidence: str = Field(
        description="What placed the printed label in time: offset (stated by the page),"
        " page, ticker_zone, freshness, locale, default, relative or none."
    )
    html: str = Field(description="The entry's HTML, sanitized again on output.")
    native_id: str | None


class RevisionOut(BaseModel):
    id: int
    entry_id: str
    snapshot_id: int
    observed_at: datetime
    version: VersionOut


class PreviousOut(BaseModel):
    title: str | None
    text: str | None
    time: datetime | None


class StoryAlertLeadsOut(BaseModel):
    seen: float | None
    printed: float | None


class StoryAlertOut(BaseModel):
    """What a competitor_first or we_were_first event is about."""

    desk_id: int | None
    story_id: int | None
    detail: str | None
    lead_minutes: StoryAlertLeadsOut = Field(
        description="The lead of whoever was first, in minutes, on each clock (seen: None "
        "while our tickers do not have the story)."
    )


class ChangeOut(BaseModel):
    """A change event: the replay contract's fields first."""

    snapshot: str
    kind: str
    changed: list[str]
    entry_id: str | None
    title: str | None
    text: str | None
    time: datetime | None
    previous: PreviousOut | None
    similarity: float | None
    id: int
    ticker_id: int
    poll_id: int
    observed_at: datetime
    word_ops: list[tuple[Literal["equal", "insert", "delete", "replace"], str, str]]
    links: dict[str, str]
    health: str | None = Field(
        default=None, description="What a ticker_health event reports (its title says it)."
    )
    story: StoryAlertOut | None = Field(
        default=None, description="The desk's story a competitor_first or we_were_first is about."
    )


class EntryOut(BaseModel):
    entry_id: str
    ticker_id: int
    first_seen: datetime
    last_seen: datetime
    status: str
    position: int
    native_id: str | None
    revisions: list[RevisionOut]
    changes: list[ChangeOut]
    links: dict[str, str]


class EntryAsOfOut(BaseModel):
    entry_id: str
    position: int
    first_seen: datetime
    revision: RevisionOut


class TickerViewOut(BaseModel):
    ticker_id: int
    at: datetime
    snapshot_id: int | None
    observed_at: datetime | None
    page_headline: str | None
    entries: list[EntryAsOfOut]
    raw: str | None = Field(description="The raw page of the snapshot's poll.")


class PollOut(BaseModel):
    id: int
    started_at: datetime
    observed_at: datetime
    duration_ms: int
    outcome: str
    http_status: int | None
    bytes: int | None
    etag: str | None
    last_modified: str | None
    error: str | None
    body_sha256: str | None
    snapshot_id: int | None
    raw: str | None


class SearchHitOut(BaseModel):
    entry_id: str
    ticker_id: int
    matching_revisions: int
    revision: RevisionOut
    links: dict[str, str]


class PageOut(BaseModel, Generic[T]):
    """One page of a listing; ``next`` is the URL of the following page, if any."""

    items: list[T]
    limit: int
    offset: int
    total: int | None = None
    next: str | None = None


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: str


def ticker_out(ticker: Ticker, links: Links) -> TickerOut:
    return TickerOut(**_ticker_fields(ticker, links))


def _ticker_fields(ticker: Ticker, links: Links) -> dict[str, Any]:
    return {
        "id": ticker.id,
        "name": ticker.name,
        "url": ticker.url,
        "interval_seconds": ticker.interval_seconds,
        "zone": ticker.zone,
        "tags": list(ticker.tags),
        "paused": ticker.paused,
        "created_at": ticker.created_at,
        "next_poll_at": ticker.next_poll_at,
        "error_streak": ticker.error_streak,
        "selectors": SelectorsIO.of(ticker.selectors),
        "links": {
            "self": links.api_ticker(ticker.id),
            "html": links.ticker(ticker.id),
            "feed": links.feed(ticker.id),
            "timemap": links.timemap(ticker.id),
            "timegate": links.timegate(ticker.id),
        },
    }


def status_out(
    ticker: Ticker, status: TickerStatus, changes_today: int, links: Links
) -> TickerStatusOut:
    return TickerStatusOut(
        **_ticker_fields(ticker, links),
        last_poll_at=status.last_poll_at,
        last_outcome=status.last_outcome,
        last_error=status.last_error,
        overdue_seconds=status.overdue_s,
        circuit=status.circuit.value,
        entries=status.entries,
        changes_today=changes_today,
        parse_health_ok=not status.parse_broken,
        parse_health=status.health.value if status.health else None,
        parse_health_detail=status.health_detail,
        truncated=status.truncated,
    )


def revision_out(revision: Revision) -> RevisionOut:
    version = revision.version
    return RevisionOut(
        id=revision.id,
        entry_id=revision.entry_id,
        snapshot_id=revision.snapshot_id,
        observed_at=revision.observed_at,
        version=VersionOut(
            title=version.headline,
            text=version.text,
            time=version.time,
            time_label=version.time_label,
            time_evidence=version.time_evidence.value,
            html=str(safe_html(version.html)),
            native_id=version.native_id,
        ),
    )


def change_out(change: StoredChange, links: Links) -> ChangeOut:
    document = change.as_json()
    entry_links = {"entry": links.entry(change.entry_id, change.id)} if change.entry_id else {}
    if change.kind.about_story and change.desk_id is not None and change.story_id is not None:
        entry_links["story"] = links.desk_story(change.desk_id, change.story_id)
    return ChangeOut.model_validate(
        {
            **document,
            "id": change.id,
            "ticker_id": change.ticker_id,
            "poll_id": change.poll_id,
            "observed_at": change.observed_at,
            "word_ops": [(op.op, op.old, op.new) for op in change.word_ops],
            "links": {"ticker": links.ticker(change.ticker_id), **entry_links},
        }
    )


def entry_out(history: EntryHistory, links: Links) -> EntryOut:
    return EntryOut(
        entry_id=history.entry_id,
        ticker_id=history.ticker_id,
        first_seen=history.first_seen,
        last_seen=history.last_seen,
        status=history.status.value,
        position=history.position,
        native_id=history.native_id,
        revisions=[revision_out(r) for r in history.revisions],
        changes=[change_out(c, links) for c in history.changes],
        links={"html": links.entry(history.entry_id), "ticker": links.ticker(history.ticker_id)},
    )


def view_out(view: TickerView, raw: str | None) -> TickerViewOut:
    return TickerViewOut(
        ticker_id=view.ticker_id,
        at=view.at,
        snapshot_id=view.snapshot_id,
        observed_at=view.observed_at,
        page_headline=view.page_headline,
        entries=[
            EntryAsOfOut(
                entry_id=e.entry_id,
                position=e.position,
                first_seen=e.first_seen,
                revision=revision_out(e.revision),
            )
            for e in view.entries
        ],
        raw=raw,
    )


def poll_out(poll: StoredPoll, links: Links) -> PollOut:
    return PollOut(
        id=poll.id,
        started_at=poll.started_at,
        observed_at=poll.observed_at,
        duration_ms=poll.duration_ms,
        outcome=poll.outcome.value,
        http_status=poll.http_status,
        bytes=poll.bytes,
        etag=poll.etag,
        last_modified=poll.last_modified,
        error=poll.error,
        body_sha256=poll.body_sha256,
        snapshot_id=poll.snapshot_id,
        raw=links.raw(poll.ticker_id, poll.id) if poll.body_sha256 else None,
    )


def hit_out(hit: SearchHit, links: Links) -> SearchHitOut:
    return SearchHitOut(
        entry_id=hit.entry_id,
        ticker_id=hit.ticker_id,
        matching_revisions=hit.matching,
        revision=revision_out(hit.revision),
        links={"entry": links.entry(hit.entry_id), "api": links.api_entry(hit.entry_id)},
    )
