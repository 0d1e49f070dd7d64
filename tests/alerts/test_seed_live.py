"""The seed ticker live: served on 127.0.0.1, polled over HTTP, alerted to a Slack sink.

The Kim–Putin case (``tests/data/eval/seed/kim-putin-2019``) is served one snapshot after
another by :class:`~tickerwatch.demo_site.DemoServer` and polled through ``poll_once``
with the real ``HttpFetcher``; alert delivery sends every change to a Slack webhook on a
loopback receiver. The page's "Panne" retitle (snapshot 6) arrives as a message with the
old and the new headline; the stale cache copy (snapshot 9) and the consent page
(snapshot 11) produce nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from alerts.alert import SinkKind
from diffing.model import PollOutcome
from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from storage import NewTicker
from tests.alerts.conftest import FakeClock, Stores, worker_for
from tests.alerts.receiver import Receiver
from tests.paths import EVAL
from tickerwatch.demo_site import DemoServer, DemoSite
from tickerwatch.polling import PollReport, poll_once
from tickerwatch.replay import load_case

pytestmark = pytest.mark.anyio
CASE = EVAL / "seed" / "kim-putin-2019"
SITE_START = datetime(2019, 4, 23, 7, 0, tzinfo=UTC)
OLD = "Kim Jong Un in Russland eingetroffen: Panzerzug erreicht Grenzstadt Chassan"
PANNE = "Kim-Panne vor Putin-Besuch: Panzerzug des Nordkorea-Diktators rollt zu weit"
STALE, CONSENT = 8, 10  # 0-based: snapshots 0009.html (a cache's old copy), 0011.html


@pytest.fixture
def server() -> Iterator[DemoServer]:
    """Moves to the next snapshot only when the test says so, never on time."""
    server = DemoServer(
        DemoSite.on_demand(load_case(CASE), start=SITE_START), clock=lambda: SITE_START
    )
    server.start()
    yield server
    server.stop()


def _texts(payload: dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False)


async def test_the_panne_retitle_reaches_slack_and_the_bad_copies_do_not(
    sqlite_stores: Stores,
    receiver: Receiver,
    clock: FakeClock,
    server: DemoServer,
) -> None:
    sqlite_stores.subscribe(
        SinkKind.SLACK, receiver.url("/services/T0/B0/secret"), digest_threshold=0
    )
    store = sqlite_stores.store
    ticker = store.add(NewTicker(server.url, "Kim–Putin live"), created_at=SITE_START)
    policy = FetchPolicy(
        allow_private_addresses=True, min_host_interval_s=0, retries=0, honour_robots=False
    )
    reports: list[PollReport] = []
    async with make_client(policy) as client:
        fetcher = HttpFetcher(client, policy, clock=lambda: datetime.now(UTC))
        for _ in range(12):
            reports.append(
                await poll_once(
                    ticker, fetcher=fetcher, store=store, clock=lambda: datetime.now(UTC)
                )
            )
            server.site.advance()
    assert reports[STALE].outcome is PollOutcome.STALE
    assert reports[CONSENT].outcome is PollOutcome.NOT_A_TICKER
    alertable = [c for r in reports for c in r.changes if c.kind.alerts]

    async with worker_for(sqlite_stores, clock) as worker:
        for _ in range(3 * len(alertable)):
            await worker.run_round()
            clock.advance(1.0)  # Slack's pace: one message a second
            if len(receiver.accepted()) == len(alertable):
                break
    messages = [r.json() for r in receiver.accepted()]
    assert len(messages) == len(alertable) == 15

    retitles = [m for m in messages if PANNE in _texts(m) and OLD in _texts(m)]
    assert len(retitles) == 1, "the Panne retitle must arrive once, with old and new headline"
    (retitle,) = retitles
    assert retitle["text"].startswith("Page headline changed: Kim-Panne")
    shown = [b["text"]["text"] for b in retitle["blocks"] if b["type"] == "section"]
    assert f"~{OLD}~ → *{PANNE}*" in shown, "old headline struck through, then the new one"

    # At 0010 the same headline moves onto the 14.01 entry, which had none: its own
    # message says so, old (none) → new, on the entry that kept its identity.
    (moved,) = [m for m in messages if m["text"].startswith("Headline changed: Kim-Panne")]
    shown = [b["text"]["text"] for b in moved["blocks"] if b["type"] == "section"]
    assert f"Headline: — → *{PANNE}*" in shown

    # Nothing of the stale copy or the consent page: they recorded no change at all, and
    # every message is one of the fresh polls' changes.
    assert reports[STALE].changes == ()
    assert reports[CONSENT].changes == ()
    poll_of = {c.id: c.poll_id for c in store.changes(ticker.id, limit=100)}
    sent_polls = {poll_of[d.change_id] for d in sqlite_stores.alerts.deliveries()}
    assert sent_polls.isdisjoint({reports[STALE].poll_id, reports[CONSENT].poll_id})
    fresh = {r.poll_id for r in reports if r.outcome is PollOutcome.FRESH and r.changes}
    assert sent_polls == fresh
