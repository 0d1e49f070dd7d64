"""One poll of one ticker: fetch → parse → match → store, the pipeline every caller shares.

``tickerwatch poll``, the scheduler, the scale-out worker and ``tickerwatch replay`` all
run :func:`poll_once`; they differ only in the :class:`~ingest.fetching.Fetcher` and the
clock they hand it. The poll never raises for anything a page or a server can do: a
failed fetch, a 304, a byte-identical body, a consent wall and a stale cache copy are all
recorded as polls with their outcome, and a page the parser or the differ cannot read, or
that holds what the store refuses (:class:`~storage.errors.InvalidValue`), is recorded as
a ``FAILED`` poll with its reason. It raises only when the store itself fails, and then
nothing of the poll was written (one transaction), so it can simply run again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diffing import DEFAULT_CONFIG, DiffConfig, diff
from diffing.model import Change, Diff, HealthEvent, PollOutcome
from diffing.timing import confirmed_freshness_offset
from ingest.fetching.model import Fetcher, FetchOutcome, FetchResult, Validators
from ingest.model import ParsedPage
from ingest.parse import parse_page
from ingest.text import strip_controls
from scheduler.ports import Turn
from storage.errors import InvalidValue
from storage.model import PollId, PollRecord, Ticker
from storage.ports import PollStore

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)
# A failed poll's reason is one line in ``status``, not the exception's whole text.
_REASON_CHARS = 300


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """What the pipeline needs besides its ports, built once from settings."""

    max_body_bytes: int = 15 * 1024 * 1024
    default_zone: str | None = None
    # How long removed and paged-out entries stay candidates for a restoration.
    keep_removed_for: timedelta = timedelta(days=2)
    diff_config: DiffConfig = DEFAULT_CONFIG


DEFAULT_POLICY = PollPolicy()


@dataclass(frozen=True, slots=True)
class PollReport:
    """What became of one poll, for the scheduler's cadence, alerts and progress output.

    ``changes`` are the events stored for this poll (empty unless ``outcome`` is
    ``FRESH``); ``health`` the parse-health event stored with it, of any outcome;
    ``entries`` counts the page's entries when one was parsed; ``truncated`` those the
    parser's entry cap dropped; ``coverage_end`` is the page's ``coverageEndTime``
    (the ticker has ended).
    """

    ticker_id: int
    poll_id: PollId
    started_at: datetime
    outcome: PollOutcome | FetchOutcome
    changes: tuple[Change, ...] = ()
    health: HealthEvent | None = None
    entries: int | None = None
    truncated: int = 0
    error: str | None = None
    http_status: int | None = None
    retry_after_s: float | None = None
    coverage_end: datetime | None = None
    page: ParsedPage | None = None
    duration_ms: int = 0  # the fetch, retries and waits included
    bytes: int | None = None  # the body as received, None when none arrived
    previous_poll_id: PollId | None = None  # the ticker's latest poll before this one

    @property
    def failed(self) -> bool:
        return isinstance(self.outcome, FetchOutcome) or self.outcome is PollOutcome.FAILED

    @property
    def observed_at(self) -> datetime:
        """When the page was observed (what the store records a new entry as first
        seen at): the parsed page's time, else the poll's start."""
        return self.page.observed_at if self.page is not None else self.started_at


async def poll_once(
    ticker: Ticker,
    *,
    fetcher: Fetcher,
    store: PollStore,
    clock: Clock,
    policy: PollPolicy = DEFAULT_POLICY,
    turn: Turn | None = None,
) -> PollReport:
    """Fetch ``ticker`` once and record the poll; the store work runs in a thread so a
    slow database or a large page never blocks other polls on the event loop.

    In a scheduled ``turn`` the validators and the last page's digest come from what
    the turn read with its claim, and the poll's transaction also writes the turn's
    schedule: an unchanged page (a 304, the same bytes) costs that one write."""
    started_at = clock()
    if turn is not None:
        last = turn.start.latest
    else:
        latest = await asyncio.to_thread(store.polls, ticker.id, limit=1)
        last = latest[0] if latest else None
    validators = (
        Validators(etag=last.etag, last_modified=last.last_modified) if last else Validators()
    )
    result = await fetcher.fetch(
        ticker.url, validators, ignore_robots=ticker.robots_override is not None
    )
    return await asyncio.to_thread(
        record_fetch,
        ticker,
        result,
        started_at=started_at,
        store=store,
        policy=policy,
        turn=turn,
        previous_poll_id=last.id if last else None,
    )


def record_fetch(
    ticker: Ticker,
    result: FetchResult,
    *,
    started_at: datetime,
    store: PollStore,
    policy: PollPolicy,
    turn: Turn | None = None,
    previous_poll_id: PollId | None = None,
) -> PollReport:
    """Judge one fetch result and store it as a poll (the synchronous half of a poll);
    with a ``turn``, the poll's transaction also writes its schedule."""
    base = PollRecord(
        ticker_id=ticker.id,
        started_at=started_at,
        duration_ms=result.duration_ms,
        outcome=PollOutcome.UNCHANGED,
        http_status=result.http_status,
        etag=result.validators.etag,
        last_modified=result.validators.last_modified,
        error=result.error,
        bytes=len(result.body) if result.body is not None else None,
    )
    report = PollReport(
        ticker_id=ticker.id,
        poll_id=PollId(0),
        started_at=started_at,
        outcome=PollOutcome.UNCHANGED,
        error=result.error,
        http_status=result.http_status,
        retry_after_s=result.retry_after_s,
        duration_ms=result.duration_ms,
        bytes=base.bytes,
        previous_poll_id=previous_poll_id,
    )
    record = _Recorder(store, turn)
    if result.outcome is FetchOutcome.NOT_MODIFIED:
        return record(report, base, None)
    if result.outcome is not FetchOutcome.OK or result.body is None:
        failed = replace(report, outcome=result.outcome)
        return record(failed, replace(base, outcome=result.outcome), None)

    body = result.body
    sha = hashlib.sha256(body).hexdigest()
    # Byte-identical to the last fresh page: no parse, no snapshot, a poll row only.
    # (After polls that read no ticker, the page is parsed: it reads again.) A turn
    # read the digest with its claim; the differ's whole state is read only for a page
    # that differs.
    same = Diff(outcome=PollOutcome.UNCHANGED, reason="same bytes as the last page")
    known = turn.start if turn is not None else None
    if known is not None and sha == known.last_body_sha256 and not known.broken_polls:
        return record(report, base, body, same)
    state = store.previous_state(ticker.id, keep_removed_for=policy.keep_removed_for)
    if sha == state.last_body_sha256 and not state.health.broken_polls:
        return record(report, base, body, same)

    try:
        page = parse_page(
            body,
            url=result.final_url,
            observed_at=result.fetched_at,
            content_type=result.content_type,
            zone=_zone(ticker.zone),
            default_zone=_zone(policy.default_zone),
            profile=ticker.profile,
            max_bytes=policy.max_body_bytes,
            selectors=ticker.selectors,
            # A page on the edge between two readings keeps the one it was read with.
            previous_layout=state.health.layout,
            remembered_zone=confirmed_freshness_offset(state.entries),
        )
        verdict = diff(state, page, body_sha256=sha, config=policy.diff_config)
    except Exception as error:  # a bug a page can trigger must not cost the poll's record
        reason = f"page could not be read: {_reason(error)}"
        log.warning("ticker %d: %s", ticker.id, reason)
        log.debug("ticker %d: the parser's traceback", ticker.id, exc_info=True)
        return _failed(report, base, body, record, reason)
    if verdict.outcome is PollOutcome.FAILED:  # a page cut short (diffing.freshness)
        log.warning("ticker %d: %s", ticker.id, verdict.reason)
        return _failed(report, base, body, record, verdict.reason or "page could not be read")
    read = replace(
        report,
        outcome=verdict.outcome,
        changes=verdict.changes,
        health=verdict.health,
        entries=len(page.entries),
        truncated=page.truncated,
        error=result.error or verdict.reason,
        coverage_end=page.coverage_end,
        page=page,
    )
    try:
        return record(
            read,
            replace(base, outcome=verdict.outcome, error=read.error),
            body,
            verdict,
            page,
        )
    except InvalidValue as error:  # the page holds what the database cannot
        log.warning("ticker %d: the store refused the page: %s", ticker.id, error)
        return _failed(report, base, body, record, f"page could not be stored: {_reason(error)}")


