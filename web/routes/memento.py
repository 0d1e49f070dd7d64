"""Memento (RFC 7089) TimeGate and TimeMap of each ticker's captures.

``/tickers/{id}/timegate`` and ``/tickers/{id}/timemap``, and under the ticker page's own
URL as pywb spells them: ``/timegate/{URI-R}`` and ``/timemap/link/{URI-R}``. The
Mementos are the raw pages (``/tickers/{id}/polls/{poll}/raw``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from storage.model import Ticker, TickerId
from web.context import Ctx, WebContext
from web.memento import LINK_FORMAT, Link, Memento, closest, link_header, timemap
from web.params import IdPath
from web.timefmt import BadInstant, parse_http_date

router = APIRouter(tags=["memento"])

AcceptDatetime = Annotated[
    str | None,
    Header(description="RFC 1123 date in GMT, e.g. `Wed, 24 Apr 2019 12:30:00 GMT`."),
]


def _mementos(ctx: WebContext, request: Request, ticker: Ticker) -> list[Memento]:
    links = ctx.links(request)
    captures = ctx.archive.captures(ticker.id)
    return [Memento(links.raw(c.ticker_id, c.id), c.observed_at) for c in captures]


def _by_url(ctx: WebContext, request: Request, uri: str) -> Ticker:
    # The path converter keeps the URL's slashes; its query string arrives separately.
    wanted = uri + (f"?{request.url.query}" if request.url.query else "")
    ticker = next((t for t in ctx.store.list() if t.url == wanted), None)
    if ticker is None:
        raise HTTPException(404, f"no ticker watches {wanted}")
    return ticker


def _timegate(
    ctx: WebContext, request: Request, ticker: Ticker, accept_datetime: str | None
) -> Response:
    links = ctx.links(request)
    headers = {
        "Vary": "accept-datetime",
        "Link": link_header(
            [
                Link(ticker.url, "original"),
                Link(links.timemap(ticker.id), "timemap", type=LINK_FORMAT),
            ]
        ),
    }
    mementos = _mementos(ctx, request, ticker)
    if not mementos:
        raise HTTPException(404, f"no captures of ticker {ticker.id} yet", headers=headers)
    if accept_datetime:
        try:
            wanted = parse_http_date(accept_datetime)
        except BadInstant as error:
            raise HTTPException(400, f"Accept-Datetime: {error}", headers=headers) from error
        chosen = closest(mementos, wanted)
    else:
        chosen = mementos[-1]
    return RedirectResponse(chosen.uri, status_code=302, headers=headers)


def _timemap(ctx: WebContext, request: Request, ticker: Ticker) -> Response:
    links = ctx.links(request)
    body = timemap(
        original=ticker.url,
        timegate=links.timegate(ticker.id),
        self_uri=links.timemap(ticker.id),
        mementos=_mementos(ctx, request, ticker),
    )
    return Response(body, media_type=LINK_FORMAT)


@router.head("/tickers/{ticker_id}/timegate", include_in_schema=False)
@router.get(
    "/tickers/{ticker_id}/timegate",
    status_code=302,
    summary="Memento TimeGate: redirects to the capture closest to Accept-Datetime",
)
def timegate(
    ticker_id: IdPath, request: Request, ctx: Ctx, accept_datetime: AcceptDatetime = None
) -> Response:
    return _timegate(ctx, request, ctx.store.get(TickerId(ticker_id)), accept_datetime)


@router.head("/tickers/{ticker_id}/timemap", include_in_schema=False)
@router.get(
    "/tickers/{ticker_id}/timemap",
    summary="Memento TimeMap (application/link-format) of every capture",
    response_class=Response,
)
def timemap_by_id(ticker_id: IdPath, request: Request, ctx: Ctx) -> Response:
    return _timemap(ctx, request, ctx.store.get(TickerId(ticker_id)))


@router.head("/timegate/{uri:path}", include_in_schema=False)
@router.get(
    "/timegate/{uri:path}",
    status_code=302,
    summary="Memento TimeGate by the ticker page's URL",
)
def timegate_by_url(
    uri: str, request: Request, ctx: Ctx, accept_datetime: AcceptDatetime = None
) -> Response:
    return _timegate(ctx, request, _by_url(ctx, request, uri), accept_datetime)


@router.head("/timemap/link/{uri:path}", include_in_schema=False)
@router.get(
    "/timemap/link/{uri:path}",
    summary="Memento TimeMap by the ticker page's URL",
    response_class=Response,
)
def timemap_by_url(uri: str, request: Request, ctx: Ctx) -> Response:
    return _timemap(ctx, request, _by_url(ctx, request, uri))
