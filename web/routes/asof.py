"""A ticker as it stood at any instant, and the raw page of any poll.

The reconstruction is :meth:`~storage.ports.PollStore.ticker_as_of`; the page picks the
instant with a date-time input or a slider over the ticker's fresh snapshots. A raw
page is the ticker site's own HTML, hostile as far as we know: it is only ever shown in
an iframe with an empty ``sandbox`` attribute (no scripts, an opaque origin) and served
with :data:`web.headers.RAW_CSP`, which sandboxes it even when opened on its own. Raw
pages are Mementos (RFC 7089) and say so in their headers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from diffing.model import PollOutcome
from storage.model import MAX_ID, StoredPoll, TickerId
from web.api_models import TickerViewOut, view_out
from web.context import Ctx, WebContext
from web.headers import RAW_CSP
from web.memento import Memento, link_header, memento_links
from web.params import IdPath
from web.rawpage import file_name, media_type
from web.timefmt import http_date, parse_instant

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["history"])

AtQuery = Annotated[
    str,
    Query(description="The instant (ISO 8601; without an offset: the shown zone). Default: now."),
]


def fresh_snapshots(captures: tuple[StoredPoll, ...]) -> list[StoredPoll]:
    """The polls whose fresh page a reconstruction can stand on, oldest first."""
    return [c for c in captures if c.snapshot_id is not None and c.outcome is PollOutcome.FRESH]


@pages.get("/tickers/{ticker_id}/as-of")
def as_of_page(
    ticker_id: IdPath,
    request: Request,
    ctx: Ctx,
    at: AtQuery = "",
    snapshot: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> Response:
    ticker = ctx.store.get(TickerId(ticker_id))
    zone = ctx.zone(ticker)
    snapshots = fresh_snapshots(ctx.archive.captures(ticker.id))
    if snapshot is not None and snapshots:
        instant = snapshots[min(snapshot, len(snapshots) - 1)].observed_at
    elif at.strip():
        instant = parse_instant(at, zone)
    else:
        instant = ctx.clock()
    view = ctx.store.ticker_as_of(ticker.id, instant)
    index = next((i for i, s in enumerate(snapshots) if s.snapshot_id == view.snapshot_id), None)
    return ctx.render(
        request,
        "asof.html",
        ticker=ticker,
        zone=zone,
        view=view,
        instant=instant,
        snapshots=snapshots,
        index=index,
        poll=snapshots[index] if index is not None else None,
    )


@api.get("/tickers/{ticker_id}/as-of", summary="The ticker as it stood at an instant")
def as_of(ticker_id: IdPath, request: Request, ctx: Ctx, at: AtQuery = "") -> TickerViewOut:
    ticker = ctx.store.get(TickerId(ticker_id))
    instant = parse_instant(at, ctx.zone(ticker)) if at.strip() else ctx.clock()
    view = ctx.store.ticker_as_of(ticker.id, instant)
    poll = next(
        (
            s
            for s in fresh_snapshots(ctx.archive.captures(ticker.id))
            if s.snapshot_id == view.snapshot_id
        ),
        None,
    )
    raw = ctx.links(request).raw(ticker.id, poll.id) if poll and view.snapshot_id else None
    return view_out(view, raw)


def _capture(ctx: WebContext, ticker_id: int, poll_id: int) -> tuple[StoredPoll, bytes]:
    poll = ctx.archive.capture(TickerId(ticker_id), poll_id)
    if poll is None or poll.body_sha256 is None:
        raise HTTPException(404, f"ticker {ticker_id} has no poll {poll_id} with a page")
    return poll, ctx.store.raw_body(poll.body_sha256)


def raw_headers(ctx: WebContext, request: Request, poll: StoredPoll) -> dict[str, str]:
    """The headers of a raw page: the sandboxing CSP and its Memento headers."""
    links = ctx.links(request)
    ticker = ctx.store.get(poll.ticker_id)
    mementos = [
        Memento(links.raw(c.ticker_id, c.id), c.observed_at)
        for c in ctx.archive.captures(poll.ticker_id)
    ]
    current = Memento(links.raw(poll.ticker_id, poll.id), poll.observed_at)
    return {
        "Content-Security-Policy": RAW_CSP,
        "Memento-Datetime": http_date(poll.observed_at),
        "Link": link_header(
            memento_links(
                original=ticker.url,
                timegate=links.timegate(ticker.id),
                timemap=links.timemap(ticker.id),
                mementos=mementos,
                current=current,
            )
        ),
        "Cache-Control": "private, max-age=3600",
    }


@pages.head("/tickers/{ticker_id}/polls/{poll_id}/raw")
@pages.get("/tickers/{ticker_id}/polls/{poll_id}/raw")
def raw_page(ticker_id: IdPath, poll_id: IdPath, request: Request, ctx: Ctx) -> Response:
    poll, body = _capture(ctx, ticker_id, poll_id)
    return Response(body, media_type=media_type(body), headers=raw_headers(ctx, request, poll))


@pages.get("/tickers/{ticker_id}/polls/{poll_id}/download")
def download_page(ticker_id: IdPath, poll_id: IdPath, ctx: Ctx) -> Response:
    _, body = _capture(ctx, ticker_id, poll_id)
    name = file_name(ticker_id, poll_id, body)
    return Response(
        body,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": RAW_CSP,
        },
    )