class _Recorder:
    """Records a poll with the report it makes, and with a turn, the turn's schedule
    planned from that report (in the same transaction)."""

    def __init__(self, store: PollStore, turn: Turn | None) -> None:
        self._store = store
        self._turn = turn

    def __call__(
        self,
        report: PollReport,
        record: PollRecord,
        body: bytes | None,
        verdict: Diff | None = None,
        page: ParsedPage | None = None,
    ) -> PollReport:
        schedule = self._turn.schedule(report) if self._turn is not None else None
        poll_id = self._store.record_poll(record, body, page, verdict, schedule=schedule)
        return replace(report, poll_id=poll_id)


def _failed(
    report: PollReport, base: PollRecord, body: bytes, record: _Recorder, reason: str
) -> PollReport:
    """Record a fetched page that could not be read or stored as a failed poll: it counts
    into the error streak (the cadence backs off), ``status`` shows the reason, and the
    body is kept for ``replay`` and ``explain``. Its validators are not: the next fetch
    must get the page again (not a 304 that would read as "unchanged") to read it anew.

    So is a page cut short (:func:`diffing.freshness.judge_body`)."""
    failed = replace(base, outcome=PollOutcome.FAILED, error=reason, etag=None, last_modified=None)
    return record(replace(report, outcome=PollOutcome.FAILED, error=reason), failed, body)


def _reason(error: Exception) -> str:
    """One storable line naming ``error``: its type and the start of its message."""
    message = strip_controls(" ".join(str(error).split()))[:_REASON_CHARS]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _zone(name: str | None) -> ZoneInfo | None:
    return ZoneInfo(name) if name else None
