"""Search across every revision of every entry (one ticker's, or all)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from storage.archive import SearchPage
from storage.model import MAX_ID, TickerId
from storage.search_query import InvalidQuery, SearchQuery, parse_query
from web.api_models import PageOut, SearchHitOut, hit_out
from web.context import Ctx
from web.links import next_page
from web.params import OffsetQuery, PageQuery

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["search"])

QueryText = Annotated[
    str,
    Query(
        description='Words (all must occur), "a phrase", prefix*, -excluded; case is ignored.',
        max_length=1000,
    ),
]


@pages.get("/search")
def search_page(
    request: Request,
    ctx: Ctx,
    q: QueryText = "",
    ticker: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    page: PageQuery = 1,
) -> Response:
    tickers = ctx.store.list()

    def page_of(
        status: int, result: SearchPage | None, query: SearchQuery | None, error: str | None
    ) -> Response:
        return ctx.render(
            request,
            "search.html",
            status_code=status,
            q=q,
            ticker=ticker,
            tickers=tickers,
            names={t.id: t.name for t in tickers},
            page=page,
            result=result,
            query=query,
            error=error,
            has_next=result is not None and result.offset + len(result.hits) < result.total,
        )

    if not q.strip():
        return page_of(200, None, None, None)
    try:
        query = parse_query(q)
    except InvalidQuery as error:
        return page_of(422, None, None, str(error))
    size = ctx.config.page_size
    result = ctx.archive.search(
        query,
        ticker_id=TickerId(ticker) if ticker is not None else None,
        limit=size,
        offset=(page - 1) * size,
    )
    return page_of(200, result, query, None)


@api.get("/search", summary="Entries whose revisions match a query, newest first")
def search(
    request: Request,
    ctx: Ctx,
    q: QueryText,
    ticker_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this ticker's entries.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: OffsetQuery = 0,
) -> PageOut[SearchHitOut]:
    result = ctx.archive.search(
        parse_query(q),
        ticker_id=TickerId(ticker_id) if ticker_id is not None else None,
        limit=limit,
        offset=offset,
    )
    links = ctx.links(request)
    more = offset + len(result.hits) < result.total
    return PageOut[SearchHitOut](
        items=[hit_out(h, links) for h in result.hits],
        limit=limit,
        offset=offset,
        total=result.total,
        next=next_page(
            links, request.url.path, request.query_params.multi_items(), offset=offset, limit=limit
        )
        if more
        else None,
    )
