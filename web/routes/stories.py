"""A desk's page with its stories and record, a story's page with every entry, and the
same as JSON API under ``/api/desks/{id}/stories``.

Stories are read from the :class:`storage.story_store.StoryStore` the app was given
(404 with the reason without one); the desk's tickers are resolved as they stand now
(:func:`storage.desks.desk_tickers`), so a ticker that left the desk still shows in the
stories it had, marked as no longer on the desk.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

from storage.desks import Desk, DeskId, DeskStore, desk_tickers
from storage.errors import NotFound
from storage.model import EntryHistory
from stories import Basis, desk_record
from web.api_models import PageOut
from web.api_stories import RecordOut, StoryOut, record_out, story_out
from web.context import Ctx, DesksDep, StoriesDep, WebContext
from web.links import next_page
from web.params import IdPath, OffsetQuery, PageQuery
from web.story_query import DEFAULT_MIN_TICKERS, Only, StoryFilter, record_period, select
from web.storyview import TickerSide, entry_rows, story_view
from web.timefmt import BadInstant, parse_instant

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["stories"])

SinceQuery = Annotated[
    str, Query(description="Stories that started at or after this instant (ISO 8601).")
]
UntilQuery = Annotated[str, Query(description="Stories that started before this instant.")]
MinTickersQuery = Annotated[
    int,
    Query(ge=1, le=1000, description="Stories at least this many tickers have (2: shared)."),
]
OnlyQuery = Annotated[
    str,
    Query(
        description="`single`: stories one ticker has alone; `theirs`: those a competitor "
        "has and none of our own tickers (min_tickers is then ignored)."
    ),
]
ClockQuery = Annotated[
    Literal["printed", "seen"],
    Query(description="The clock that decides who was first: printed time or first seen."),
]


def read_story_filter(
    since: str, until: str, min_tickers: int, only: str, zone: ZoneInfo
) -> StoryFilter:
    """The filter from query parameters (422 with the reason for a bad one)."""
    try:
        chosen_only = Only(only.strip())
    except ValueError as error:
        raise HTTPException(422, f"only: {only[:40]!r} is not single, theirs or empty") from error
    try:
        return StoryFilter(
            since=parse_instant(since, zone) if since.strip() else None,
            until=parse_instant(until, zone) if until.strip() else None,
            min_tickers=min_tickers,
            only=chosen_only,
        )
    except BadInstant as error:
        raise HTTPException(422, str(error)) from error


def desk_sides(
    ctx: WebContext, desks: DeskStore, desk_id: int
) -> tuple[Desk, dict[int, TickerSide]]:
    """The desk and its tickers as they stand now, in the desk's order (DeskNotFound)."""
    desk = desks.get(DeskId(desk_id))
    resolved = desk_tickers(desk, ctx.store.list())
    return desk, {t.ticker.id: TickerSide(t.ticker.name, t.own) for t in resolved}


def own_of(sides: dict[int, TickerSide]) -> frozenset[int]:
    return frozenset(t for t, s in sides.items() if s.own)


@pages.get("/desks/{desk_id}")
def desk_page(
    desk_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    since: SinceQuery = "",
    until: UntilQuery = "",
    min_tickers: MinTickersQuery = DEFAULT_MIN_TICKERS,
    only: OnlyQuery = "",
    clock: ClockQuery = "printed",
    page: PageQuery = 1,
) -> Response:
    desk, sides = desk_sides(ctx, desks, desk_id)
    zone = ctx.zone()
    chosen = read_story_filter(since, until, min_tickers, only, zone)
    basis = Basis(clock)
    size = ctx.config.page_size
    found = select(
        stories, desk.id, chosen, own_of(sides), limit=size + 1, offset=(page - 1) * size
    )
    period = record_period(
        stories, desk.id, since=chosen.since, until=chosen.until, now=ctx.clock()
    )
    record = desk_record(period.stories, sides, start=period.start, end=period.end, basis=basis)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    base = ctx.links(request).desk(desk.id)

    def page_url(number: int) -> str:
        return f"{base}?{urlencode([*query, ('page', str(number))])}"

    return ctx.render(
        request,
        "desk.html",
        desk=desk,
        sides=sides,
        views=[story_view(s, sides, zone, basis=basis) for s in found[:size]],
        record=[(r, sides[r.ticker_id]) for r in record],
        period=period,
        filter=chosen,
        since=since,
        until=until,
        clock=clock,
        page=page,
        has_next=len(found) > size,
        page_url=page_url,
        export_query=urlencode([(k, v) for k, v in query if k != "clock"]),
    )


