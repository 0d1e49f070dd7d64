"""Desks, the tickers compared together: the list with their members (own marked), the
admin forms to add, edit and remove one, and the same as JSON API under ``/api/desks``.

The page for one desk with its stories belongs to story matching (``/desks/{id}``);
this module serves the desks themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from storage.desks import (
    DEFAULT_LEAD_MINUTES,
    DEFAULT_WINDOW_MINUTES,
    Desk,
    DeskId,
    DeskMember,
    DeskTag,
    DuplicateDesk,
    NewDesk,
    desk_tickers,
)
from storage.errors import InvalidValue, TickerNotFound
from storage.model import TickerId
from web.api_desks import DeskIn, DeskOut, DeskPatch, desk_out
from web.context import AdminDep, Ctx, DesksDep
from web.forms import FormError, form_id, form_minutes, form_words
from web.params import IdPath

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["desks"])

FormList = Annotated[list[str], Form()]
DeskWrite = Callable[[], Desk]


def _ids(values: list[str], what: str) -> list[TickerId]:
    found = []
    for value in values:
        try:
            number = form_id(value)
        except FormError as error:
            raise FormError(f"{what}: {error}") from error
        if number is not None:
            found.append(TickerId(number))
    return found


def desk_from_form(
    name: str, own: list[str], ticker: list[str], tags: str, own_tags: str, window: str, lead: str
) -> NewDesk:
    """The desk the add or edit form describes: ``own`` and ``ticker`` are the ticked
    tickers' ids, ``tags`` and ``own_tags`` comma-separated. ``FormError``."""
    own_ids, competitor_ids = _ids(own, "own"), _ids(ticker, "competitor")
    both = set(own_ids) & set(competitor_ids)
    if both:
        raise FormError(f"ticker {min(both)} is ticked both as own and as competitor")
    own_names, names = form_words(own_tags), form_words(tags)
    if set(own_names) & set(names):
        raise FormError(f"tag {min(set(own_names) & set(names))!r} is both own and competitor")
    members = dict.fromkeys(own_ids, True) | dict.fromkeys(competitor_ids, False)
    return NewDesk(
        name=name.strip(),
        members=tuple(DeskMember(i, flag) for i, flag in members.items()),
        tags=tuple(DeskTag(t, True) for t in own_names) + tuple(DeskTag(t) for t in names),
        window_minutes=form_minutes(window, "story window"),
        lead_minutes=form_minutes(lead, "competitor-first lead"),
    )


def _desks_page(
    ctx: Ctx, desks: DesksDep, request: Request, *, error: str | None = None, status: int = 200
) -> Response:
    tickers = ctx.store.list()
    return ctx.render(
        request,
        "desks.html",
        status_code=status,
        rows=[(d, desk_tickers(d, tickers)) for d in desks.list()],
        tickers=tickers,
        error=error,
        members={},
        tag_text="",
        own_tag_text="",
        window_value=DEFAULT_WINDOW_MINUTES,
        lead_value=DEFAULT_LEAD_MINUTES,
    )


def _edit_page(
    ctx: Ctx, request: Request, desk: Desk, *, error: str | None = None, status: int = 200
) -> Response:
    tickers = ctx.store.list()
    return ctx.render(
        request,
        "desk_edit.html",
        status_code=status,
        desk=desk,
        members={m.ticker_id: m.own for m in desk.members},
        resolved=desk_tickers(desk, tickers),
        tickers=tickers,
        error=error,
        tag_text=", ".join(t.tag for t in desk.tags if not t.own),
        own_tag_text=", ".join(t.tag for t in desk.tags if t.own),
        window_value=desk.window_minutes,
        lead_value=desk.lead_minutes,
    )


@pages.get("/desks")
def desks_page(request: Request, ctx: Ctx, desks: DesksDep) -> Response:
    return _desks_page(ctx, desks, request)


@pages.post("/desks", dependencies=[AdminDep])
def add_desk(
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    name: Annotated[str, Form()],
    own: FormList = [],  # noqa: B006 - FastAPI copies defaults per request
    ticker: FormList = [],  # noqa: B006
    tags: Annotated[str, Form()] = "",
    own_tags: Annotated[str, Form()] = "",
    window: Annotated[str, Form()] = str(DEFAULT_WINDOW_MINUTES),
    lead: Annotated[str, Form()] = str(DEFAULT_LEAD_MINUTES),
) -> Response:
    try:
        desk = desk_from_form(name, own, ticker, tags, own_tags, window, lead)
        desks.add(desk, created_at=ctx.clock())
    except (FormError, InvalidValue, TickerNotFound) as error:
        return _desks_page(ctx, desks, request, error=str(error), status=422)
    except DuplicateDesk as error:
        return _desks_page(ctx, desks, request, error=str(error), status=409)
    return RedirectResponse(ctx.links(request).desks(), status_code=303)


