"""The app factory: the web UI and JSON API over a store and an archive.

    app = create_app(store, config, archive=SqlArchive(engine))

Nothing is built at import time; the composition root (``tickerwatch web``, ``tickerwatch
run``) opens the store and the archive, calls :func:`create_app` and serves the app with
:func:`web.server.serve`. Routes are plain ``def`` functions: FastAPI runs them in its
thread pool, where the synchronous store may block.

Pages are rendered with Jinja2, autoescaping every value; the only HTML inserted
unescaped is stored entry HTML after :func:`web.sanitize.safe_html`. The JSON API lives
under ``/api`` and is described by ``/openapi.json``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from alerts.errors import DeliveryNotFound, SubscriptionNotFound
from alerts.ports import AlertStore
from storage.archive import Archive
from storage.desks import DeskStore
from storage.errors import DuplicateTicker, InvalidValue, NotFound
from storage.ports import Store
from storage.search_query import InvalidQuery
from storage.story_store import StoryStore
from web import templating
from web.auth import Gatekeeper
from web.config import WebConfig
from web.context import Checker, Clock, TroubleWatch, WebContext
from web.headers import SecurityHeaders
from web.metrics import ServiceMetrics
from web.routes import ROUTERS
from web.timefmt import BadInstant

API_DESCRIPTION = """\
Read every revision of every watched ticker; manage tickers and alert sinks with the
admin token (`Authorization: Bearer <token>`). Times are ISO 8601; query parameters
without an offset are read in the server's configured zone. Listings are paginated with
`limit` and `offset` and link their next page.
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    store: Store,
    config: WebConfig,
    *,
    archive: Archive,
    clock: Clock = utc_now,
    metrics: ServiceMetrics | None = None,
    alerts: AlertStore | None = None,
    checker: Checker | None = None,
    desks: DeskStore | None = None,
    stories: StoryStore | None = None,
) -> FastAPI:
    """The ASGI app. ``store``, ``archive`` and ``alerts`` stay owned by the caller
    (closed by it); ``metrics``, the running service's, are served at ``/metrics`` (404
    without); ``alerts``, the alert store on the same database, backs ``/alerts`` and
    ``/api/alerts`` (404 with the reason without); ``checker`` fetches and reads a page
    for the ticker form's "Check" (the button is hidden without); ``desks``, the desk store on
    the same database, backs ``/desks`` and ``/api/desks`` (404 with the reason without);
    ``stories``, the desks' story store, backs each desk's page ``/desks/{id}``, its
    stories, exports and feed (404 with the reason without it or without ``desks``)."""
    environment = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templating.install(environment)
    context = WebContext(
        store=store,
        archive=archive,
        config=config,
        clock=clock,
        gate=Gatekeeper(token=config.admin_token, session_seconds=config.session_hours * 3600),
        templates=Jinja2Templates(env=environment),
        metrics=metrics,
        alerts=alerts,
        watch=TroubleWatch(alerts) if alerts is not None else None,
        checker=checker,
        desks=desks,
        stories=stories,
    )
    app = FastAPI(
        title="tickerwatch",
        version="0.1.0",
        description=API_DESCRIPTION,
        # The interactive docs load scripts from a CDN, which the CSP (rightly) refuses;
        # /openapi.json is the API's description.
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = context
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("web", "static")]), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _handle_errors(app, context)
    return app


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/static/")) or path == "/healthz" or path == "/metrics"


def _handle_errors(app: FastAPI, context: WebContext) -> None:
    def answer(
        request: Request, status: int, detail: Any, headers: dict[str, str] | None = None
    ) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=status, headers=headers)
        message = detail if isinstance(detail, str) else _validation_text(detail)
        response = context.render(
            request, "error.html", status_code=status, status=status, message=message
        )
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return answer(request, error.status_code, error.detail, dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return answer(request, 422, _json_safe(jsonable_encoder(error.errors())))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return answer(request, 404, str(error))

    @app.exception_handler(DuplicateTicker)
    async def duplicate(request: Request, error: DuplicateTicker) -> Response:
        return answer(request, 409, str(error))

    @app.exception_handler(InvalidValue)
    async def invalid_value(request: Request, error: InvalidValue) -> Response:
        return answer(request, 422, str(error))

    @app.exception_handler(InvalidQuery)
    async def invalid_query(request: Request, error: InvalidQuery) -> Response:
        return answer(request, 422, str(error))

    @app.exception_handler(SubscriptionNotFound)
    async def no_sink(request: Request, error: SubscriptionNotFound) -> Response:
        return answer(request, 404, str(error))

    @app.exception_handler(DeliveryNotFound)
    async def no_delivery(request: Request, error: DeliveryNotFound) -> Response:
        return answer(request, 404, str(error))

    @app.exception_handler(BadInstant)
    async def bad_instant(request: Request, error: BadInstant) -> Response:
        return answer(request, 422, str(error))


def _json_safe(value: Any) -> Any:
    """Validation errors echo the input, which may hold what JSON cannot: a body
    parsed with ``NaN`` or ``Infinity`` (Python's json reads them). Those become
    strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def _validation_text(errors: Any) -> str:
    if not isinstance(errors, list):
        return str(errors)
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg"))
    return "; ".join(str(p) for p in parts) or "invalid request"