@pages.get("/desks/{desk_id}/stories/{story_id}")
def story_page(
    desk_id: IdPath,
    story_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    clock: ClockQuery = "printed",
) -> Response:
    desk, sides = desk_sides(ctx, desks, desk_id)
    story = stories.get(desk.id, story_id)
    if story.id != story_id:
        # Merged into an older story since the link was made: show that one under its
        # own address (relative, so a proxy's prefix stays).
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{story.id}{query}", status_code=301)
    basis = Basis(clock)
    rows = entry_rows(story, sides, basis=basis)
    return ctx.render(
        request,
        "story.html",
        desk=desk,
        view=story_view(story, sides, ctx.zone(), basis=basis),
        rows=rows,
        histories=_histories(ctx, [r.entry.entry_id for r in rows]),
        clock=clock,
    )


def _histories(ctx: WebContext, entry_ids: list[str]) -> dict[str, EntryHistory]:
    """The stored history of each entry that the archive still holds (an entry's
    ticker may have been removed since the story was filed)."""
    found = {}
    for entry_id in entry_ids:
        try:
            found[entry_id] = ctx.store.entry_history(entry_id)
        except NotFound:
            continue
    return found


@api.get("/desks/{desk_id}/stories", summary="A desk's stories, newest first")
def list_stories(
    desk_id: IdPath,
    request: Request,
    response: Response,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    since: SinceQuery = "",
    until: UntilQuery = "",
    min_tickers: MinTickersQuery = DEFAULT_MIN_TICKERS,
    only: OnlyQuery = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: OffsetQuery = 0,
) -> PageOut[StoryOut]:
    desk, sides = desk_sides(ctx, desks, desk_id)
    chosen = read_story_filter(since, until, min_tickers, only, ctx.zone())
    found = select(stories, desk.id, chosen, own_of(sides), limit=limit + 1, offset=offset)
    links = ctx.links(request)
    query = request.query_params.multi_items()
    following = (
        next_page(links, request.url.path, query, offset=offset, limit=limit)
        if len(found) > limit
        else None
    )
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return PageOut[StoryOut](
        items=[story_out(desk.id, s, sides, links) for s in found[:limit]],
        limit=limit,
        offset=offset,
        next=following,
    )


@api.get("/desks/{desk_id}/stories/{story_id}", summary="One story of a desk, every entry")
def get_story(
    desk_id: IdPath,
    story_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
) -> StoryOut:
    desk, sides = desk_sides(ctx, desks, desk_id)
    return story_out(desk.id, stories.get(desk.id, story_id), sides, ctx.links(request))


@api.get(
    "/desks/{desk_id}/record",
    summary="Each ticker's record on the desk: share first, median lead, missed",
    description="Over the shared stories that started in `[since, until)`; without "
    "`until` up to now, without `since` the seven days before that end.",
)
def get_record(
    desk_id: IdPath,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    since: SinceQuery = "",
    until: UntilQuery = "",
    clock: ClockQuery = "printed",
) -> list[RecordOut]:
    desk, sides = desk_sides(ctx, desks, desk_id)
    chosen = read_story_filter(since, until, DEFAULT_MIN_TICKERS, "", ctx.zone())
    period = record_period(
        stories, desk.id, since=chosen.since, until=chosen.until, now=ctx.clock()
    )
    record = desk_record(
        period.stories, sides, start=period.start, end=period.end, basis=Basis(clock)
    )
    return [record_out(r, sides) for r in record]
