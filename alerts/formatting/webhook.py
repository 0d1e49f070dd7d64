"""Generic JSON webhooks, signed per Standard Webhooks.

The body is ``{"type", "timestamp", "data"}``:

- ``tickerwatch.change``: ``data`` is one change object;
- ``tickerwatch.digest``: ``data`` is ``{"ticker", "changes": [change objects]}``.

A change object is the replay contract's event (:func:`diffing.wire.change_as_json`:
``snapshot``, ``kind``, ``changed``, ``entry_id``, ``title``, ``text``, ``time``,
``previous``, ``similarity``) plus ``"ticker": {"id", "name", "url"}`` and
``"links": {"history", "source"}``. Nothing is cut: receivers get the whole text.

Headers: ``webhook-id`` (the delivery id, the same on every retry), ``webhook-timestamp``
(``now`` in Unix seconds) and, when a secret is configured, ``webhook-signature``
(:mod:`alerts.formatting.signing`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.alert import Alert, Message, Payload
from alerts.formatting.limits import dump
from alerts.formatting.signing import signature_headers, timestamp
from alerts.formatting.view import message_views

CHANGE_TYPE = "tickerwatch.change"
DIGEST_TYPE = "tickerwatch.digest"


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The signed JSON request for ``message`` (``url`` unused: the sink's own)."""
    message_views(message)  # refuses kinds that are never alerted
    first = message.alerts[0]
    if message.is_digest:
        data: dict[str, Any] = {
            "ticker": ticker_document(first),
            "changes": [change_document(alert) for alert in message.alerts],
        }
    else:
        data = change_document(first)
    document = {
        "type": DIGEST_TYPE if message.is_digest else CHANGE_TYPE,
        "timestamp": now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "data": data,
    }
    body = dump(document)
    if secret:
        headers = signature_headers(message.delivery_id, body, secret, now=now)
    else:
        headers = (
            ("webhook-id", message.delivery_id),
            ("webhook-timestamp", str(timestamp(now))),
        )
    return Payload(body=body, content_type="application/json", headers=headers)


def change_document(alert: Alert) -> dict[str, Any]:
    """One alert as the webhook's change object."""
    change = alert.change
    return {
        **change.as_json(),
        "ticker": ticker_document(alert),
        "links": {"history": alert.history_url, "source": alert.source_url},
    }


def ticker_document(alert: Alert) -> dict[str, Any]:
    return {"id": alert.change.ticker_id, "name": alert.ticker_name, "url": alert.source_url}
