"""The JSON API's documents about alert sinks and deliveries (pydantic models, so the
OpenAPI document describes them). URLs and secrets arrive masked (``alerts.views``);
wire only: nothing here decides anything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from alerts.model import Subscription
from alerts.views import delivery_as_json, subscription_as_json
from storage.model import MAX_ID
from web.alertview import DeliveryView, SinkView


class AlertRulesOut(BaseModel):
    tickers: list[int]
    tags: list[str]
    kinds: list[str]
    include: list[str]
    exclude: list[str]
    min_edit: float
    digest_window_s: float | None = Field(description="None: the [alerts] setting.")
    digest_threshold: int | None = Field(description="None: the [alerts] setting.")
    rate_per_minute: float | None = Field(description="None: the [alerts] setting.")


class QueueCountsOut(BaseModel):
    pending: int = Field(description="Waiting to be sent, the failing ones included.")
    failing: int = Field(description="Pending ones whose attempts failed so far.")
    delivered: int
    dead: int = Field(description="Given up on; waiting to be retried by hand.")


class SubscriptionOut(BaseModel):
    """An alert sink. Its URL and secret are credentials: shown masked only."""

    id: int
    name: str
    kind: str
    url: str = Field(description="The sink's URL, masked.")
    secret: str = Field(description="Whether a signing secret or token is set (masked).")
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    rules: AlertRulesOut
    rules_summary: str
    deliveries: QueueCountsOut
    created_at: datetime
    links: dict[str, str]


class DeliveryOut(BaseModel):
    """One change event for one sink."""

    id: int
    key: str = Field(description="The message's id, the same on every retry.")
    sink_id: int
    change_id: int
    ticker_id: int
    kind: str
    status: Literal["pending", "delivered", "dead"]
    failing: bool = Field(description="Pending after failed attempts.")
    attempts: int
    observed_at: datetime
    queued_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    message: int | None = Field(description="The delivery leading the message it is sent in.")
    last_status: int | None = Field(description="The sink's last HTTP status.")
    last_error: str | None
    links: dict[str, str]


class RetryIn(BaseModel):
    """Deliveries to queue again: ``ids``, or every dead one (of one sink when given)."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        default=None, min_length=1, max_length=1000
    )
    all_dead: bool = False
    subscription: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="With all_dead: this sink's."
    )

    @model_validator(mode="after")
    def _one_choice(self) -> RetryIn:
        if (self.ids is None) == (not self.all_dead):
            raise ValueError("name deliveries to retry (ids) or set all_dead, not both")
        if self.subscription is not None and not self.all_dead:
            raise ValueError("subscription narrows all_dead only")
        return self


class RetryOut(BaseModel):
    queued: int = Field(description="Deliveries queued again or made due now.")


def subscription_out(
    subscription: Subscription, view: SinkView, links: dict[str, str]
) -> SubscriptionOut:
    document = subscription_as_json(subscription, view.counts)
    return SubscriptionOut.model_validate(
        {
            **document,
            "url": view.url,
            "secret": view.secret,
            "disabled_reason": view.disabled_reason,
            "disabled_at": view.disabled_at,
            "created_at": subscription.created_at,
            "rules_summary": view.rules,
            "links": links,
        }
    )


def delivery_out(view: DeliveryView, links: dict[str, str]) -> DeliveryOut:
    delivery = view.delivery
    return DeliveryOut.model_validate(
        {
            **delivery_as_json(delivery),
            "failing": view.failing,
            "observed_at": delivery.observed_at,
            "queued_at": delivery.queued_at,
            "next_attempt_at": delivery.next_attempt_at,
            "delivered_at": delivery.delivered_at,
            "last_error": view.last_error,
            "links": links,
        }
    )
