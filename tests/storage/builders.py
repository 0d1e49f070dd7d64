"""Literal pages, and a feed that polls them into a store through the real differ.

:class:`Feed` does what ``poll_once`` will do (previous state → diff → record) and folds
every diff into a reference state with :func:`diffing.advance`, the differ's own account
of what a store must remember; :func:`assert_same_state` compares the two.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from diffing import advance, diff, version_digest
from diffing.model import Diff, PollOutcome, TickerState
from ingest.fetching.model import FetchOutcome
from ingest.model import Entry, Order, ParsedPage, TimeSource
from storage import NewTicker, PollId, PollRecord, Store, TickerId

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 4, 23, 12, 0, tzinfo=BERLIN)
CREATED = datetime(2026, 4, 1, tzinfo=UTC)
KEEP = timedelta(days=2)
HEADLINE = "Live: Gipfel in Wladiwostok"


def clock(hhmm: str, day: datetime = START) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def entry(text: str, *, headline: str | None = None, time: str | None = None) -> Entry:
    """An entry at position 0 (:func:`page` numbers them) with a clock label."""
    return Entry(
        position=0,
        text=text,
        html=f"<p>{text}</p>",
        headline=headline,
        time=clock(time) if time else None,
        time_label=time,
        time_source=TimeSource.LABEL if time else TimeSource.NONE,
    )


def page(
    *entries: Entry,
    url: str,
    at: datetime,
    headline: str | None = HEADLINE,
    not_a_ticker: str | None = None,
) -> ParsedPage:
    return ParsedPage(
        url=url,
        observed_at=at,
        layout="test",
        headline=headline,
        entries=tuple(replace(e, position=i) for i, e in enumerate(entries)),
        order=Order.NEWEST_FIRST,
        not_a_ticker=not_a_ticker,
    )


def body_of(parsed: ParsedPage) -> bytes:
    """The bytes a server would send for this content: equal content, equal bytes (the
    poll time is not in them, as on a real page between edits)."""
    content = {
        "headline": parsed.headline,
        "not_a_ticker": parsed.not_a_ticker,
        "entries": [[e.headline, e.time_label, e.text] for e in parsed.entries],
    }
    text = json.dumps(content, ensure_ascii=False)
    return f"<html><body><script>{text}</script></body></html>".encode()


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class Feed:
    """One ticker of a store, polled with literal pages every ten minutes."""

    def __init__(self, store: Store, name: str = "ticker-1", *, now: datetime = START) -> None:
        self.store = store
        self.url = f"https://www.example.test/live/{name}"
        self.ticker_id: TickerId = store.add(NewTicker(self.url, name), created_at=CREATED).id
        self.now = now
        self.reference = TickerState()
        self.last_body: bytes | None = None

    def state(self) -> TickerState:
        return self.store.previous_state(self.ticker_id, keep_removed_for=KEEP)

    def poll(
        self,
        *entries: Entry,
        headline: str | None = HEADLINE,
        not_a_ticker: str | None = None,
        body: bytes | None = None,
        step: timedelta = timedelta(minutes=10),
    ) -> Diff:
        """Diff the page against the stored state, record it, fold it into the reference."""
        parsed = page(
            *entries, url=self.url, at=self.now, headline=headline, not_a_ticker=not_a_ticker
        )
        raw = body if body is not None else body_of(parsed)
        verdict = diff(self.state(), parsed, body_sha256=sha(raw))
        self.record(verdict, parsed, raw)
        self.reference = advance(self.reference, parsed, verdict, body_sha256=sha(raw))
        self.last_body = raw
        self.now += step
        return verdict

    def record(self, verdict: Diff, parsed: ParsedPage | None, raw: bytes | None) -> PollId:
        record = PollRecord(
            ticker_id=self.ticker_id,
            started_at=self.now,
            duration_ms=120,
            outcome=verdict.outcome,
            http_status=200,
            etag='W/"abc"',
            bytes=len(raw) if raw is not None else None,
        )
        return self.store.record_poll(record, raw, parsed, verdict)

    def fail(self, outcome: FetchOutcome = FetchOutcome.TIMEOUT) -> PollId:
        record = PollRecord(
            ticker_id=self.ticker_id,
            started_at=self.now,
            duration_ms=20_000,
            outcome=outcome,
            error="read timed out after 20 s",
        )
        self.now += timedelta(minutes=10)
        return self.store.record_poll(record, None, None, None)

    def not_modified(self) -> PollId:
        """An HTTP 304: unchanged, no body, no page."""
        record = PollRecord(self.ticker_id, self.now, 80, PollOutcome.UNCHANGED, 304)
        self.now += timedelta(minutes=10)
        return self.store.record_poll(record, None, None, Diff(PollOutcome.UNCHANGED))


def assert_same_state(stored: TickerState, reference: TickerState) -> None:
    """The store's state is what :func:`diffing.advance` folded: same entries with the
    same status, position, times, superseded digests and version (as the differ sees
    versions: by digest, plus the time stamp), and the same page-level fields."""
    assert stored.page_headline == reference.page_headline
    assert stored.last_fresh_at == reference.last_fresh_at
    assert stored.last_body_sha256 == reference.last_body_sha256
    assert stored.seen_bodies == reference.seen_bodies
    assert stored.health == reference.health
    ours = {k.entry_id: k for k in stored.entries}
    theirs = {k.entry_id: k for k in reference.entries}
    assert ours.keys() == theirs.keys()
    for entry_id, known in theirs.items():
        got = ours[entry_id]
        assert (got.status, got.position) == (known.status, known.position), entry_id
        assert (got.first_seen, got.last_seen) == (known.first_seen, known.last_seen), entry_id
        assert got.superseded == known.superseded, entry_id
        assert got.retimed_from == known.retimed_from, entry_id
        assert version_digest(got.version) == version_digest(known.version), entry_id
        assert got.version.time == known.version.time, entry_id
        assert got.version.time_source == known.version.time_source, entry_id


# The story most contract tests tell: six fresh polls of one ticker.

A = entry("Die Delegation ist in Wladiwostok gelandet.", time="12:00")
B = entry("Kim Jong Un trifft am Nachmittag ein.", headline="Ankunft", time="12:05")
B2 = entry("Kim Jong Un trifft am späten Nachmittag ein.", headline="Ankunft", time="12:05")
C = entry("Die Polizei sperrt die Innenstadt ab.", time="12:10")
D = entry("Der Sonderzug steht am Bahnsteig.", time="12:45")
RETITLED = "Live: Gipfel in Wladiwostok – der zweite Tag"


def story(store: Store) -> Feed:
    """Six fresh polls, 12:00 to 12:50 Berlin time: A added, B added, B edited, page
    retitled with C added, B removed, B restored with D added."""
    feed = Feed(store)
    feed.poll(A)  # 12:00
    feed.poll(B, A)  # 12:10
    feed.poll(B2, A)  # 12:20
    feed.poll(C, B2, A, headline=RETITLED)  # 12:30
    feed.poll(C, A, headline=RETITLED)  # 12:40
    feed.poll(D, C, B2, A, headline=RETITLED)  # 12:50
    return feed


def entry_id(feed: Feed, text: str) -> str:
    ids = [k.entry_id for k in feed.reference.entries if k.version.text == text]
    assert len(ids) == 1, text
    return ids[0]
