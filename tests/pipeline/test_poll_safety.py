"""Every poll is recorded whatever the page does: a page the parser or the store cannot
take is a failed poll with its reason, counts into the error streak, backs the cadence
off and shows in ``status``; nothing raises out of the poll."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from diffing.model import Diff, PollOutcome
from ingest.fetching.memory import MemoryFetcher
from ingest.model import ParsedPage
from scheduler.cadence import CadencePolicy, Circuit
from scheduler.ports import Turn
from scheduler.runner import PollRunner, TurnKind
from scheduler.status import status_lines, ticker_status
from storage import MemoryStore, NewTicker, Store
from storage.errors import InvalidValue
from storage.model import PollId, PollRecord, PollSchedule, Ticker
from tests.support.clock import SetClock
from tickerwatch.polling import PollReport, poll_once

URL = "https://www.example.org/live"
START = datetime(2026, 4, 23, 8, 0, tzinfo=UTC)
DEPTH = 5000
CADENCE = CadencePolicy(min_interval_s=30, jitter_ratio=0.0)

PARAGRAPHS = (
    '<html lang="de"><body><h1>Gipfel</h1><div class="content">'
    "<p><strong>11.05 Uhr:</strong> Der Gipfel beginnt. Die Delegationen sind da.</p>"
    "<p><strong>10.40 Uhr:</strong> Ankunft am Bahnhof. {middle}</p>"
    "<p><strong>10.10 Uhr:</strong> Kälte und Nieselregen über der Hafenstadt.</p>"
    "</div></body></html>"
)


def live_blog(*members: str) -> str:
    data = (
        '{"@context":"https://schema.org","@type":"LiveBlogPosting","headline":"Live",'
        f'"liveBlogUpdate":[{",".join(members)}]}}'
    )
    return (
        f'<html><head><script type="application/ld+json">{data}</script></head><body></body></html>'
    )


def update(n: int, **fields: object) -> str:
    return json.dumps(
        {
            "@type": "BlogPosting",
            "headline": f"Update {n}",
            "articleBody": f"What happened at {10 + n} o'clock.",
            "datePublished": f"2026-04-23T{10 + n}:00:00Z",
            **fields,
        }
    )


# The pages of the hardening report that each crashed a poll before it was recorded.
HOSTILE = {
    "json-ld nested 5,000 deep": live_blog(update(1), '{"x":' + "[" * DEPTH + "]" * DEPTH + "}"),
    "5,000 nested spans": PARAGRAPHS.format(middle="<span>" * DEPTH + "x" + "</span>" * DEPTH),
    "control character in an iframe": PARAGRAPHS.format(middle="<iframe>Ein\x01Tweet</iframe>"),
    "datePublished an object": live_blog(update(1), update(2, datePublished={"a": 1})),
    "NUL in json-ld text": live_blog(update(1, articleBody="Bo\u0000dy"), update(2)),
}


def poll(ticker: Ticker, store: Store, page: str | bytes, clock: SetClock) -> PollReport:
    fetcher = MemoryFetcher(clock=clock)
    fetcher.publish(ticker.url, page.encode() if isinstance(page, str) else page)
    report = asyncio.run(poll_once(ticker, fetcher=fetcher, store=store, clock=clock))
    clock.now += timedelta(minutes=5)
    return report


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_page_is_recorded(store: Store, name: str) -> None:
    clock = SetClock(START)
    ticker = store.add(NewTicker(URL, "Live"), created_at=clock())
    report = poll(ticker, store, HOSTILE[name], clock)
    assert [p.id for p in store.polls(ticker.id, limit=5)] == [report.poll_id]
    assert report.outcome in (PollOutcome.FRESH, PollOutcome.NOT_A_TICKER)


def test_a_page_the_parser_cannot_read_is_a_failed_poll_with_its_reason(store: Store) -> None:
    # A zone the installed time-zone database no longer knows makes every parse fail.
    clock = SetClock(START)
    ticker = store.add(NewTicker(URL, "Live", zone="Atlantis/Poseidonia"), created_at=clock())
    report = poll(ticker, store, PARAGRAPHS.format(middle=""), clock)
    assert report.outcome is PollOutcome.FAILED
    assert report.failed
    assert report.error is not None
    assert report.error.startswith("page could not be read: ZoneInfoNotFoundError")
    [stored] = store.polls(ticker.id, limit=5)
    assert (stored.outcome, stored.error) == (PollOutcome.FAILED, report.error)
    # The body stays for replay; the validators go, so the next fetch is no 304.
    body = PARAGRAPHS.format(middle="").encode()
    assert stored.body_sha256 == hashlib.sha256(body).hexdigest()
    assert (stored.etag, stored.last_modified) == (None, None)
    after = store.get(ticker.id)
    assert after.error_streak == 1
    status = ticker_status(after, stored, 0, CADENCE, now=clock())
    assert status.circuit is Circuit.BACKING_OFF
    assert any("page could not be read" in line for line in status_lines(status, now=clock()))


class RefusingStore(MemoryStore):
    """A store that refuses every parsed page, as a database refuses text it cannot hold
    (the pipeline must record the poll anyway)."""

    def record_poll(
        self,
        record: PollRecord,
        body: bytes | None,
        page: ParsedPage | None,
        diff: Diff | None,
        *,
        schedule: PollSchedule | None = None,
    ) -> PollId:
        if page is not None:
            raise InvalidValue("entry text contains NUL (U+0000), which PostgreSQL cannot store")
        return super().record_poll(record, body, page, diff, schedule=schedule)


def test_a_page_the_store_refuses_is_a_failed_poll_with_its_reason() -> None:
    store = RefusingStore()
    clock = SetClock(START)
    ticker = store.add(NewTicker(URL, "Live"), created_at=clock())
    report = poll(ticker, store, PARAGRAPHS.format(middle=""), clock)
    assert report.outcome is PollOutcome.FAILED
    assert report.error == (
        "page could not be stored: InvalidValue: entry text contains NUL (U+0000), "
        "which PostgreSQL cannot store"
    )
    assert [p.outcome for p in store.polls(ticker.id, limit=5)] == [PollOutcome.FAILED]
    assert store.get(ticker.id).error_streak == 1


def test_failed_reads_back_off_instead_of_retrying_every_30_s(store: Store) -> None:
    clock = SetClock(START)
    ticker = store.add(
        NewTicker(URL, "Live", zone="Atlantis/Poseidonia", interval_seconds=60),
        created_at=clock(),
    )
    fetcher = MemoryFetcher(clock=clock)
    fetcher.publish(URL, PARAGRAPHS.format(middle="").encode())

    async def poll_it(t: Ticker, turn: Turn) -> PollReport:
        return await poll_once(t, fetcher=fetcher, store=store, clock=clock, turn=turn)

    runner = PollRunner(
        store, poll_it, CADENCE, clock=clock, max_concurrent=1, rng=random.Random(1)
    )
    waits = []
    for _ in range(3):
        turn = asyncio.run(runner.run(ticker.id, None))
        assert turn.kind is TurnKind.POLLED
        assert turn.next_at is not None
        waits.append((turn.next_at - clock()).total_seconds())
        clock.now = turn.next_at
    # The ticker's own interval doubled per failure, not the 30 s retry of a failed turn.
    assert waits == [120.0, 240.0, 480.0]
    assert store.get(ticker.id).error_streak == 3
