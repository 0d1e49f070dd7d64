"""The watched tickers: the dashboard with each one's status, and the admin actions
(add, edit, pause, resume, remove) as forms and as JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from scheduler.status import TickerStatus, ticker_status
from storage.errors import DuplicateTicker, InvalidValue
from storage.model import NewTicker, Ticker, TickerId
from web.api_models import TickerIn, TickerOut, TickerPatch, TickerStatusOut, status_out, ticker_out
from web.context import AdminDep, Ctx, WebContext
from web.forms import (
    FormError,
    entry_selectors,
    interval_seconds,
    ticker_name,
    ticker_url,
    zone_name,
)
from web.params import IdPath
from web.timefmt import day_start

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["tickers"])


@dataclass(frozen=True, slots=True)
class TickerRow:
    ticker: Ticker
    status: TickerStatus
    changes_today: int


def ticker_rows(ctx: WebContext, tickers: tuple[Ticker, ...] | None = None) -> list[TickerRow]:
    """Each ticker with its last poll, schedule, error streak, entries and the change
    events since midnight (in the configured zone)."""
    now = ctx.clock()
    listed = ctx.store.list() if tickers is None else tickers
    only = listed[0].id if tickers is not None and len(listed) == 1 else None
    activity = ctx.archive.activity(day_start(now, ctx.zone()), ticker_id=only)
    health = {event.ticker_id: event for event in ctx.store.parse_health()}
    rows = []
    for ticker in listed:
        last = ctx.store.polls(ticker.id, limit=1)
        counts = activity.get(ticker.id)
        status = ticker_status(
            ticker,
            last[0] if last else None,
            counts.entries if counts else 0,
            ctx.config.cadence,
            now=now,
            health=health.get(ticker.id),
        )
        rows.append(TickerRow(ticker, status, counts.changes_since if counts else 0))
    return rows


def _dashboard(
    ctx: WebContext, request: Request, *, error: str | None = None, status: int = 200
) -> Response:
    return ctx.render(
        request,
        "tickers.html",
        status_code=status,
        rows=ticker_rows(ctx),
        now=ctx.clock(),
        error=error,
        form=dict(request.query_params),
    )


@pages.get("/")
def dashboard(request: Request, ctx: Ctx) -> Response:
    return _dashboard(ctx, request)


@pages.post("/tickers", dependencies=[AdminDep])
def add_ticker(
    request: Request,
    ctx: Ctx,
    url: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    interval: Annotated[str, Form()] = "300",
    zone: Annotated[str, Form()] = "",
    entry_selector: Annotated[str, Form()] = "",
    time_selector: Annotated[str, Form()] = "",
    headline_selector: Annotated[str, Form()] = "",
    body_selector: Annotated[str, Form()] = "",
    id_selector: Annotated[str, Form()] = "",
) -> Response:
    try:
        checked = ticker_url(url)
        ticker = ctx.store.add(
            NewTicker(
                url=checked,
                name=ticker_name(name, checked),
                interval_seconds=interval_seconds(interval),
                zone=zone_name(zone),
                selectors=entry_selectors(
                    entry_selector, time_selector, headline_selector, body_selector, id_selector
                ),
            ),
            created_at=ctx.clock(),
        )
    except (FormError, InvalidValue) as error:
        return _dashboard(ctx, request, error=str(error), status=422)
    except DuplicateTicker as error:
        return _dashboard(ctx, request, error=str(error), status=409)
    return RedirectResponse(ctx.links(request).ticker(ticker.id), status_code=303)


@pages.post("/tickers/{ticker_id}/edit", dependencies=[AdminDep])
def edit_ticker(
    ticker_id: IdPath,
    request: Request,
    ctx: Ctx,
    name: Annotated[str, Form()],
    interval: Annotated[str, Form()],
    entry_selector: Annotated[str, Form()] = "",
    time_selector: Annotated[str, Form()] = "",
    headline_selector: Annotated[str, Form()] = "",
    body_selector: Annotated[str, Form()] = "",
    id_selector: Annotated[str, Form()] = "",
) -> Response:
    """Name, interval and selectors (all selector fields blank: back to discovery)."""
    ticker = ctx.store.get(TickerId(ticker_id))
    try:
        seconds = interval_seconds(interval)
        selectors = entry_selectors(
            entry_selector, time_selector, headline_selector, body_selector, id_selector
        )
    except FormError as error:
        raise InvalidValue(str(error)) from error
    if selectors != ticker.selectors:
        ctx.store.set_selectors(ticker.id, selectors)
    if name.strip() and name.strip() != ticker.name:
        ctx.store.rename(ticker.id, name.strip())
    if seconds != ticker.interval_seconds:
        ctx.store.set_interval(ticker.id, seconds)
    return RedirectResponse(ctx.links(request).ticker(ticker.id), status_code=303)


@pages.post("/tickers/{ticker_id}/pause", dependencies=[AdminDep])
def pause_ticker(ticker_id: IdPath, request: Request, ctx: Ctx) -> Response:
    ctx.store.set_paused(TickerId(ticker_id), True)
    return RedirectResponse(ctx.links(request).ticker(ticker_id), status_code=303)


@pages.post("/tickers/{ticker_id}/resume", dependencies=[AdminDep])
def resume_ticker(ticker_id: IdPath, request: Request, ctx: Ctx) -> Response:
    ctx.store.set_paused(TickerId(ticker_id), False)
    return RedirectResponse(ctx.links(request).ticker(ticker_id), status_code=303)


@pages.post("/tickers/{ticker_id}/remove", dependencies=[AdminDep])
def remove_ticker(
    ticker_id: IdPath, request: Request, ctx: Ctx, confirm: Annotated[str, Form()] = ""
) -> Response:
    ticker = ctx.store.get(TickerId(ticker_id))
    if confirm != "yes":
        raise InvalidValue(
            f"removing {ticker.name} deletes its whole history: tick the box to confirm"
        )
    ctx.store.remove(ticker.id)
    return RedirectResponse(ctx.links(request).home(), status_code=303)


@api.get("/tickers", summary="Every ticker with its status")
def list_tickers(request: Request, ctx: Ctx) -> list[TickerStatusOut]:
    links = ctx.links(request)
    return [status_out(r.ticker, r.status, r.changes_today, links) for r in ticker_rows(ctx)]


@api.get("/tickers/{ticker_id}", summary="One ticker with its status")
def get_ticker(ticker_id: IdPath, request: Request, ctx: Ctx) -> TickerStatusOut:
    ticker = ctx.store.get(TickerId(ticker_id))
    row = ticker_rows(ctx, (ticker,))[0]
    return status_out(row.ticker, row.status, row.changes_today, ctx.links(request))


@api.post(
    "/tickers",
    status_code=201,
    dependencies=[AdminDep],
    summary="Watch a ticker (admin)",
    responses={409: {"description": "The URL is watched already"}},
)
def create_ticker(body: TickerIn, request: Request, ctx: Ctx) -> TickerOut:
    try:
        zone = zone_name(body.zone)
    except FormError as error:
        raise InvalidValue(str(error)) from error
    ticker = ctx.store.add(
        NewTicker(
            url=body.url,
            name=ticker_name(body.name, body.url),
            interval_seconds=body.interval_seconds,
            zone=zone,
            tags=tuple(body.tags),
            selectors=body.selectors.value() if body.selectors else None,
        ),
        created_at=ctx.clock(),
    )
    return ticker_out(ticker, ctx.links(request))


@api.patch("/tickers/{ticker_id}", dependencies=[AdminDep], summary="Edit a ticker (admin)")
def update_ticker(ticker_id: IdPath, body: TickerPatch, request: Request, ctx: Ctx) -> TickerOut:
    ticker = ctx.store.get(TickerId(ticker_id))
    if body.name is not None:
        ticker = ctx.store.rename(ticker.id, body.name)
    if body.interval_seconds is not None:
        ticker = ctx.store.set_interval(ticker.id, body.interval_seconds)
    if body.paused is not None:
        ticker = ctx.store.set_paused(ticker.id, body.paused)
    if "selectors" in body.model_fields_set:
        chosen = body.selectors.value() if body.selectors else None
        ticker = ctx.store.set_selectors(ticker.id, chosen)
    return ticker_out(ticker, ctx.links(request))


@api.delete(
    "/tickers/{ticker_id}",
    status_code=204,
    dependencies=[AdminDep],
    summary="Stop watching a ticker and delete its history (admin)",
)
def delete_ticker(ticker_id: IdPath, ctx: Ctx) -> Response:
    ctx.store.remove(TickerId(ticker_id))
    return Response(status_code=204)
