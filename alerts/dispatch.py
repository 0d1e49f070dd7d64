"""Handing the storage outbox over to alert delivery.

:func:`dispatch` reads the alertable change events the outbox holds (written by
``record_poll`` in the poll's own transaction), queues one delivery for every sink whose
rules match, and only then takes the events out of the outbox. A crash between the two
steps leaves the events in the outbox; the next run queues them again, which adds
nothing (deliveries are unique per sink and event). So no event is lost and none is
queued twice. Sinks that are switched off still get their deliveries queued: they wait.

:func:`add_sink` is how a sink is added: from now on. The events waiting in the outbox
were recorded before the sink existed, so they are handed to the sinks of their time
first; the new sink gets the events recorded after it. With ``backfill`` it is added
first and also gets the waiting ones: every event alert delivery has not handed over
yet (an event handed over earlier went to the sinks of its time and is not sent again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from alerts.errors import InvalidSubscription, NotPlatformUrl
from alerts.model import NewSubscription, Subscription, SubscriptionId
from alerts.platforms import platform_url_problem
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


@dataclass(frozen=True, slots=True)
class AddedSink:
    """A new sink, and how many waiting events it gets from before it was added
    (``backfilled``) or were handed to the other sinks first (``handed_over``)."""

    subscription: Subscription
    backfilled: int = 0
    handed_over: int = 0


def add_sink(
    store: Store,
    alerts: AlertStore,
    new: NewSubscription,
    *,
    now: datetime,
    backfill: bool = False,
    any_host: bool = False,
    limit: int = 500,
) -> AddedSink:
    """Add a sink that gets the change events recorded from now on, or with ``backfill``
    also those still waiting in the outbox (see the module). A hosted platform's sink
    must have the platform's URL form unless ``any_host`` (:mod:`alerts.platforms`;
    raises :class:`~alerts.errors.NotPlatformUrl`). ``tickerwatch alerts add`` and the
    demo add their sinks through here, and so must any other way of adding one, so
    that they all behave alike (``AlertStore.add_subscription`` only stores)."""
    problem = platform_url_problem(new.kind, new.url, allow_any_host=any_host)
    if problem is not None:
        raise NotPlatformUrl(problem)
    if backfill:
        subscription = alerts.add_subscription(new, created_at=now)
        _drain(store, alerts, now=now, limit=limit)
        waiting = alerts.counts().get(subscription.id)
        return AddedSink(subscription, backfilled=waiting.pending if waiting else 0)
    handed_over = _drain(store, alerts, now=now, limit=limit)
    # An event recorded between the two steps goes to the new sink too: it was recorded
    # as the sink was added, and that moment cannot be split finer.
    subscription = alerts.add_subscription(new, created_at=now)
    return AddedSink(subscription, handed_over=handed_over)


def _drain(store: Store, alerts: AlertStore, *, now: datetime, limit: int) -> int:
    """Dispatch until the outbox is empty; how many events were handed over."""
    events = 0
    while True:
        handed = dispatch(store, alerts, now=now, limit=limit)
        events += handed.events
        if handed.events < limit:
            return events


def _ticker(
    store: Store, ticker_id: TickerId, cache: dict[TickerId, Ticker | None]
) -> Ticker | None:
    if ticker_id not in cache:
        try:
            cache[ticker_id] = store.get(ticker_id)
        except TickerNotFound:
            cache[ticker_id] = None
    return cache[ticker_id]
