"""A ticker's timeline: its change events newest first, paginated, filtered by kind and
time range; and its polls, each with its raw page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request, Response

from diffing.model import ChangeKind
from storage.model import TickerId
from web.api_models import ChangeOut, PageOut, PollOut, change_out, poll_out
from web.context import Ctx
from web.links import Links, next_page
from web.params import IdPath, OffsetQuery, PageQuery
from web.routes.tickers import ticker_rows
from web.timefmt import BadInstant, parse_instant
from web.timeline import KIND_LABELS, TimelineFilter, parse_kinds, timeline_rows

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["timeline"])

KindQuery = Annotated[
    list[str] | None,
    Query(description="Kinds to show (repeat, or comma-separated); all when left out."),
]
SinceQuery = Annotated[
    str, Query(description="Events observed at or after this instant (ISO 8601).")
]
UntilQuery = Annotated[str, Query(description="Events observed before this instant (ISO 8601).")]


def read_filter(
    kind: list[str] | None, since: str, until: str, page: int, zone: ZoneInfo
) -> TimelineFilter:
    """The filter from query parameters (422 with the reason for a bad one)."""
    try:
        return TimelineFilter(
            kinds=parse_kinds(kind or []),
            since=parse_instant(since, zone) if since.strip() else None,
            until=parse_instant(until, zone) if until.strip() else None,
            page=page,
        )
    except (BadInstant, ValueError) as error:
        raise HTTPException(422, str(error)) from error


@pages.get("/tickers/{ticker_id}")
def timeline(
    ticker_id: IdPath,
    request: Request,
    ctx: Ctx,
    kind: KindQuery = None,
    since: SinceQuery = "",
    until: UntilQuery = "",
    page: PageQuery = 1,
) -> Response:
    ticker = ctx.store.get(TickerId(ticker_id))
    zone = ctx.zone(ticker)
    chosen = read_filter(kind, since, until, page, zone)
    size = ctx.config.page_size
    changes = ctx.store.changes(
        ticker.id,
        since=chosen.since,
        until=chosen.until,
        kinds=chosen.kinds,
        limit=size + 1,
        offset=chosen.offset(size),
    )
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    base = ctx.links(request).ticker(ticker.id)

    def page_url(number: int) -> str:
        return f"{base}?{urlencode([*query, ('page', str(number))])}"

    return ctx.render(
        request,
        "timeline.html",
        ticker=ticker,
        row=ticker_rows(ctx, (ticker,))[0],
        zone=zone,
        rows=timeline_rows(changes[:size]),
        has_next=len(changes) > size,
        filter=chosen,
        kinds=[(k.value, KIND_LABELS[k]) for k in ChangeKind],
        since=since,
        until=until,
        page_url=page_url,
        now=ctx.clock(),
    )


@pages.get("/tickers/{ticker_id}/polls")
def polls_page(ticker_id: IdPath, request: Request, ctx: Ctx, page: PageQuery = 1) -> Response:
    ticker = ctx.store.get(TickerId(ticker_id))
    size = ctx.config.page_size
    polls = ctx.store.polls(ticker.id, limit=size + 1, offset=(page - 1) * size)
    return ctx.render(
        request,
        "polls.html",
        ticker=ticker,
        zone=ctx.zone(ticker),
        polls=polls[:size],
        page=page,
        has_next=len(polls) > size,
    )


def _next_url(links: Links, request: Request, offset: int, limit: int) -> str:
    query = request.query_params.multi_items()
    return next_page(links, request.url.path, query, offset=offset, limit=limit)


@api.get("/tickers/{ticker_id}/changes", summary="Change events of a ticker, newest first")
def list_changes(
    ticker_id: IdPath,
    request: Request,
    response: Response,
    ctx: Ctx,
    kind: KindQuery = None,
    since: SinceQuery = "",
    until: UntilQuery = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: OffsetQuery = 0,
) -> PageOut[ChangeOut]:
    ticker = ctx.store.get(TickerId(ticker_id))
    chosen = read_filter(kind, since, until, 1, ctx.zone(ticker))
    changes = ctx.store.changes(
        ticker.id,
        since=chosen.since,
        until=chosen.until,
        kinds=chosen.kinds,
        limit=limit + 1,
        offset=offset,
    )
    links = ctx.links(request)
    following = _next_url(links, request, offset, limit) if len(changes) > limit else None
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return PageOut[ChangeOut](
        items=[change_out(c, links) for c in changes[:limit]],
        limit=limit,
        offset=offset,
        next=following,
    )


@api.get("/tickers/{ticker_id}/polls", summary="Polls of a ticker, newest first")
def list_polls(
    ticker_id: IdPath,
    request: Request,
    response: Response,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: OffsetQuery = 0,
) -> PageOut[PollOut]:
    polls = ctx.store.polls(TickerId(ticker_id), limit=limit + 1, offset=offset)
    links = ctx.links(request)
    following = _next_url(links, request, offset, limit) if len(polls) > limit else None
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return PageOut[PollOut](
        items=[poll_out(p, links) for p in polls[:limit]],
        limit=limit,
        offset=offset,
        next=following,
    )
