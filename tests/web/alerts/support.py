"""Seeding and reading helpers of the alert page tests: sinks and deliveries through
the SQL alert store's own port (enqueue, claim, complete) over a real SQLite database,
change events through the real differ."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import html as lxml_html

from alerts.alert import SinkKind
from alerts.model import (
    Decision,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    Rules,
    Subscription,
)
from alerts.policy import DeliveryPolicy
from alerts.sql import SqlAlertStore
from diffing.model import ChangeKind
from storage import SqlStore, create_engine_for
from storage.model import StoredChange
from tests.storage.builders import Feed, entry, story
from tests.web.conftest import ADMIN_TOKEN, TestClient

NOW = datetime(2026, 4, 24, 9, 0, tzinfo=UTC)
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# The parts of the sinks' URLs and secret that must never be shown.
SLACK_SECRETS = ("T0SECRET1", "B0SECRET2", "TopSecretToken0123456789")
SLACK = f"https://hooks.slack.com/services/{'/'.join(SLACK_SECRETS)}"
HOOK_TOKEN = "PrivatePathToken987"
HOOK = f"https://receiver.example.org/hooks/{HOOK_TOKEN}?sig=QuerySecret55"
SIGNING = base64.b64encode(b"signing-key-of-the-archive-0123").decode()
HIDDEN = (*SLACK_SECRETS, HOOK_TOKEN, "QuerySecret55", SIGNING, SIGNING[:12])
POLICY = DeliveryPolicy(default_rate_per_minute=0.0, digest_threshold=0)


@dataclass
class Seeded:
    """Two sinks over two tickers, their deliveries in every state.

    ``newsroom`` (Slack, ticker 1's and ticker 2's changes): on ticker 1 two delivered,
    two dead (one error naming the URL), one failing, the rest pending; ticker 2 pending.
    ``archive`` (signed webhook, ticker 1's changes) disabled after a 404 whose reason
    names the URL, its first delivery failing, the rest pending.
    """

    url: str
    newsroom: Subscription
    archive: Subscription
    changes: list[StoredChange]
    second: list[StoredChange]
    delivered: list[DeliveryId] = field(default_factory=list)
    dead: list[DeliveryId] = field(default_factory=list)
    failing: list[DeliveryId] = field(default_factory=list)
    clock: datetime = NOW - timedelta(hours=2)

    def step(
        self, alerts: SqlAlertStore, sink: Subscription, ticker_id: int, **decision: Any
    ) -> DeliveryId:
        """Claim the head of one lane and record one attempt's outcome on it."""
        self.clock += timedelta(seconds=10)  # past every other lane's one-second lease
        claims = alerts.claim(now=self.clock, limit=100, lease_s=1.0, worker="t", policy=POLICY)
        (claim,) = [
            c
            for c in claims
            if c.subscription.id == sink.id and c.deliveries[0].ticker_id == ticker_id
        ]
        settled = {"at": self.clock, "next_attempt_at": self.clock, **decision}
        alerts.complete([Decision(sink.id, claim.ids, claim.lease, **settled)])
        (delivery_id,) = claim.ids
        return delivery_id


def seed(url: str) -> Seeded:
    store = SqlStore(create_engine_for(url))
    alerts = SqlAlertStore(create_engine_for(url))
    try:
        ticker_1 = story(store)
        ticker_2 = Feed(store, "ticker-2")
        ticker_2.poll(entry("Zweiter Ticker, erste Meldung."), entry("Und noch eine Meldung."))
        outbox = store.outbox(limit=1000)
        changes = [c for c in outbox if c.ticker_id == ticker_1.ticker_id]
        second = [c for c in outbox if c.ticker_id == ticker_2.ticker_id]
        rules = Rules(
            tags=("politik",),
            tickers=(1, 2),
            kinds=(ChangeKind.ADDED, ChangeKind.EDITED),
            include=("Kim",),
            min_edit=0.1,
            rate_per_minute=20,
        )
        newsroom = alerts.add_subscription(
            NewSubscription(SinkKind.SLACK, SLACK, "newsroom", rules), created_at=NOW
        )
        archive = alerts.add_subscription(
            NewSubscription(SinkKind.WEBHOOK, HOOK, "archive", secret=f"whsec_{SIGNING}"),
            created_at=NOW,
        )
        items = [(newsroom.id, c) for c in changes + second] + [(archive.id, c) for c in changes]
        alerts.enqueue(items, created_at=NOW - timedelta(hours=3))
        seeded = Seeded(url, newsroom, archive, changes, second)
        one = ticker_1.ticker_id
        delivered = DeliveryStatus.DELIVERED
        for _ in range(2):
            seeded.delivered.append(seeded.step(alerts, newsroom, one, status=delivered))
        seeded.dead.append(
            seeded.step(
                alerts,
                newsroom,
                one,
                status=DeliveryStatus.DEAD,
                error=f"send failed: ConnectError for {SLACK}",
            )
        )
        seeded.dead.append(
            seeded.step(
                alerts,
                newsroom,
                one,
                status=DeliveryStatus.DEAD,
                http_status=400,
                error="HTTP 400: invalid_payload",
            )
        )
        later = seeded.clock + timedelta(days=1)
        seeded.failing.append(
            seeded.step(
                alerts,
                newsroom,
                one,
                status=DeliveryStatus.PENDING,
                next_attempt_at=later,
                http_status=500,
                error="HTTP 500",
            )
        )
        seeded.failing.append(
            seeded.step(
                alerts,
                archive,
                one,
                status=DeliveryStatus.PENDING,
                http_status=404,
                error="HTTP 404",
                disable=f"HTTP 404 from {HOOK} at 2026-04-24 07:01 UTC",
            )
        )
        return seeded
    finally:
        alerts.close()
        store.close()


def elements(page: str, path: str) -> list[Any]:
    found: Any = lxml_html.fromstring(page).xpath(path)
    return list(found)


def ids_on(page: str, attribute: str) -> list[int]:
    return [int(str(e.get(attribute))) for e in elements(page, f"//*[@{attribute}]")]


def form_actions(page: str) -> set[str]:
    return {str(f.get("action")) for f in elements(page, "//form[@method='post']")}


def api_ids(client: TestClient, **query: Any) -> list[int]:
    body = client.get("/api/alerts/deliveries", params={"limit": 500, **query}).json()
    return [int(item["id"]) for item in body["items"]]


AppFactory = Callable[..., TestClient]
