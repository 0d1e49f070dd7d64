"""Parse health end to end: pages served on 127.0.0.1, polled by ``poll_once`` into SQLite,
delivered by the alert worker to webhook receivers on loopback.

The ticker is published as JSON-LD, then re-published with the same entries as plain
HTML blocks (a new template), then breaks (no entries twice) and comes back. The sink
that asked for ``ticker_health`` gets exactly one message per event; the sink with
default rules gets the news and nothing of the parse health.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from alerts.alert import SinkKind
from diffing.model import ChangeKind, HealthKind, PollOutcome
from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from storage import NewTicker
from tests.alerts.conftest import FakeClock, Stores, worker_for
from tests.alerts.receiver import Receiver
from tests.fetching.server import LoopbackServer, Reply
from tickerwatch.polling import PollReport, poll_once

pytestmark = pytest.mark.anyio
PAGE = "/politik/gipfel-live"
HTML = {"Content-Type": "text/html; charset=utf-8"}

# (ISO time, clock label, headline, text), newest first.
UPDATES = [
    ("2026-04-23T10:40:00+02:00", "10:40", "Erklärung", "Beide Seiten wollen am Abend eine gemeinsame Erklärung veröffentlichen."),
    ("2026-04-23T10:25:00+02:00", "10:25", "Pressekonferenz", "Die Pressekonferenz ist für den frühen Nachmittag angesetzt worden."),
    ("2026-04-23T10:15:00+02:00", "10:15", "Gipfel beginnt", "Die Delegationen sind im Konferenzzentrum eingetroffen und haben Platz genommen."),
    ("2026-04-23T10:05:00+02:00", "10:05", "Ankunft", "Der Sonderzug ist am Bahnhof angekommen, die Ehrengarde stand bereit."),
    ("2026-04-23T09:50:00+02:00", "09:50", "Sperrungen", "Die Polizei hat die Innenstadt weiträumig abgesperrt, Busse fahren Umwege."),
]  # fmt: skip


def jsonld(count: int) -> bytes:
    updates = [
        {"@type": "BlogPosting", "headline": h, "articleBody": t, "datePublished": iso}
        for iso, _, h, t in UPDATES[-count:]
    ]
    document = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "Gipfel live",
        "liveBlogUpdate": updates,
    }
    script = json.dumps(document, ensure_ascii=False)
    return (
        '<html lang="de"><head><title>Gipfel live</title>'
        f'<script type="application/ld+json">{script}</script></head>'
        "<body><h1>Gipfel live</h1></body></html>"
    ).encode()


def blocks(count: int) -> bytes:
    items = "".join(
        f'<article class="update"><time datetime="{iso}">{label} Uhr</time>'
        f"<h2>{headline}</h2><p>{text}</p></article>"
        for iso, label, headline, text in UPDATES[-count:]
        if count
    )
    return (
        '<html lang="de"><head><title>Gipfel live</title></head><body><h1>Gipfel live</h1>'
        f'<main><section class="liveblog">{items}</section></main></body></html>'
    ).encode()


SERVED = [
    jsonld(3),  # 0 first poll: three entries added
    jsonld(4),  # 1 a normal poll: one entry added
    blocks(4),  # 2 the new template: the same four entries, read by another layout
    blocks(5),  # 3 a normal poll again: one entry added
    blocks(0),  # 4 no entries: maybe transient, nothing reported yet
    blocks(0),  # 5 still none: reported once
    blocks(0),  # 6 still none: not again
    blocks(5),  # 7 the last fresh page, byte for byte: reads again
    blocks(5),  # 8 unchanged
]


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.routes[PAGE] = [Reply(200, HTML, body) for body in SERVED]
    server.start()
    yield server
    server.stop()
    assert server.errors == []


async def test_one_alert_per_parse_health_event_and_only_to_the_sink_that_asked(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, site: LoopbackServer
) -> None:
    health_sink = receiver.url("/health")
    sqlite_stores.subscribe(
        SinkKind.WEBHOOK, health_sink, kinds=(ChangeKind.TICKER_HEALTH,), digest_threshold=0
    )
    sqlite_stores.subscribe(SinkKind.WEBHOOK, receiver.url("/news"), digest_threshold=0)
    store = sqlite_stores.store
    ticker = store.add(NewTicker(site.url(PAGE), "Gipfel live"), created_at=clock())
    policy = FetchPolicy(
        allow_private_addresses=True, min_host_interval_s=0, retries=0, honour_robots=False
    )
    reports: list[PollReport] = []
    async with make_client(policy) as client:
        fetcher = HttpFetcher(client, policy, clock=lambda: datetime.now(UTC))
        for _ in SERVED:
            reports.append(await poll_once(ticker, fetcher=fetcher, store=store, clock=clock))
            clock.advance(300)

    assert [r.outcome for r in reports] == [
        *[PollOutcome.FRESH] * 4,
        *[PollOutcome.NOT_A_TICKER] * 3,
        PollOutcome.FRESH,
        PollOutcome.UNCHANGED,
    ]
    assert [r.health.kind if r.health else None for r in reports] == [
        None,
        None,
        HealthKind.LAYOUT_CHANGED,
        None,
        None,
        HealthKind.NOT_A_TICKER,  # the readers find no time-stamped updates at all
        None,
        HealthKind.RECOVERED,
        None,
    ]
    # The new template kept every entry's identity: nothing removed, nothing re-added.
    assert [[c.kind for c in r.changes] for r in reports] == [
        [ChangeKind.ADDED] * 3,
        [ChangeKind.ADDED],
        [],
        [ChangeKind.ADDED],
        [],
        [],
        [],
        [],
        [],
    ]

    news = sum(len(r.changes) for r in reports)
    async with worker_for(sqlite_stores, clock) as worker:
        for _ in range(4 * (news + 3)):
            await worker.run_round()
            clock.advance(1.0)
            if len(receiver.accepted()) == news + 3:
                break
    sent = receiver.accepted()
    to_health = [r.json()["data"] for r in sent if r.path == "/health"]
    to_news = [r.json()["data"] for r in sent if r.path == "/news"]
    assert [(d["kind"], d["health"]) for d in to_health] == [
        ("ticker_health", "layout_changed"),
        ("ticker_health", "not_a_ticker"),
        ("ticker_health", "recovered"),
    ]
    assert to_health[0]["title"].endswith("4 entries read as blocks, was 4 as jsonld")
    assert ": 0 entries read, was 5 (no time-stamped updates found" in to_health[1]["title"]
    assert to_health[0]["entry_id"] is None
    assert len(to_news) == news
    assert {d["kind"] for d in to_news} == {"added"}

    (bad,) = store.parse_health()
    assert bad.health is HealthKind.RECOVERED
