"""One change, one time: the timeline, the entry page and the deliveries page show the
same change at the same time, in the ticker's zone and labelled, even when the ticker's
zone is not the configured one (a real Chromium against uvicorn on 127.0.0.1)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from functools import partial

import pytest
from playwright.sync_api import Browser, Page

from alerts.alert import SinkKind
from alerts.model import NewSubscription
from alerts.sql import SqlAlertStore
from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url, upgrade
from storage.model import NewTicker
from tests.web.browser import CHROMIUM, MISSING, berlin_page, chromium
from tests.web.conftest import FIXED_NOW, SEED, LiveServer, config_for
from tickerwatch.polling import poll_once
from tickerwatch.replay import CaseFetcher, load_case
from web import create_app

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)


def _seed_in_london(url: str) -> None:
    """The seed case polled for a ticker set to London (the site is configured for
    Berlin), every change queued for one webhook."""
    store = SqlStore(create_engine_for(url))
    alerts = SqlAlertStore(create_engine_for(url))
    case = load_case(SEED)
    try:
        ticker = store.add(
            NewTicker(url=case.url, name="Gipfel", zone="Europe/London"),
            created_at=case.snapshots[0].fetched_at,
        )
        fetcher = CaseFetcher(case)

        async def run() -> None:
            while (snapshot := fetcher.upcoming) is not None:
                await poll_once(
                    ticker, fetcher=fetcher, store=store, clock=partial(_at, snapshot.fetched_at)
                )

        asyncio.run(run())
        sink = alerts.add_subscription(
            NewSubscription(SinkKind.WEBHOOK, "https://receiver.example.org/hook", "archive"),
            created_at=FIXED_NOW,
        )
        alerts.enqueue([(sink.id, c) for c in store.outbox(limit=1000)], created_at=FIXED_NOW)
    finally:
        alerts.close()
        store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = sqlite_url(tmp_path_factory.mktemp("times") / "archive.db")
    upgrade(url)
    _seed_in_london(url)
    store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
    alerts = SqlAlertStore(create_engine_for(url))
    app = create_app(
        store,
        config_for(admin_token=None),
        archive=archive,
        alerts=alerts,
        clock=lambda: FIXED_NOW,
    )
    running = LiveServer(app)
    try:
        yield running.url
    finally:
        running.close()
        alerts.close()
        archive.close()
        store.close()


@pytest.fixture
def page() -> Iterator[Page]:
    browser: Browser
    with chromium() as browser, berlin_page(browser) as opened:
        yield opened


def test_a_change_shows_the_same_time_on_every_page(server: str, page: Page) -> None:
    page.goto(f"{server}/tickers/1")
    row = page.locator("li.kind-retitled").first
    change = row.get_attribute("data-change-id")
    on_timeline = row.locator(".when").inner_text().strip()
    assert on_timeline.endswith("BST"), on_timeline  # the ticker's zone, not Berlin's

    row.locator("a.title").click()
    page.wait_for_url("**/entries/**")
    heading = page.locator(f"#change-{change} h3").inner_text()
    on_entry = heading.rsplit("·", 1)[1].strip()
    entry_time = page.locator("dd.entry-time").inner_text()
    assert "BST" in entry_time
    assert "(" in entry_time  # says what placed the printed time

    page.goto(f"{server}/alerts/deliveries?limit=500")
    delivery = page.locator(f"tr.delivery:has(a[href$='#change-{change}'])").first
    on_deliveries = delivery.locator("td.when").first.inner_text().strip()

    assert on_timeline == on_entry == on_deliveries


def _at(moment: datetime) -> datetime:
    """A clock stopped at ``moment``."""
    return moment
