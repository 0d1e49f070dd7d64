"""Alert rows ⇄ alert values. Pure."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Row

from alerts.alert import SinkKind
from alerts.model import (
    Delivery,
    DeliveryId,
    DeliveryStatus,
    Rules,
    Subscription,
    SubscriptionId,
)
from alerts.tables import DeliveryRow, SubscriptionRow
from alerts.views import rules_as_json
from diffing.model import ChangeKind
from storage.model import TickerId

BATCH = 500  # ids per IN (...), well below every database's parameter limit


def rules_text(rules: Rules) -> str:
    return json.dumps(rules_as_json(rules), ensure_ascii=False, sort_keys=True)


def rules_from_text(text: str) -> Rules:
    document: Mapping[str, Any] = json.loads(text)
    return Rules(
        tickers=tuple(int(t) for t in document.get("tickers", ())),
        tags=tuple(str(t) for t in document.get("tags", ())),
        desks=tuple(int(d) for d in document.get("desks", ())),
        kinds=tuple(ChangeKind(k) for k in document.get("kinds", ())),
        include=tuple(str(k) for k in document.get("include", ())),
        exclude=tuple(str(k) for k in document.get("exclude", ())),
        min_edit=float(document.get("min_edit", 0.0)),
        digest_window_s=document.get("digest_window_s"),
        digest_threshold=document.get("digest_threshold"),
        rate_per_minute=document.get("rate_per_minute"),
    )


def subscription_from_row(row: SubscriptionRow | Row[Any]) -> Subscription:
    """A sink from its ORM row or a Core row of ``alert_subscription``."""
    if row.id is None:
        raise ValueError("an alert_subscription row without an id")
    return Subscription(
        id=SubscriptionId(row.id),
        kind=SinkKind(row.kind),
        url=row.url,
        name=row.name,
        rules=rules_from_text(row.rules),
        secret=row.secret,
        created_at=row.created_at,
        enabled=row.enabled,
        disabled_reason=row.disabled_reason,
        disabled_at=row.disabled_at,
        not_before=row.not_before,
    )


def delivery_from_row(row: DeliveryRow | Row[Any]) -> Delivery:
    """A delivery from its ORM row or a Core row of ``alert_delivery``."""
    if row.id is None:
        raise ValueError("an alert_delivery row without an id")
    return Delivery(
        id=DeliveryId(row.id),
        key=row.key,
        subscription_id=SubscriptionId(row.subscription_id),
        change_id=row.change_event_id,
        ticker_id=TickerId(row.ticker_id),
        kind=ChangeKind(row.kind),
        observed_at=row.observed_at,
        status=DeliveryStatus(row.status),
        created_at=row.created_at,
        queued_at=row.queued_at,
        next_attempt_at=row.next_attempt_at,
        attempts=row.attempts,
        leased_until=row.leased_until,
        group_id=DeliveryId(row.group_id) if row.group_id is not None else None,
        last_status=row.last_status,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
    )


def chunks(ids: Collection[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)]
