"""Exports and feeds: JSON and CSV of a ticker's entries, revisions and events, a WARC
of its raw responses, and Atom feeds of changes per ticker and across all tickers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from storage.errors import NotFound
from storage.model import StoredChange, Ticker, TickerId
from web.atom import MEDIA_TYPE as ATOM_TYPE
from web.atom import FeedItem, atom_feed
from web.context import Ctx, WebContext
from web.exports import ExportKind, csv_stream, entry_row, event_row, json_stream, revision_row
from web.links import Links
from web.params import IdPath
from web.timeline import timeline_row
from web.warc import MEDIA_TYPE as WARC_TYPE
from web.warc import warc_records

router = APIRouter(prefix="/api", tags=["exports"])
feeds = APIRouter(tags=["feeds"])

FEED_SIZE = 50
_BATCH = 500


def _events(ctx: WebContext, ticker_id: TickerId) -> Iterator[StoredChange]:
    offset = 0
    while True:
        batch = ctx.store.changes(ticker_id, limit=_BATCH, offset=offset)
        yield from batch
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def _rows(ctx: WebContext, ticker: Ticker, kind: ExportKind) -> Iterator[dict[str, Any]]:
    if kind == "events":
        yield from (event_row(c) for c in _events(ctx, ticker.id))
        return
    for entry_id in ctx.archive.entry_ids(ticker.id):
        try:
            history = ctx.store.entry_history(entry_id)
        except NotFound:  # removed with its ticker while the export ran
            return
        if kind == "entries":
            yield entry_row(history)
        else:
            yield from (revision_row(r, ticker.id) for r in history.revisions)


@router.get(
    "/tickers/{ticker_id}/export/{kind}.{fmt}",
    summary="Entries, revisions or change events of a ticker as JSON or CSV",
    description=(
        "`kind` is `entries` (one row per entry, with its current revision), `revisions` "
        "(every revision of every entry) or `events` (change events, newest first); "
        "`fmt` is `json` (an array of objects) or `csv`."
    ),
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def export(
    ticker_id: IdPath,
    kind: Literal["entries", "revisions", "events"],
    fmt: Literal["json", "csv"],
    ctx: Ctx,
) -> StreamingResponse:
    ticker = ctx.store.get(TickerId(ticker_id))
    rows = _rows(ctx, ticker, kind)
    name = f"ticker-{ticker.id}-{kind}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "json":
        return StreamingResponse(json_stream(rows), media_type="application/json", headers=headers)
    return StreamingResponse(
        csv_stream(kind, rows), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.get(
    "/tickers/{ticker_id}/export.warc.gz",
    summary="WARC of the raw responses of a ticker's polls (for pywb)",
    response_class=StreamingResponse,
    responses={200: {"content": {WARC_TYPE: {}}}},
)
def export_warc(ticker_id: IdPath, ctx: Ctx) -> StreamingResponse:
    ticker = ctx.store.get(TickerId(ticker_id))
    captures = ctx.archive.captures(ticker.id)
    records = warc_records(ticker, captures, ctx.store.raw_body, created_at=ctx.clock())
    return StreamingResponse(
        records,
        media_type=WARC_TYPE,
        headers={"Content-Disposition": f'attachment; filename="ticker-{ticker.id}.warc.gz"'},
    )


def _item(change: StoredChange, name: str, links: Links) -> FeedItem:
    link = (
        links.entry(change.entry_id, change.id)
        if change.entry_id
        else f"{links.ticker(change.ticker_id)}#change-{change.id}"
    )
    return FeedItem(row=timeline_row(change), ticker_name=name, link=link)


def _feed(
    ctx: WebContext,
    request: Request,
    *,
    title: str,
    self_url: str,
    html_url: str,
    items: list[FeedItem],
    created: datetime,
) -> Response:
    updated = max((i.row.change.observed_at for i in items), default=created)
    body = atom_feed(
        feed_id=self_url,
        title=title,
        self_url=self_url,
        html_url=html_url,
        updated=updated,
        items=items,
    )
    return Response(body, media_type=ATOM_TYPE)


@feeds.get(
    "/tickers/{ticker_id}/feed.atom",
    summary="Atom feed of a ticker's latest changes",
    response_class=Response,
    responses={200: {"content": {ATOM_TYPE: {}}}},
)
def ticker_feed(ticker_id: IdPath, request: Request, ctx: Ctx) -> Response:
    ticker = ctx.store.get(TickerId(ticker_id))
    links = ctx.links(request)
    changes = ctx.store.changes(ticker.id, limit=FEED_SIZE)
    return _feed(
        ctx,
        request,
        title=f"{ticker.name} — tickerwatch",
        self_url=links.feed(ticker.id),
        html_url=links.ticker(ticker.id),
        items=[_item(c, ticker.name, links) for c in changes],
        created=ticker.created_at,
    )


@feeds.get(
    "/feed.atom",
    summary="Atom feed of the latest changes of every ticker",
    response_class=Response,
    responses={200: {"content": {ATOM_TYPE: {}}}},
)
def all_feed(request: Request, ctx: Ctx) -> Response:
    links = ctx.links(request)
    latest: list[tuple[StoredChange, str]] = []
    for ticker in ctx.store.list():
        latest += [(c, ticker.name) for c in ctx.store.changes(ticker.id, limit=FEED_SIZE)]
    latest.sort(key=lambda pair: (pair[0].observed_at, pair[0].id), reverse=True)
    return _feed(
        ctx,
        request,
        title="All tickers — tickerwatch",
        self_url=links.feed(),
        html_url=links.home(),
        items=[_item(c, name, links) for c, name in latest[:FEED_SIZE]],
        created=ctx.clock(),
    )
