"""A real browser against a real server: shared by the browser tests and the script that
renders the README's screenshots (``python -m tests.web.screenshots``).

Debian's Chromium (``/usr/bin/chromium``) is driven through playwright's Python package;
no browser is downloaded. :func:`archive_server` serves the app over a database holding
the seed case (ticker 1) and the hostile case (ticker 2), recording every path the
server was asked for.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from starlette.types import ASGIApp, Receive, Scope, Send

from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url, upgrade
from tests.web.conftest import FIXED_NOW, SEED, LiveServer, config_for, replay_case
from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = f"Debian's chromium is not installed ({CHROMIUM}); `make browser` installs it"


class PathRecorder:
    """ASGI wrapper remembering the path of every request the server received."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.paths.append(str(scope["path"]))
        await self.app(scope, receive, send)


@contextlib.contextmanager
def archive_server(
    folder: Path, hostile_case: Path, template: Path | None = None
) -> Iterator[tuple[LiveServer, PathRecorder, str]]:
    """The app served on 127.0.0.1 over a fresh database in ``folder`` (a copy of
    ``template`` when given, which must hold both cases already)."""
    path = folder / "archive.db"
    url = sqlite_url(path)
    if template is not None:
        shutil.copyfile(template, path)
    else:
        upgrade(url)
        replay_case(url, SEED)
        replay_case(url, hostile_case)
    store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
    recorder = PathRecorder(
        create_app(store, config_for(admin_token=None), archive=archive, clock=lambda: FIXED_NOW)
    )
    server = LiveServer(recorder)  # type: ignore[arg-type]
    try:
        yield server, recorder, url
    finally:
        server.close()
        archive.close()
        store.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def berlin_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="de-DE", timezone_id="Europe/Berlin"
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def open_panne_entry(page: Page, base: str) -> str:
    """From the seed ticker's timeline to the 14.01 "Panne" entry, by its retitle; returns
    the change id the link pointed at."""
    page.goto(f"{base}/tickers/1")
    link = page.locator("li.kind-retitled a.title", has_text="Kim-Panne vor Putin-Besuch")
    href = link.get_attribute("href") or ""
    link.click()
    page.wait_for_url("**/entries/**")
    return href.rsplit("#change-", 1)[1]


def save_screenshots(page: Page, base: str, folder: Path) -> list[Path]:
    """The timeline and the Panne entry's diff, as the README shows them."""
    folder.mkdir(parents=True, exist_ok=True)
    timeline = folder / "timeline.png"
    page.goto(f"{base}/tickers/1")
    page.screenshot(path=str(timeline), full_page=False)
    change = open_panne_entry(page, base)
    diff = folder / "entry-diff.png"
    page.locator(f"#change-{change}").scroll_into_view_if_needed()
    page.locator("section.changes").screenshot(path=str(diff))
    return [timeline, diff]
