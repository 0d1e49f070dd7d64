"""The routes, one module per concept; each has HTML pages (left out of the OpenAPI
document) and, where it makes sense, JSON API routes under ``/api``."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes import (
    alerts,
    asof,
    auth,
    check,
    desks,
    entries,
    exports,
    health,
    memento,
    search,
    stories,
    story_exports,
    tickers,
    timeline,
)

ROUTERS: tuple[APIRouter, ...] = (
    tickers.pages,
    tickers.api,
    check.pages,
    desks.pages,
    desks.api,
    stories.pages,
    stories.api,
    story_exports.router,
    timeline.pages,
    timeline.api,
    entries.pages,
    entries.api,
    asof.pages,
    asof.api,
    search.pages,
    search.api,
    alerts.pages,
    alerts.api,
    exports.router,
    exports.feeds,
    memento.router,
    health.router,
    auth.router,
)
