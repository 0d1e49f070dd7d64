"""Handing the storage outbox over to alert delivery.

:func:`dispatch` reads the alertable change events the outbox holds (written by
``record_poll`` in the poll's own transaction), queues one delivery for every sink whose
rules match, and only then takes the events out of the outbox. A crash between the two
steps leaves the events in the outbox; the next run queues them again, which adds
nothing (deliveries are unique per sink and event). So no event is lost and none is
queued twice. Sinks that are switched off still get their deliveries queued: they wait.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from alerts.errors import InvalidSubscription
from alerts.model import SubscriptionId
from alerts.ports import AlertStore
from alerts.rules import Matcher
from storage.errors import TickerNotFound
from storage.model import StoredChange, Ticker, TickerId
from storage.ports import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Dispatched:
    """``events`` taken from the outbox, ``queued`` deliveries made of them."""

    events: int = 0
    queued: int = 0


def dispatch(store: Store, alerts: AlertStore, *, now: datetime, limit: int) -> Dispatched:
    """Move up to ``limit`` outbox events into the delivery queue (see the module)."""
    events = store.outbox(limit=limit)
    if not events:
        return Dispatched()
    matchers: list[tuple[SubscriptionId, Matcher]] = []
    for subscription in alerts.subscriptions():
        try:
            matchers.append((subscription.id, Matcher(subscription.rules)))
        except InvalidSubscription as error:  # stored before a rule became stricter
            log.error("alert sink %d has rules that cannot work: %s", subscription.id, error)
    tickers: dict[TickerId, Ticker | None] = {}
    items: list[tuple[SubscriptionId, StoredChange]] = []
    for event in events:
        ticker = _ticker(store, event.ticker_id, tickers)
        if ticker is None:
            continue  # removed since the poll: its alerts went with it
        items.extend((sid, event) for sid, matcher in matchers if matcher.matches(ticker, event))
    queued = alerts.enqueue(items, created_at=now)
    store.mark_dispatched([e.id for e in events])
    return Dispatched(events=len(events), queued=queued)


def _ticker(
    store: Store, ticker_id: TickerId, cache: dict[TickerId, Ticker | None]
) -> Ticker | None:
    if ticker_id not in cache:
        try:
            cache[ticker_id] = store.get(ticker_id)
        except TickerNotFound:
            cache[ticker_id] = None
    return cache[ticker_id]
