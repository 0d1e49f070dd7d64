"""The demo ticker on 127.0.0.1, polled through the real HTTP fetcher and pipeline."""

from __future__ import annotations

import asyncio
import filecmp
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from diffing.model import ChangeKind, PollOutcome
from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from storage import MemoryStore, NewTicker
from tests.paths import EVAL
from tickerwatch.demo_site import DemoServer, DemoSite, bundled_case
from tickerwatch.polling import PollReport, poll_once

START = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[DemoServer]:
    """The site moves only when the test says so: no poll can meet a version early."""
    site = DemoSite.on_demand(bundled_case(), start=START)
    running = DemoServer(site, clock=lambda: START).start()
    yield running
    running.stop()


def test_bundled_case_is_the_seed_case() -> None:
    case = bundled_case()
    seed = EVAL / "seed" / "kim-putin-2019"
    assert len(case.snapshots) == 12
    for snapshot in case.snapshots:
        assert filecmp.cmp(snapshot.path, seed / snapshot.file, shallow=False), snapshot.file
    assert filecmp.cmp(case.snapshots[0].path.parent / "meta.json", seed / "meta.json", False)


def test_site_steps_through_the_snapshots() -> None:
    site = DemoSite(bundled_case(), step_s=5, start=START)
    assert site.index_at(START - timedelta(seconds=3)) == 0
    assert site.index_at(START + timedelta(seconds=4.9)) == 0
    assert site.index_at(START + timedelta(seconds=5)) == 1
    assert site.index_at(START + timedelta(hours=1)) == 11
    assert site.finished_at() == 55


def test_polling_the_demo_ticker_over_http(server: DemoServer) -> None:
    policy = FetchPolicy(allow_private_addresses=True, min_host_interval_s=0, retries=0)
    store = MemoryStore()
    ticker = store.add(NewTicker(server.url, "demo"), created_at=START)

    async def poll_all() -> list[PollReport]:
        reports = []
        async with make_client(policy) as client:
            fetcher = HttpFetcher(client, policy, clock=lambda: datetime.now(UTC))
            for _ in range(12):
                for _ in range(2):  # twice per version: the second one is a 304
                    reports.append(
                        await poll_once(
                            ticker, fetcher=fetcher, store=store, clock=lambda: datetime.now(UTC)
                        )
                    )
                server.site.advance()
        return reports

    reports = asyncio.run(poll_all())
    firsts, seconds = reports[0::2], reports[1::2]
    assert all(r.http_status == 304 for r in seconds)
    assert all(r.outcome is PollOutcome.UNCHANGED for r in seconds)
    assert [r.outcome for r in firsts] == [PollOutcome.FRESH] * 8 + [
        PollOutcome.STALE,
        PollOutcome.FRESH,
        PollOutcome.NOT_A_TICKER,
        PollOutcome.FRESH,
    ]
    panne = [c for c in firsts[9].changes if c.kind is ChangeKind.RETITLED]
    assert len(panne) == 1
    assert panne[0].current is not None
    assert (panne[0].current.headline or "").startswith("Kim-Panne vor Putin-Besuch")
    assert not firsts[6].changes  # 0007: nothing a reader would call a change
    assert not firsts[11].changes
    assert ("/robots.txt", 200) in server.requests
    assert server.last_served == 11


def test_a_site_on_demand_moves_only_when_told() -> None:
    site = DemoSite.on_demand(bundled_case(), start=START)
    assert site.index_at(START + timedelta(hours=1)) == 0  # time plays no part
    assert [site.advance() for _ in range(12)] == [*range(1, 12), 11]  # the last one stays
    assert site.index_at(START) == 11
    assert site.finished_at() is None
    with pytest.raises(RuntimeError):
        DemoSite(bundled_case(), step_s=5, start=START).advance()
