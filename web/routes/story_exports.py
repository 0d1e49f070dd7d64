"""A desk's stories as files and a feed: ``/desks/{id}/stories.csv`` and ``.json``
(one row per entry, the desk page's filters) and ``/desks/{id}/stories.atom`` (the
latest shared stories, each saying who was first)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from web.atom import MEDIA_TYPE as ATOM_TYPE
from web.atom import atom_document
from web.context import Ctx, DesksDep, StoriesDep
from web.exports import csv_table, json_stream
from web.params import IdPath
from web.routes.stories import (
    MinTickersQuery,
    OnlyQuery,
    SinceQuery,
    UntilQuery,
    desk_sides,
    own_of,
    read_story_filter,
)
from web.story_exports import STORY_COLUMNS, story_entry, story_rows
from web.story_query import DEFAULT_MIN_TICKERS, StoryFilter, every, select

router = APIRouter(tags=["stories"])

FEED_SIZE = 50
_EXPORT = (
    "One row per entry of each story the filters keep, newest story first, with the "
    "story's figures (who was first on each clock, by how many minutes) and the entry's "
    "lead over the other tickers."
)


def _export(
    fmt: str,
    desk_id: int,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    chosen: StoryFilter,
) -> StreamingResponse:
    desk, sides = desk_sides(ctx, desks, desk_id)
    links = ctx.links(request)
    found = every(stories, desk.id, chosen, own_of(sides))

    def rows() -> Iterator[dict[str, Any]]:
        for story in found:
            yield from story_rows(story, sides, links)

    headers = {"Content-Disposition": f'attachment; filename="desk-{desk.id}-stories.{fmt}"'}
    if fmt == "json":
        return StreamingResponse(
            json_stream(rows()), media_type="application/json", headers=headers
        )
    return StreamingResponse(
        csv_table(STORY_COLUMNS, rows()), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.get(
    "/desks/{desk_id}/stories.csv",
    summary="A desk's stories as CSV",
    description=_EXPORT,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_csv(
    desk_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    since: SinceQuery = "",
    until: UntilQuery = "",
    min_tickers: MinTickersQuery = DEFAULT_MIN_TICKERS,
    only: OnlyQuery = "",
) -> StreamingResponse:
    chosen = read_story_filter(since, until, min_tickers, only, ctx.zone())
    return _export("csv", desk_id, request, ctx, desks, stories, chosen)


@router.get(
    "/desks/{desk_id}/stories.json",
    summary="A desk's stories as JSON",
    description=_EXPORT,
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
def export_json(
    desk_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    stories: StoriesDep,
    since: SinceQuery = "",
    until: UntilQuery = "",
    min_tickers: MinTickersQuery = DEFAULT_MIN_TICKERS,
    only: OnlyQuery = "",
) -> StreamingResponse:
    chosen = read_story_filter(since, until, min_tickers, only, ctx.zone())
    return _export("json", desk_id, request, ctx, desks, stories, chosen)


@router.get(
    "/desks/{desk_id}/stories.atom",
    summary="Atom feed of a desk's latest shared stories, with who was first",
    response_class=Response,
    responses={200: {"content": {ATOM_TYPE: {}}}},
)
def stories_feed(
    desk_id: IdPath, request: Request, ctx: Ctx, desks: DesksDep, stories: StoriesDep
) -> Response:
    desk, sides = desk_sides(ctx, desks, desk_id)
    links = ctx.links(request)
    shared = select(stories, desk.id, StoryFilter(), own_of(sides), limit=FEED_SIZE)
    entries = [story_entry(desk.id, s, sides, links, ctx.zone()) for s in shared]
    body = atom_document(
        feed_id=links.desk_stories_export(desk.id, "atom"),
        title=f"{desk.name}: who reported first — tickerwatch",
        self_url=links.desk_stories_export(desk.id, "atom"),
        html_url=links.desk(desk.id),
        updated=max((e.updated for e in entries), default=desk.created_at),
        entries=entries,
    )
    return Response(body, media_type=ATOM_TYPE)
