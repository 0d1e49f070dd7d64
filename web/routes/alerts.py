"""Alert sinks and their deliveries: the sinks with their rules and queues, the
deliveries newest first, and the admin actions (enable a disabled sink, retry dead
deliveries) as forms and as JSON API.

Sink URLs and secrets are credentials: pages and documents show them masked only
(:mod:`web.alertview`). Without an alert store every route answers 404 with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse

from alerts.model import (
    Delivery,
    DeliveryId,
    DeliveryStatus,
    QueueCounts,
    Subscription,
    SubscriptionId,
)
from alerts.ports import AlertStore
from storage.model import MAX_ID
from web.alertview import (
    FILTER_LABELS,
    DeliveryFilter,
    DeliveryView,
    changes_by_id,
    dead_ids,
    delivery_views,
    listing,
    sink_view,
    sink_views,
    total,
    trouble,
)
from web.api_alerts import (
    DeliveryOut,
    RetryIn,
    RetryOut,
    SubscriptionOut,
    delivery_out,
    subscription_out,
)
from web.api_models import PageOut
from web.context import AdminDep, AlertsDep, Ctx, WebContext
from web.forms import FormError, form_id
from web.links import Links, next_page
from web.params import MAX_PAGE, CountQuery, IdPath, OffsetQuery, PageQuery

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/alerts", tags=["alerts"])

StatusQuery = Annotated[
    DeliveryFilter | None,
    Query(
        description="Only deliveries in this state: pending (the failed ones included), "
        "failed (pending after failed attempts), dead, delivered. All when left out."
    ),
]
SinkQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only this sink's deliveries.")
]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such sink or delivery, or no alert delivery here"}
}


# URLs and the shared steps of pages and API


def alerts_url(links: Links, path: str = "", **query: str | int | None) -> str:
    """The URL of an alert page (``path`` below ``/alerts``) with its query."""
    params = {k: v for k, v in query.items() if v is not None}
    return f"{links.base}/alerts{path}" + (f"?{urlencode(params)}" if params else "")


def sink_links(links: Links, subscription_id: int) -> dict[str, str]:
    return {
        "self": f"{links.base}/api/alerts/{subscription_id}",
        "html": alerts_url(links) + f"#sink-{subscription_id}",
        "deliveries": alerts_url(links, "/deliveries", subscription=subscription_id),
    }


def delivery_links(links: Links, view: DeliveryView) -> dict[str, str]:
    delivery = view.delivery
    return {
        "history": view.history_url,
        "ticker": links.ticker(delivery.ticker_id),
        "sink": f"{links.base}/api/alerts/{delivery.subscription_id}",
    }


def chosen_sink(alerts: AlertStore, subscription: int | None) -> SubscriptionId | None:
    """The sink a query names (``SubscriptionNotFound``, a 404, for an unknown one)."""
    if subscription is None:
        return None
    return alerts.subscription(SubscriptionId(subscription)).id


def views_of(
    ctx: WebContext,
    deliveries: Sequence[Delivery],
    subscriptions: Sequence[Subscription],
    links: Links,
) -> list[DeliveryView]:
    tickers = ctx.store.list()
    return delivery_views(
        deliveries,
        subscriptions={s.id: s for s in subscriptions},
        tickers={t.id: t.name for t in tickers},
        changes=changes_by_id(ctx.store, {d.change_id for d in deliveries}),
        links=links,
        zones={t.id: ctx.zone(t) for t in tickers},
        default_zone=ctx.zone(),
    )


def retry_dead(ctx: WebContext, alerts: AlertStore, subscription_id: SubscriptionId | None) -> int:
    """Queue every dead delivery again (of one sink when given); how many changed."""
    if subscription_id is None:
        queued = alerts.retry(None, now=ctx.clock())
    else:
        ids = dead_ids(alerts, subscription_id)
        queued = alerts.retry(ids, now=ctx.clock()) if ids else 0
    ctx.alerts_changed()
    return queued


def retry_chosen(ctx: WebContext, alerts: AlertStore, ids: Sequence[int]) -> int:
    """Queue these deliveries again (dead ones) or make them due now (failing ones);
    409 for one delivered already."""
    for delivery_id in ids:
        if alerts.delivery(DeliveryId(delivery_id)).status is DeliveryStatus.DELIVERED:
            raise HTTPException(409, f"delivery {delivery_id} was delivered already")
    queued = alerts.retry([DeliveryId(i) for i in ids], now=ctx.clock())
    ctx.alerts_changed()
    return queued


def _form_sink(value: str) -> int | None:
    try:
        return form_id(value)
    except FormError as error:
        raise HTTPException(422, f"subscription: not a sink id: {value[:40]!r}") from error


def _form_status(value: str) -> DeliveryFilter | None:
    if not value.strip():
        return None
    try:
        return DeliveryFilter(value.strip())
    except ValueError as error:
        raise HTTPException(422, f"status: not a delivery state: {value[:40]!r}") from error


# Pages


@pages.get("/alerts")
def sinks_page(
    request: Request,
    ctx: Ctx,
    alerts: AlertsDep,
    queued: CountQuery = None,
) -> Response:
    subscriptions = alerts.subscriptions()
    counts = alerts.counts()
    return ctx.render(
        request,
        "alerts.html",
        sinks=sink_views(subscriptions, counts),
        alert_trouble=trouble(subscriptions, counts),
        queued=queued,
        deliveries_url=lambda **query: alerts_url(ctx.links(request), "/deliveries", **query),
    )


@pages.get("/alerts/deliveries")
def deliveries_page(
    request: Request,
    ctx: Ctx,
    alerts: AlertsDep,
    status: StatusQuery = None,
    subscription: SinkQuery = None,
    page: PageQuery = 1,
    queued: CountQuery = None,
) -> Response:
    sink_id = chosen_sink(alerts, subscription)
    size = ctx.config.page_size
    rows = listing(
        alerts, status=status, subscription_id=sink_id, limit=size + 1, offset=(page - 1) * size
    )
    subscriptions = alerts.subscriptions()
    counts = alerts.counts()
    links = ctx.links(request)
    shown = status.value if status else None

    def page_url(number: int) -> str:
        return alerts_url(links, "/deliveries", status=shown, subscription=sink_id, page=number)

    return ctx.render(
        request,
        "alerts_deliveries.html",
        rows=views_of(ctx, rows[:size], subscriptions, links),
        has_next=len(rows) > size,
        page=page,
        page_url=page_url,
        total=total(counts, status, sink_id),
        dead=total(counts, DeliveryFilter.DEAD, sink_id),
        status=shown or "",
        subscription=sink_id,
        sink=next((s for s in subscriptions if s.id == sink_id), None),
        sinks=subscriptions,
        filters=[
            (
                f.value if f else None,
                label,
                alerts_url(
                    links, "/deliveries", status=f.value if f else None, subscription=sink_id
                ),
            )
            for f, label in FILTER_LABELS.items()
        ],
        alert_trouble=trouble(subscriptions, counts),
        queued=queued,
        now=ctx.clock(),
    )


@dataclass(frozen=True, slots=True)
class BackTo:
    """The deliveries page a form was sent from, to show again after its action."""

    status: DeliveryFilter | None
    subscription: int | None
    page: int

    @classmethod
    def read(cls, status: str, subscription: str, page: str) -> BackTo:
        """From the form's hidden fields (422 for ones no page of ours sends)."""
        try:
            number = form_id(page, at_most=MAX_PAGE) or 1
        except FormError as error:
            raise HTTPException(422, f"page: not a page number: {page[:40]!r}") from error
        return cls(_form_status(status), _form_sink(subscription), number)

    def redirect(self, links: Links, queued: int) -> Response:
        target = alerts_url(
            links,
            "/deliveries",
            status=self.status.value if self.status else None,
            subscription=self.subscription,
            page=self.page if self.page > 1 else None,
            queued=queued,
        )
        return RedirectResponse(target, status_code=303)


