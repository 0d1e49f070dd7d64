"""``/healthz``: whether the database answers (for load balancers and monitors);
``/metrics``: the running service's Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse, Response

from storage.archive import ArchiveUnavailable
from web.api_models import Health
from web.context import Ctx

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="200 when the database answers, 503 when it does not",
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
def healthz(ctx: Ctx) -> JSONResponse:
    try:
        ctx.archive.ping()
    except ArchiveUnavailable as error:
        body = Health(status="unavailable", database=str(error))
        return JSONResponse(
            body.model_dump(), status_code=503, headers={"Cache-Control": "no-store"}
        )
    body = Health(status="ok", database="ok")
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})


@router.get(
    "/metrics",
    summary="Prometheus metrics of the service serving this UI (404 when it has none)",
    response_class=Response,
)
def metrics(ctx: Ctx) -> Response:
    if ctx.metrics is None:
        raise HTTPException(404, "no metrics: this UI runs without the polling service")
    ctx.metrics.set_parse_health(ctx.store.parse_health())
    return Response(
        ctx.metrics.exposition(),
        media_type=ctx.metrics.content_type,
        headers={"Cache-Control": "no-store"},
    )
