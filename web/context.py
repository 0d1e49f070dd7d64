"""What every route needs, built once by :func:`web.app.create_app`, and the typed
dependencies that hand it to the routes (``Ctx``, ``AdminDep``, ``AlertsDep``,
``DesksDep``, ``StoriesDep``)."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from alerts.ports import AlertStore
from ingest.check import LookRequest, PageCheck
from storage.archive import Archive
from storage.desks import DeskStore
from storage.model import Ticker
from storage.ports import Store
from storage.story_store import StoryStore
from web.alertview import AlertTrouble, trouble
from web.auth import CSRF_FIELD, CSRF_HEADER, NO_TOKEN_MESSAGE, SESSION_COOKIE, Gatekeeper
from web.config import WebConfig
from web.links import Links
from web.metrics import ServiceMetrics
from web.origin import allowed_hosts, link_base

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# The composition root's page look (``tickerwatch.lookup.checker``): the poller's fetcher.
Checker = Callable[[LookRequest], Awaitable[PageCheck]]
ALERTS_NOT_CONFIGURED = "alert delivery is not configured in this process"
DESKS_NOT_CONFIGURED = "desks are not served by this process"
STORIES_NOT_CONFIGURED = "stories are not served by this process"
# Counting the queue scans it (30 days of delivered rows by default), and every page's
# navigation shows the result: it is asked at most this often.
TROUBLE_TTL = timedelta(seconds=30)


class TroubleWatch:
    """The alert trouble (disabled sinks, dead deliveries), asked of the alert store at
    most once per :data:`TROUBLE_TTL`, and again at once after :meth:`forget` (the UI's
    own actions call it). A store that cannot answer means no warning, logged once per
    period: the navigation never fails a page."""

    def __init__(self, alerts: AlertStore) -> None:
        self._alerts = alerts
        self._lock = threading.Lock()
        self._known: tuple[datetime, AlertTrouble | None] | None = None

    def trouble(self, now: datetime) -> AlertTrouble | None:
        with self._lock:
            if self._known is not None and now - self._known[0] < TROUBLE_TTL:
                return self._known[1]
            try:
                found = trouble(self._alerts.subscriptions(), self._alerts.counts())
            except Exception as error:
                log.warning("alert status unavailable: %s", type(error).__name__)
                found = None
            self._known = (now, found)
            return found

    def forget(self) -> None:
        with self._lock:
            self._known = None


@dataclass(frozen=True, slots=True)
class WebContext:
    store: Store
    archive: Archive
    config: WebConfig
    clock: Clock
    gate: Gatekeeper
    templates: Jinja2Templates
    metrics: ServiceMetrics | None = None  # the service's metrics, served at /metrics when given
    alerts: AlertStore | None = None  # the alert sinks and their queue, when delivered here
    watch: TroubleWatch | None = field(default=None, compare=False)  # over ``alerts``
    # Fetches and reads a ticker page for the ticker form's "Check", when this process may.
    checker: Checker | None = None
    desks: DeskStore | None = None  # the desks, on the store's database
    stories: StoryStore | None = None  # the desks' stories, on the store's database

    def zone(self, ticker: Ticker | None = None) -> ZoneInfo:
        """The zone a ticker's times are shown in: its own, else the configured one."""
        return ZoneInfo((ticker.zone if ticker else None) or self.config.zone)

    def links(self, request: Request) -> Links:
        """Links on ``[web] base_url``, else on the request's host only when it is
        allowed, else relative to the server: a forged ``Host`` never shows (web.origin)."""
        return Links(
            link_base(
                base_url=self.config.base_url,
                scheme=request.url.scheme,
                host_header=request.headers.get("host"),
                root_path=request.scope.get("root_path", ""),
                allowed=allowed_hosts(self.config.allowed_hosts, self.config.host),
            )
        )

    def secure(self, request: Request) -> bool:
        """Whether the UI is reached over HTTPS (its cookies then say ``Secure``)."""
        base = self.config.base_url
        return base.startswith("https:") if base else request.url.scheme == "https"

    def logged_in(self, request: Request) -> bool:
        return self.gate.session_valid(request.cookies.get(SESSION_COOKIE), now=self.clock())

    def alert_trouble(self) -> AlertTrouble | None:
        """Disabled sinks and dead deliveries, for the warning in the navigation (None
        without an alert store)."""
        return self.watch.trouble(self.clock()) if self.watch else None

    def alerts_changed(self) -> None:
        """After an action on sinks or deliveries: the next page counts afresh."""
        if self.watch:
            self.watch.forget()

    def render(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> Response:
        """A page; every template gets the request, the links, the login state, the
        CSRF token of the session (empty when not logged in) and the alert trouble the
        navigation warns of."""
        cookie = request.cookies.get(SESSION_COOKIE)
        logged_in = self.logged_in(request)
        if "alert_trouble" not in context:  # the alert pages bring theirs
            context["alert_trouble"] = self.alert_trouble()
        return self.templates.TemplateResponse(
            request,
            name,
            {
                "links": self.links(request),
                "admin_enabled": self.gate.enabled,
                "logged_in": logged_in,
                "csrf": self.gate.csrf_token(cookie) if logged_in and cookie else "",
                "zone": self.zone(),
                "alerts_enabled": self.alerts is not None,
                "can_check": self.checker is not None,
                "desks_enabled": self.desks is not None,
                "stories_enabled": self.desks is not None and self.stories is not None,
                **context,
            },
            status_code=status_code,
        )

    def new_session(self) -> str:
        return self.gate.new_session(now=self.clock(), nonce=secrets.token_urlsafe(16))


# The dependencies below only look things up, so they are ``async``: FastAPI runs a
# plain ``def`` dependency in its thread pool, and that hop cost more than the timeline
# page's whole read on a loaded machine (bench/bench_web.py).


async def context(request: Request) -> WebContext:
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


async def alert_store(ctx: Ctx) -> AlertStore:
    """The alert store, or 404 when this process was started without one."""
    if ctx.alerts is None:
        raise HTTPException(404, ALERTS_NOT_CONFIGURED)
    return ctx.alerts


AlertsDep = Annotated[AlertStore, Depends(alert_store)]


async def desk_store(ctx: Ctx) -> DeskStore:
    """The desk store, or 404 when this process was started without one."""
    if ctx.desks is None:
        raise HTTPException(404, DESKS_NOT_CONFIGURED)
    return ctx.desks


DesksDep = Annotated[DeskStore, Depends(desk_store)]


async def story_store(ctx: Ctx) -> StoryStore:
    """The story store, or 404 when this process was started without one (or without
    desks, whose stories they are)."""
    if ctx.desks is None:
        raise HTTPException(404, DESKS_NOT_CONFIGURED)
    if ctx.stories is None:
        raise HTTPException(404, STORIES_NOT_CONFIGURED)
    return ctx.stories


StoriesDep = Annotated[StoryStore, Depends(story_store)]