FormText = Annotated[str, Form()]


# Registered before /alerts/{subscription_id}/…: "deliveries" is no sink id.
@pages.post("/alerts/deliveries/retry", dependencies=[AdminDep])
def retry_dead_form(
    request: Request,
    ctx: Ctx,
    alerts: AlertsDep,
    status: FormText = "",
    subscription: FormText = "",
    page: FormText = "",
) -> Response:
    """Every dead delivery again, of the sink the page shows (all when it shows all)."""
    back = BackTo.read(status, subscription, page)
    queued = retry_dead(ctx, alerts, chosen_sink(alerts, back.subscription))
    return back.redirect(ctx.links(request), queued)


@pages.post("/alerts/deliveries/{delivery_id}/retry", dependencies=[AdminDep])
def retry_delivery_form(
    delivery_id: IdPath,
    request: Request,
    ctx: Ctx,
    alerts: AlertsDep,
    status: FormText = "",
    subscription: FormText = "",
    page: FormText = "",
) -> Response:
    back = BackTo.read(status, subscription, page)
    queued = retry_chosen(ctx, alerts, [delivery_id])
    return back.redirect(ctx.links(request), queued)


@pages.post("/alerts/{subscription_id}/enable", dependencies=[AdminDep])
def enable_form(subscription_id: IdPath, request: Request, ctx: Ctx, alerts: AlertsDep) -> Response:
    alerts.set_enabled(SubscriptionId(subscription_id), True, at=ctx.clock())
    ctx.alerts_changed()
    target = alerts_url(ctx.links(request)) + f"#sink-{subscription_id}"
    return RedirectResponse(target, status_code=303)