@pages.get("/desks/{desk_id}/edit")
def edit_desk_page(desk_id: IdPath, request: Request, ctx: Ctx, desks: DesksDep) -> Response:
    return _edit_page(ctx, request, desks.get(DeskId(desk_id)))


@pages.post("/desks/{desk_id}/edit", dependencies=[AdminDep])
def edit_desk(
    desk_id: IdPath,
    request: Request,
    ctx: Ctx,
    desks: DesksDep,
    name: Annotated[str, Form()],
    own: FormList = [],  # noqa: B006 - FastAPI copies defaults per request
    ticker: FormList = [],  # noqa: B006
    tags: Annotated[str, Form()] = "",
    own_tags: Annotated[str, Form()] = "",
    window: Annotated[str, Form()] = str(DEFAULT_WINDOW_MINUTES),
    lead: Annotated[str, Form()] = str(DEFAULT_LEAD_MINUTES),
) -> Response:
    desk = desks.get(DeskId(desk_id))
    try:
        desks.update(desk.id, desk_from_form(name, own, ticker, tags, own_tags, window, lead))
    except (FormError, InvalidValue, TickerNotFound) as error:
        return _edit_page(ctx, request, desk, error=str(error), status=422)
    except DuplicateDesk as error:
        return _edit_page(ctx, request, desk, error=str(error), status=409)
    return RedirectResponse(ctx.links(request).desks(), status_code=303)


@pages.post("/desks/{desk_id}/remove", dependencies=[AdminDep])
def remove_desk(
    desk_id: IdPath,
    request: Request,
    desks: DesksDep,
    ctx: Ctx,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    desk = desks.get(DeskId(desk_id))
    if confirm != "yes":
        return _edit_page(
            ctx, request, desk, error="tick the box to confirm removing the desk", status=422
        )
    desks.remove(desk.id)
    return RedirectResponse(ctx.links(request).desks(), status_code=303)


@api.get("/desks", summary="Every desk with its tickers")
def list_desks(request: Request, ctx: Ctx, desks: DesksDep) -> list[DeskOut]:
    tickers, links = ctx.store.list(), ctx.links(request)
    return [desk_out(d, tickers, links) for d in desks.list()]


@api.get("/desks/{desk_id}", summary="One desk with its tickers")
def get_desk(desk_id: IdPath, request: Request, ctx: Ctx, desks: DesksDep) -> DeskOut:
    return desk_out(desks.get(DeskId(desk_id)), ctx.store.list(), ctx.links(request))


_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"description": "Another desk has the name"},
    422: {"description": "Not a valid desk: no members, an unknown ticker, ..."},
}


def _stored(ctx: Ctx, request: Request, write: DeskWrite) -> DeskOut:
    try:
        desk = write()
    except DuplicateDesk as error:
        raise HTTPException(409, str(error)) from error
    except TickerNotFound as error:  # a member named in the body, not the resource
        raise HTTPException(422, str(error)) from error
    return desk_out(desk, ctx.store.list(), ctx.links(request))


@api.post(
    "/desks",
    status_code=201,
    dependencies=[AdminDep],
    summary="Add a desk (admin)",
    responses=_WRITE_ERRORS,
)
def create_desk(body: DeskIn, request: Request, ctx: Ctx, desks: DesksDep) -> DeskOut:
    return _stored(ctx, request, lambda: desks.add(body.value(), created_at=ctx.clock()))


@api.patch(
    "/desks/{desk_id}",
    dependencies=[AdminDep],
    summary="Edit a desk (admin)",
    responses=_WRITE_ERRORS,
)
def update_desk(
    desk_id: IdPath, body: DeskPatch, request: Request, ctx: Ctx, desks: DesksDep
) -> DeskOut:
    desk = desks.get(DeskId(desk_id))
    return _stored(ctx, request, lambda: desks.update(desk.id, body.applied_to(desk)))


@api.delete(
    "/desks/{desk_id}", status_code=204, dependencies=[AdminDep], summary="Remove a desk (admin)"
)
def delete_desk(desk_id: IdPath, desks: DesksDep) -> Response:
    desks.remove(DeskId(desk_id))
    return Response(status_code=204)
