"""One entry's history: every change with its word diff, its headlines, its revisions."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from web.api_models import EntryOut, entry_out
from web.context import Ctx
from web.entryview import entry_view
from web.params import PageQuery

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["entries"])


@pages.get("/entries/{entry_id}")
def entry_page(entry_id: str, request: Request, ctx: Ctx, page: PageQuery = 1) -> Response:
    history = ctx.store.entry_history(entry_id)
    ticker = ctx.store.get(history.ticker_id)
    view = entry_view(history)
    size = ctx.config.page_size
    start = (page - 1) * size
    return ctx.render(
        request,
        "entry.html",
        ticker=ticker,
        zone=ctx.zone(ticker),
        view=view,
        changes=view.changes[start : start + size],
        page=page,
        has_next=start + size < len(view.changes),
        # A change's anchor lives on the page that shows it; neighbours may not.
        page_of={c.change.id: 1 + i // size for i, c in enumerate(view.changes)},
    )


@api.get("/entries/{entry_id}", summary="Every revision and change event of an entry")
def get_entry(entry_id: str, request: Request, ctx: Ctx) -> EntryOut:
    return entry_out(ctx.store.entry_history(entry_id), ctx.links(request))