@pages.post("/alerts/{subscription_id}/retry", dependencies=[AdminDep])
def retry_sink_form(
    subscription_id: IdPath, request: Request, ctx: Ctx, alerts: AlertsDep
) -> Response:
    queued = retry_dead(ctx, alerts, chosen_sink(alerts, subscription_id))
    target = alerts_url(ctx.links(request), queued=queued) + f"#sink-{subscription_id}"
    return RedirectResponse(target, status_code=303)


# JSON API


@api.get("", summary="Every alert sink with its rules and queue", responses=NOT_FOUND)
def list_sinks(request: Request, ctx: Ctx, alerts: AlertsDep) -> list[SubscriptionOut]:
    subscriptions = alerts.subscriptions()
    views = sink_views(subscriptions, alerts.counts())
    links = ctx.links(request)
    return [
        subscription_out(s, view, sink_links(links, s.id))
        for s, view in zip(subscriptions, views, strict=True)
    ]


@api.get("/deliveries", summary="Deliveries newest first", responses=NOT_FOUND)
def list_deliveries(
    request: Request,
    response: Response,
    ctx: Ctx,
    alerts: AlertsDep,
    status: StatusQuery = None,
    subscription: SinkQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: OffsetQuery = 0,
) -> PageOut[DeliveryOut]:
    sink_id = chosen_sink(alerts, subscription)
    rows = listing(alerts, status=status, subscription_id=sink_id, limit=limit + 1, offset=offset)
    links = ctx.links(request)
    following = None
    if len(rows) > limit:
        query = request.query_params.multi_items()
        following = next_page(links, request.url.path, query, offset=offset, limit=limit)
        response.headers["Link"] = f'<{following}>; rel="next"'
    views = views_of(ctx, rows[:limit], alerts.subscriptions(), links)
    return PageOut[DeliveryOut](
        items=[delivery_out(v, delivery_links(links, v)) for v in views],
        limit=limit,
        offset=offset,
        total=total(alerts.counts(), status, sink_id),
        next=following,
    )


@api.post(
    "/deliveries/retry",
    dependencies=[AdminDep],
    summary="Queue deliveries again: the ids given, or every dead one (admin)",
    responses={**NOT_FOUND, 409: {"description": "A delivery was delivered already"}},
)
def retry_deliveries(body: RetryIn, ctx: Ctx, alerts: AlertsDep) -> RetryOut:
    if body.ids is not None:
        return RetryOut(queued=retry_chosen(ctx, alerts, body.ids))
    return RetryOut(queued=retry_dead(ctx, alerts, chosen_sink(alerts, body.subscription)))


@api.get(
    "/{subscription_id}", summary="One alert sink with its rules and queue", responses=NOT_FOUND
)
def get_sink(
    subscription_id: IdPath, request: Request, ctx: Ctx, alerts: AlertsDep
) -> SubscriptionOut:
    subscription = alerts.subscription(SubscriptionId(subscription_id))
    view = sink_view(subscription, alerts.counts().get(subscription.id, QueueCounts()))
    return subscription_out(subscription, view, sink_links(ctx.links(request), subscription.id))


@api.post(
    "/{subscription_id}/enable",
    dependencies=[AdminDep],
    summary="Switch a disabled sink on again; its held deliveries go out (admin)",
    responses=NOT_FOUND,
)
def enable_sink(
    subscription_id: IdPath, request: Request, ctx: Ctx, alerts: AlertsDep
) -> SubscriptionOut:
    subscription = alerts.set_enabled(SubscriptionId(subscription_id), True, at=ctx.clock())
    ctx.alerts_changed()
    view = sink_view(subscription, alerts.counts().get(subscription.id, QueueCounts()))
    return subscription_out(subscription, view, sink_links(ctx.links(request), subscription.id))
