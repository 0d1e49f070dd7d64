"""The UI in a real headless Chromium, against uvicorn on 127.0.0.1 over a database into
which the seed case and a hostile case were replayed through the poll pipeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from storage import SqlStore, TickerId, create_engine_for
from tests.support.crafted import SELECTORS
from tests.web.browser import (
    CHROMIUM,
    MISSING,
    PathRecorder,
    archive_server,
    berlin_page,
    chromium,
    open_panne_entry,
    save_screenshots,
)
from tests.web.checking import checking_app, crafted_site
from tests.web.conftest import ADMIN_TOKEN, LiveServer

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, hostile_case: Path, full_template: Path
) -> Iterator[tuple[LiveServer, PathRecorder, str]]:
    with archive_server(tmp_path_factory.mktemp("served"), hostile_case, full_template) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with berlin_page(browser) as opened:
        yield opened


def entry_ids(page: Page, selector: str) -> list[str]:
    ids: list[str] = page.locator(selector).evaluate_all("els => els.map(e => e.dataset.entryId)")
    return ids


def as_of(url: str, at: datetime) -> list[str]:
    store = SqlStore(create_engine_for(url))
    try:
        return [e.entry_id for e in store.ticker_as_of(TickerId(1), at).entries]
    finally:
        store.close()


def test_the_panne_entry_shows_its_headline_change(
    page: Page, served: tuple[LiveServer, PathRecorder, str], tmp_path: Path
) -> None:
    server, _, _ = served
    change = open_panne_entry(page, server.url)
    card = page.locator(f"#change-{change}")
    expect(card).to_have_class("change kind-retitled")
    inserted = card.locator(".headline-diff ins")
    expect(inserted).to_have_text(
        "Kim-Panne vor Putin-Besuch: Panzerzug des Nordkorea-Diktators rollt zu weit"
    )
    # Highlighted by the stylesheet (the CSP lets the UI's own styles through).
    background = inserted.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(212, 242, 210)"
    expect(card.locator("a.older")).to_be_visible()
    card.locator("a.older").click()
    older = page.url.rsplit("#change-", 1)[1]
    expect(page.locator(f"#change-{older}")).to_have_class("change kind-edited")
    expect(page.locator(f"#change-{older} .text-diff ins").first).to_be_visible()
    shots = save_screenshots(page, server.url, tmp_path)
    assert all(p.stat().st_size > 10_000 for p in shots)


def test_as_it_stood_at_the_picked_instant_and_by_the_slider(
    page: Page, served: tuple[LiveServer, PathRecorder, str]
) -> None:
    server, _, url = served
    page.goto(f"{server.url}/tickers/1/as-of")
    page.locator("input[name=at]").fill("2019-04-24T14:30")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/as-of?at=2019-04-24T14%3A30*")
    expected = as_of(url, datetime(2019, 4, 24, 14, 30, tzinfo=BERLIN))
    assert len(expected) == 5
    assert entry_ids(page, "li.as-of-entry") == expected
    raw = page.frame_locator("iframe.raw-page")
    expect(raw.locator("body")).to_contain_text("Kleine Panne")

    slider = page.locator("#snapshot-slider")
    assert slider.input_value() == "5"  # the sixth fresh page, 0006.html at 14:06
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**snapshot=4*")
    earlier = as_of(url, datetime(2019, 4, 24, 13, 25, tzinfo=BERLIN))
    assert entry_ids(page, "li.as-of-entry") == earlier
    assert len(earlier) == 4


def test_a_hostile_ticker_runs_nothing(
    page: Page, served: tuple[LiveServer, PathRecorder, str]
) -> None:
    server, recorder, _ = served
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.context.on("dialog", dismiss)
    # Requests a CSP refuses are reported as failed (blocked before they leave the
    # browser); only finished ones reached a server.
    finished: list[str] = []
    page.context.on("requestfinished", lambda request: finished.append(request.url))
    before = len(recorder.paths)

    page.goto(f"{server.url}/tickers/2")
    for link in page.locator("li.event a.title").all():
        href = link.get_attribute("href")
        assert href
        entry = page.context.new_page()
        entry.goto(href)
        entry.locator(".text-diff, .entry-html").first.hover()
        entry.close()
    page.goto(f"{server.url}/tickers/2/as-of?snapshot=1")
    frame = page.frame_locator("iframe.raw-page")
    expect(frame.locator("h1")).to_contain_text("Live-Ticker: Angriff")
    raw_url = page.locator("iframe.raw-page").get_attribute("src")
    assert raw_url
    page.goto(raw_url)  # the raw page on its own: sandboxed by its CSP
    scripts = page.evaluate("document.querySelectorAll('script').length")
    assert scripts == 2  # there, and inert
    page.locator("b").hover()
    page.goto(f"{server.url}/search?q=script")
    expect(page.locator("li.hit").first).to_contain_text("<script>fetch('/pwned/text')</script>")
    page.wait_for_load_state("networkidle")

    assert dialogs == []
    assert [u for u in finished if "/pwned" in u] == []
    assert [p for p in recorder.paths[before:] if p.startswith("/pwned")] == []


def test_selectors_set_in_the_ticker_form_read_a_page_discovery_cannot(
    browser: Browser, tmp_path: Path
) -> None:
    with (
        crafted_site() as site,
        checking_app(tmp_path) as (app, url),
        berlin_page(browser) as page,
    ):
        server = LiveServer(app)
        try:
            page.goto(f"{server.url}/login")
            page.fill("input[name=token]", ADMIN_TOKEN)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{server.url}/")

            form = page.locator("form.add-ticker")
            form.locator("input[name=url]").fill(site.url("/crafted"))
            form.locator("button.check").click()
            summary = page.locator(".check-summary")
            expect(summary).to_have_text(re.compile(r"^not a ticker: "))
            expect(page.locator("tr.checked-entry")).to_have_count(0)

            form = page.locator("form.add-ticker")
            expect(form.locator("details.selectors")).to_have_attribute("open", "")
            for name, value in (
                ("entry_selector", SELECTORS.entry),
                ("time_selector", SELECTORS.time),
                ("headline_selector", SELECTORS.headline),
                ("body_selector", SELECTORS.body),
                ("id_selector", SELECTORS.native_id),
            ):
                form.locator(f"input[name={name}]").fill(value or "")
            form.locator("button.check").click()
            # The page gives its times in UTC; the day shows unless it is the day of the fetch.
            expect(summary).to_have_text(
                re.compile(r"^read 3 entries \(layout selectors, newest (2026-04-23 )?14:05\)$")
            )
            rows = page.locator("tr.checked-entry")
            expect(rows.locator("td.headline")).to_have_text(
                ["Vote passed", "Debate opens", "Session starts"]
            )
            expect(rows.locator("td.id")).to_have_text(["p3", "p2", "p1"])
            expect(rows.locator("td.time")).to_contain_text(["16:05", "15:40", "11:15"])
            expect(rows.first.locator("td.text")).to_have_text(
                "The chamber approved the bill by a wide margin today."
            )

            page.locator("form.add-ticker button.save").click()
            page.wait_for_url(f"{server.url}/tickers/1")
            edit = page.locator("form.edit-ticker")
            expect(edit.locator("input[name=entry_selector]")).to_have_value(SELECTORS.entry)
            expect(edit.locator("input[name=id_selector]")).to_have_value("@data-k")
        finally:
            server.close()
    store = SqlStore(create_engine_for(url))
    try:
        assert store.get(TickerId(1)).selectors == SELECTORS
    finally:
        store.close()
