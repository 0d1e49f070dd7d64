"""What every route needs, built once by :func:`web.app.create_app`, and the typed
dependencies that hand it to the routes (``Ctx``, ``AdminDep``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from scheduler.cadence import CadencePolicy
from storage.model import Ticker
from storage.ports import Store
from tickerwatch.metrics import Metrics
from tickerwatch.settings.web import WebSettings
from web.archive import Archive
from web.auth import CSRF_FIELD, CSRF_HEADER, NO_TOKEN_MESSAGE, SESSION_COOKIE, Gatekeeper
from web.links import Links

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class WebContext:
    store: Store
    archive: Archive
    settings: WebSettings
    cadence: CadencePolicy
    clock: Clock
    gate: Gatekeeper
    templates: Jinja2Templates
    metrics: Metrics | None = None  # the service's metrics, served at /metrics when given

    def zone(self, ticker: Ticker | None = None) -> ZoneInfo:
        """The zone a ticker's times are shown in: its own, else the configured one."""
        return ZoneInfo((ticker.zone if ticker else None) or self.settings.zone)

    def links(self, request: Request) -> Links:
        base = self.settings.base_url or str(request.base_url).rstrip("/")
        return Links(base)

    def logged_in(self, request: Request) -> bool:
        return self.gate.session_valid(request.cookies.get(SESSION_COOKIE), now=self.clock())

    def render(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> Response:
        """A page; every template gets the request, the links, the login state and the
        CSRF token of the session (empty when not logged in)."""
        cookie = request.cookies.get(SESSION_COOKIE)
        logged_in = self.logged_in(request)
        return self.templates.TemplateResponse(
            request,
            name,
            {
                "links": self.links(request),
                "admin_enabled": self.gate.enabled,
                "logged_in": logged_in,
                "csrf": self.gate.csrf_token(cookie) if logged_in and cookie else "",
                "zone": self.zone(),
                **context,
            },
            status_code=status_code,
        )

    def new_session(self) -> str:
        return self.gate.new_session(now=self.clock(), nonce=secrets.token_urlsafe(16))


def context(request: Request) -> WebContext:
    found: WebContext = request.app.state.web
    return found


Ctx = Annotated[WebContext, Depends(context)]


async def require_admin(request: Request, ctx: Ctx) -> None:
    """Let an admin action through, or refuse it with the reason (403 without a
    configured token or with a failed CSRF check, 401 without credentials)."""
    gate = ctx.gate
    if not gate.enabled:
        raise HTTPException(403, NO_TOKEN_MESSAGE)
    if gate.bearer_matches(request.headers.get("authorization")):
        return
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and gate.session_valid(cookie, now=ctx.clock()):
        supplied = request.headers.get(CSRF_HEADER)
        if supplied is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get(CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
        if gate.csrf_valid(cookie, supplied):
            return
        raise HTTPException(
            403,
            "the form is out of date or was sent from another site (CSRF check failed): "
            "reload the page and try again",
        )
    raise HTTPException(
        401,
        "admin action: log in, or send Authorization: Bearer <admin token>",
        headers={"WWW-Authenticate": 'Bearer realm="tickerwatch"'},
    )


AdminDep = Depends(require_admin)
