"""The ticker form's "Check": fetch the page server-side, read it with the form's zone
and selectors (or by discovery when none are set), and show the entries read before
anything is saved. The fetch is the poller's (``WebContext.checker``, built by the
composition root), so the SSRF guard and robots.txt apply as they do to polling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Request, Response

from ingest.check import LookRequest, PageCheck
from storage.model import Ticker, TickerId
from web.context import AdminDep, Ctx
from web.forms import FormError, entry_selectors, form_id, ticker_url, zone_name

pages = APIRouter(include_in_schema=False)

NOT_AVAILABLE = "checking a page is not available in this process"
PREVIEW_WORDS = 40


@dataclass(frozen=True, slots=True)
class CheckedEntry:
    """One entry as the check page lists it."""

    time: datetime | None
    time_label: str | None
    headline: str | None
    preview: str
    native_id: str | None


def checked_entries(check: PageCheck) -> list[CheckedEntry]:
    if check.page is None:
        return []
    rows = []
    for entry in check.page.entries:
        words = entry.text.split()
        preview = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
        rows.append(
            CheckedEntry(entry.time, entry.time_label, entry.headline, preview, entry.native_id)
        )
    return rows


@pages.post("/tickers/check", dependencies=[AdminDep])
async def check_ticker(
    request: Request,
    ctx: Ctx,
    url: Annotated[str, Form()] = "",
    ticker_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    interval: Annotated[str, Form()] = "5m",
    zone: Annotated[str, Form()] = "",
    entry_selector: Annotated[str, Form()] = "",
    time_selector: Annotated[str, Form()] = "",
    headline_selector: Annotated[str, Form()] = "",
    body_selector: Annotated[str, Form()] = "",
    id_selector: Annotated[str, Form()] = "",
) -> Response:
    if ctx.checker is None:
        raise HTTPException(404, NOT_AVAILABLE)
    ticker: Ticker | None = None
    try:
        chosen = form_id(ticker_id)
    except FormError as bad_id:
        raise HTTPException(422, f"ticker_id: not a ticker id: {ticker_id[:40]!r}") from bad_id
    if chosen is not None:
        ticker = await asyncio.to_thread(ctx.store.get, TickerId(chosen))
    form = {
        "url": ticker.url if ticker else url,
        "name": name,
        "interval": interval,
        "zone": zone,
        "entry": entry_selector,
        "time": time_selector,
        "headline": headline_selector,
        "body": body_selector,
        "native_id": id_selector,
    }
    check: PageCheck | None = None
    error: str | None = None
    page_zone: str | None = None
    try:
        selectors = entry_selectors(
            entry_selector, time_selector, headline_selector, body_selector, id_selector
        )
        page_zone = ticker.zone if ticker else zone_name(zone)
        check = await ctx.checker(
            LookRequest(
                url=ticker.url if ticker else ticker_url(url),
                zone=page_zone,
                profile=ticker.profile if ticker else None,
                selectors=selectors,
                ignore_robots=ticker is not None and ticker.robots_override is not None,
            )
        )
    except FormError as form_error:
        error = str(form_error)
    shown_zone = ZoneInfo(page_zone) if error is None and page_zone else ctx.zone()
    return await asyncio.to_thread(
        ctx.render,
        request,
        "ticker_check.html",
        status_code=422 if error else 200,
        ticker=ticker,
        form=form,
        check=check,
        entries=checked_entries(check) if check else [],
        error=error,
        shown_zone=shown_zone,
    )
