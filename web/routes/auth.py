"""Logging in to the UI with the admin token, and out again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from web.auth import SESSION_COOKIE, safe_next
from web.context import AdminDep, Ctx

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, ctx: Ctx, next: Annotated[str, Query()] = "/") -> Response:
    return ctx.render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    ctx: Ctx,
    token: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    target = safe_next(next)
    if not ctx.gate.enabled:
        return ctx.render(
            request, "login.html", status_code=403, next=target, error="no admin token configured"
        )
    if not ctx.gate.token_matches(token):
        return ctx.render(
            request, "login.html", status_code=401, next=target, error="that is not the token"
        )
    response = RedirectResponse(ctx.links(request).base + target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        ctx.new_session(),
        max_age=int(ctx.config.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=ctx.secure(request),
    )
    return response


@router.post("/logout", dependencies=[AdminDep])
def logout(request: Request, ctx: Ctx) -> Response:
    response = RedirectResponse(ctx.links(request).home(), status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return response
