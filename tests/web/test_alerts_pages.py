"""The alert pages and their JSON API, through FastAPI's TestClient, over a real SQLite
database: sinks and deliveries are seeded through the SQL alert store's own port (enqueue,
claim, complete), change events through the real differ."""

from __future__ import annotations

import base64
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from lxml import html as lxml_html

from alerts.alert import SinkKind
from alerts.model import (
    Decision,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    QueueCounts,
    Rules,
    Subscription,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from alerts.sql import SqlAlertStore
from diffing.model import ChangeKind
from storage import SqlStore, create_engine_for, sqlite_url
from storage.model import StoredChange
from tests.storage.builders import Feed, entry, story
from tests.web.conftest import ADMIN_TOKEN, TestClient, login, settings_for
from web import SqlArchive, create_app
from web.alertview import DeliveryFilter, changes_by_id, total, trouble
from web.context import ALERTS_NOT_CONFIGURED, TROUBLE_TTL

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


@pytest.fixture(scope="session")
def seeded_template(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> tuple[Path, Seeded]:
    """A migrated SQLite file seeded once per session (copied for each test)."""
    path = tmp_path_factory.mktemp("alerts") / "alerts.db"
    shutil.copyfile(sqlite_template, path)
    return path, seed(sqlite_url(path))


@pytest.fixture
def seeded(tmp_path: Path, seeded_template: tuple[Path, Seeded]) -> Seeded:
    template, seeded = seeded_template
    path = tmp_path / "alerts.db"
    shutil.copyfile(template, path)
    return replace(seeded, url=sqlite_url(path))


AppFactory = Callable[..., TestClient]


@pytest.fixture
def make_alert_client() -> Iterator[AppFactory]:
    """``make(url, token=..., alerts=True, alerts_url=None, clock=..., **web)``: a client
    of the app over ``url``, with the SQL alert store on the same database (or
    ``alerts_url``'s, or none)."""
    opened: list[Any] = []

    def build(
        url: str,
        *,
        token: str | None = ADMIN_TOKEN,
        alerts: bool = True,
        alerts_url: str | None = None,
        clock: Callable[[], datetime] = lambda: NOW,
        **web: Any,
    ) -> TestClient:
        store = SqlStore(create_engine_for(url))
        archive = SqlArchive(create_engine_for(url))
        alert_store = SqlAlertStore(create_engine_for(alerts_url or url)) if alerts else None
        opened.extend(x for x in (store, archive, alert_store) if x is not None)
        app: FastAPI = create_app(
            store,
            settings_for(admin_token=token, **web),
            archive=archive,
            clock=clock,
            alerts=alert_store,
        )
        client = TestClient(app)
        opened.append(client)
        return client

    yield build
    for thing in reversed(opened):
        thing.close()


@pytest.fixture
def client(make_alert_client: AppFactory, seeded: Seeded) -> TestClient:
    return make_alert_client(seeded.url)


@pytest.fixture
def alerts(seeded: Seeded) -> Iterator[SqlAlertStore]:
    """The alert store of the seeded database, to check what the app wrote."""
    store = SqlAlertStore(create_engine_for(seeded.url))
    yield store
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


# Without an alert store


def test_without_an_alert_store_the_alert_pages_say_so(
    make_alert_client: AppFactory, seeded: Seeded
) -> None:
    client = make_alert_client(seeded.url, alerts=False)
    for path in ("/alerts", "/alerts/deliveries"):
        page = client.get(path)
        assert page.status_code == 404
        assert ALERTS_NOT_CONFIGURED in page.text
    for path in ("/api/alerts", "/api/alerts/deliveries", "/api/alerts/1"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.json() == {"detail": ALERTS_NOT_CONFIGURED}
    refused = client.post("/api/alerts/1/enable", headers=BEARER)
    assert refused.status_code == 404
    home = client.get("/")
    assert home.status_code == 200
    assert "/alerts" not in home.text


def test_without_sinks_the_pages_say_how_to_add_one(
    make_alert_client: AppFactory, sqlite_db: str
) -> None:
    client = make_alert_client(sqlite_db)
    assert "tickerwatch alerts add slack URL" in client.get("/alerts").text
    assert "No deliveries here." in client.get("/alerts/deliveries").text
    assert client.get("/api/alerts").json() == []
    empty = client.get("/api/alerts/deliveries").json()
    assert (empty["items"], empty["total"], empty["next"]) == ([], 0, None)
    assert "alert-trouble" not in client.get("/").text


def test_pages_stay_up_when_the_alert_store_cannot_answer(
    make_alert_client: AppFactory, seeded: Seeded, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A database without the alert tables: every question to the alert store fails.
    client = make_alert_client(seeded.url, alerts_url=sqlite_url(tmp_path / "empty.db"))
    home = client.get("/")
    assert home.status_code == 200
    assert 'href="http://testserver/alerts"' in home.text
    assert "alert-trouble" not in home.text
    assert "alert status unavailable: OperationalError" in caplog.text


def test_the_navigation_warning_is_counted_at_most_every_half_minute(
    make_alert_client: AppFactory, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    now = [NOW]
    client = make_alert_client(seeded.url, clock=lambda: now[0])
    assert "1 sink disabled, 2 dead deliveries" in client.get("/").text
    # Changed behind the UI's back (by the CLI, say): the warning stays a while ...
    alerts.set_enabled(seeded.archive.id, True, at=NOW)
    alerts.retry(None, now=NOW)
    assert "alert-trouble" in client.get("/").text
    assert "alert-trouble" not in client.get("/alerts").text  # counted afresh there
    now[0] += TROUBLE_TTL
    assert "alert-trouble" not in client.get("/").text  # ... and is gone after it


# Reading


def test_the_sinks_page_shows_state_rules_and_queues(client: TestClient, seeded: Seeded) -> None:
    page = client.get("/alerts")
    assert page.status_code == 200
    found = elements(page.text, "//tr[@data-sink-id]")
    rows = {int(str(r.get("data-sink-id"))): r for r in found}
    assert list(rows) == [seeded.newsroom.id, seeded.archive.id]
    newsroom = rows[seeded.newsroom.id].text_content()
    assert "newsroom" in newsroom
    assert "https://hooks.slack.com/services/T0…/****" in newsroom
    assert "enabled" in newsroom
    for shown in ("tickers 1, 2 or tags politik", "added, edited", "'Kim'", "10%", "20/min"):
        assert shown in newsroom, shown
    numbers = [c.text_content().strip() for c in rows[seeded.newsroom.id].xpath("td[@class='num']")]
    pending = len(seeded.changes) + len(seeded.second) - 4
    assert numbers == [str(pending), "1", "2", "2"]
    archive = rows[seeded.archive.id].text_content()
    assert "disabled" in archive
    assert "HTTP 404 from https://receiver.example.org/hooks/Pr…?****" in archive
    assert "secret whsec_****" in archive
    # Not logged in: no admin forms, a way to log in.
    assert not [a for a in form_actions(page.text) if "/alerts/" in a]
    assert "/login?next=/alerts" in page.text


def test_the_api_lists_sinks_with_masked_urls_and_counts(
    client: TestClient, seeded: Seeded
) -> None:
    sinks = client.get("/api/alerts").json()
    assert [s["id"] for s in sinks] == [seeded.newsroom.id, seeded.archive.id]
    newsroom, archive = sinks
    assert newsroom["url"] == "https://hooks.slack.com/services/T0…/****"
    assert newsroom["secret"] == "none"
    assert newsroom["kind"] == "slack"
    assert newsroom["enabled"] is True
    assert newsroom["rules"]["kinds"] == ["added", "edited"]
    assert newsroom["rules"]["rate_per_minute"] == 20
    pending = len(seeded.changes) + len(seeded.second) - 4
    assert newsroom["deliveries"] == {"pending": pending, "failing": 1, "delivered": 2, "dead": 2}
    assert newsroom["links"]["deliveries"].endswith(
        f"/alerts/deliveries?subscription={seeded.newsroom.id}"
    )
    assert archive["enabled"] is False
    assert archive["secret"] == "whsec_****"
    assert archive["disabled_reason"].startswith("HTTP 404 from https://receiver.example.org/")
    assert archive["disabled_at"] is not None
    assert client.get(f"/api/alerts/{seeded.archive.id}").json() == archive
    missing = client.get("/api/alerts/99")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no alert sink 99"}


def test_deliveries_newest_first_with_their_states(client: TestClient, seeded: Seeded) -> None:
    body = client.get("/api/alerts/deliveries", params={"limit": 500}).json()
    items = body["items"]
    every = len(seeded.changes) * 2 + len(seeded.second)
    assert body["total"] == len(items) == every
    assert [i["id"] for i in items] == sorted((i["id"] for i in items), reverse=True)
    by_id = {i["id"]: i for i in items}
    dead = by_id[seeded.dead[0]]
    assert (dead["status"], dead["attempts"], dead["failing"]) == ("dead", 1, False)
    assert (
        dead["last_error"]
        == "send failed: ConnectError for https://hooks.slack.com/services/T0…/****"
    )
    failing = by_id[seeded.failing[0]]
    assert (failing["status"], failing["failing"], failing["last_status"]) == ("pending", True, 500)
    assert by_id[seeded.delivered[0]]["delivered_at"] is not None
    for status, expected in (
        ("dead", seeded.dead),
        ("failed", seeded.failing),
        ("delivered", seeded.delivered),
    ):
        assert sorted(api_ids(client, status=status)) == sorted(expected), status
        page = client.get("/alerts/deliveries", params={"status": status})
        assert sorted(ids_on(page.text, "data-delivery-id")) == sorted(expected), status
    pending = api_ids(client, status="pending")
    assert len(pending) == every - 4
    assert set(seeded.failing) <= set(pending)
    archive_only = api_ids(client, subscription=seeded.archive.id, status="pending")
    assert len(archive_only) == len(seeded.changes)
    refused = client.get("/api/alerts/deliveries", params={"status": "lost"})
    assert refused.status_code == 422
    assert client.get("/alerts/deliveries", params={"subscription": 99}).status_code == 404


def test_each_delivery_links_to_the_history_of_its_change(
    client: TestClient, seeded: Seeded
) -> None:
    items = client.get("/api/alerts/deliveries", params={"limit": 500}).json()["items"]
    changes = {c.id: c for c in seeded.changes + seeded.second}
    for item in items:
        change = changes[item["change_id"]]
        history = item["links"]["history"]
        if change.entry_id is None:  # a page retitle: the ticker's timeline
            assert history == f"http://testserver/tickers/{change.ticker_id}"
        else:
            assert history == f"http://testserver/entries/{change.entry_id}#change-{change.id}"
    assert any(changes[i["change_id"]].entry_id is None for i in items)
    page = client.get("/alerts/deliveries", params={"subscription": seeded.newsroom.id})
    rows = elements(page.text, "//tr[@data-delivery-id]")
    assert len(rows) == len(seeded.changes) + len(seeded.second)
    by_id = {i["id"]: i for i in items}
    for row in rows:
        item = by_id[int(str(row.get("data-delivery-id")))]
        hrefs = {str(a.get("href")) for a in row.xpath(".//a")}
        assert item["links"]["history"] in hrefs
        assert item["links"]["ticker"] in hrefs
        assert item["kind"] in row.text_content()
    assert "ticker-2" in page.text
    entry = next(i for i in items if "/entries/" in i["links"]["history"])
    history = client.get(entry["links"]["history"].split("#")[0])
    assert history.status_code == 200
    assert f'id="change-{entry["change_id"]}"' in history.text


def test_deliveries_page_through_the_same_rows(
    make_alert_client: AppFactory, seeded: Seeded
) -> None:
    client = make_alert_client(seeded.url, page_size=5)
    every = api_ids(client)
    shown: list[int] = []
    number = 1
    while True:
        page = client.get("/alerts/deliveries", params={"page": number})
        assert page.status_code == 200
        rows = ids_on(page.text, "data-delivery-id")
        assert len(rows) <= 5
        shown += rows
        if 'rel="next"' not in page.text:
            break
        number += 1
    assert shown == every
    assert number == -(-len(every) // 5)

    collected: list[int] = []
    url: str | None = "/api/alerts/deliveries?status=pending&limit=3"
    while url:
        response = client.get(url)
        body = response.json()
        collected += [i["id"] for i in body["items"]]
        url = body["next"]
        assert (response.headers.get("link") is not None) == (url is not None)
        assert body["total"] == len(every) - 4
    assert collected == api_ids(client, status="pending")
    assert len(collected) == len(every) - 4

    dead_pages = [
        ids_on(
            client.get("/alerts/deliveries", params={"status": "dead", "page": n}).text,
            "data-delivery-id",
        )
        for n in (1, 2)
    ]
    assert dead_pages == [sorted(seeded.dead, reverse=True), []]


# Credentials


def test_no_response_or_log_carries_a_sink_url_or_secret(
    client: TestClient, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    paths = [
        "/",
        "/alerts",
        "/api/alerts",
        f"/api/alerts/{seeded.newsroom.id}",
        f"/api/alerts/{seeded.archive.id}",
        "/api/alerts/deliveries?limit=500",
        "/alerts/deliveries",
        f"/alerts/deliveries?subscription={seeded.archive.id}",
        "/openapi.json",
    ]
    paths += [f"/alerts/deliveries?status={s.value}" for s in DeliveryFilter]
    paths += [f"/api/alerts/deliveries?status={s.value}" for s in DeliveryFilter]
    bodies = [client.get(p).text for p in paths]
    login(client)
    bodies += [client.get(p).text for p in paths]
    enabled = client.post(f"/api/alerts/{seeded.archive.id}/enable", headers=BEARER)
    bodies.append(enabled.text)
    bodies.append(client.get("/alerts").text)
    for body in bodies:
        for secret in HIDDEN:
            assert secret not in body
    for secret in HIDDEN:
        assert secret not in caplog.text
    assert any("hooks.slack.com/services/T0…/****" in b for b in bodies)


# Admin actions


def test_admin_actions_are_refused_without_credentials(
    client: TestClient, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    sink = seeded.archive.id
    missing = client.post(f"/api/alerts/{sink}/enable")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post(f"/api/alerts/{sink}/enable", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    retry = client.post("/api/alerts/deliveries/retry", json={"all_dead": True})
    assert retry.status_code == 401
    assert client.post(f"/alerts/{sink}/enable", data={"csrf": "x"}).status_code == 401
    login(client)
    for path in (f"/alerts/{sink}/enable", f"/alerts/{seeded.newsroom.id}/retry"):
        forged = client.post(path, data={"csrf": "forged"}, follow_redirects=False)
        assert forged.status_code == 403
        assert "CSRF check failed" in forged.text
    forged = client.post(
        f"/alerts/deliveries/{seeded.dead[0]}/retry", data={"csrf": ""}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert alerts.subscription(seeded.archive.id).enabled is False
    assert alerts.counts()[seeded.newsroom.id].dead == 2


def test_without_an_admin_token_alert_actions_are_refused(
    make_alert_client: AppFactory, seeded: Seeded
) -> None:
    client = make_alert_client(seeded.url, token=None)
    refused = client.post(f"/api/alerts/{seeded.archive.id}/enable", headers=BEARER)
    assert refused.status_code == 403
    assert "no admin token is configured" in refused.json()["detail"]
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "Admin actions are disabled" in page.text


def test_enabling_a_disabled_sink(
    client: TestClient, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    assert "sink disabled" in client.get("/").text  # the warning in the navigation
    csrf = login(client)
    page = client.get("/alerts")
    actions = form_actions(page.text)
    assert f"http://testserver/alerts/{seeded.archive.id}/enable" in actions
    assert f"http://testserver/alerts/{seeded.newsroom.id}/enable" not in actions
    done = client.post(
        f"/alerts/{seeded.archive.id}/enable", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"http://testserver/alerts#sink-{seeded.archive.id}"
    sink = alerts.subscription(seeded.archive.id)
    assert (sink.enabled, sink.disabled_reason, sink.disabled_at) == (True, None, None)
    assert "sink disabled" not in client.get("/").text
    # The same through the API; enabling an enabled sink changes nothing.
    again = client.post(f"/api/alerts/{seeded.archive.id}/enable", headers=BEARER)
    assert again.status_code == 200
    assert again.json()["enabled"] is True
    assert again.json()["disabled_reason"] is None
    assert client.post("/api/alerts/99/enable", headers=BEARER).status_code == 404


def test_enabling_through_the_api(client: TestClient, seeded: Seeded) -> None:
    enabled = client.post(f"/api/alerts/{seeded.archive.id}/enable", headers=BEARER)
    assert enabled.status_code == 200
    body = enabled.json()
    assert (body["enabled"], body["disabled_reason"], body["disabled_at"]) == (True, None, None)
    assert body["deliveries"]["pending"] == len(seeded.changes)


def test_retrying_every_dead_delivery_of_a_sink(
    client: TestClient, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    assert "2 dead deliveries" in client.get("/").text
    csrf = login(client)
    page = client.get("/alerts")
    assert f"/alerts/{seeded.newsroom.id}/retry" in page.text
    assert f"/alerts/{seeded.archive.id}/retry" not in page.text  # nothing dead there
    done = client.post(
        f"/alerts/{seeded.newsroom.id}/retry", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    location = done.headers["location"]
    assert location == f"http://testserver/alerts?queued=2#sink-{seeded.newsroom.id}"
    assert "Queued 2 deliveries again." in client.get(location).text
    for delivery_id in seeded.dead:
        delivery = alerts.delivery(delivery_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
        assert delivery.queued_at == delivery.next_attempt_at == NOW
    assert alerts.counts()[seeded.newsroom.id].dead == 0
    assert "dead deliver" not in client.get("/").text
    nothing = client.post(f"/alerts/{seeded.newsroom.id}/retry", data={"csrf": csrf})
    assert "Nothing to retry." in nothing.text


def test_retrying_one_delivery_from_the_deliveries_page(
    client: TestClient, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    csrf = login(client)
    listing = f"/alerts/deliveries?status=dead&subscription={seeded.newsroom.id}"
    actions = form_actions(client.get(listing).text)
    first, second = seeded.dead
    assert f"http://testserver/alerts/deliveries/{first}/retry" in actions
    assert "http://testserver/alerts/deliveries/retry" in actions
    form = {"csrf": csrf, "status": "dead", "subscription": str(seeded.newsroom.id), "page": "1"}
    for field_name, bad in (("status", "lost"), ("subscription", "x"), ("page", "0")):
        refused = client.post(f"/alerts/deliveries/{first}/retry", data={**form, field_name: bad})
        assert refused.status_code == 422, field_name
        assert f"{field_name}: not a" in refused.text
    assert alerts.delivery(first).status is DeliveryStatus.DEAD  # refused before acting
    done = client.post(f"/alerts/deliveries/{first}/retry", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == (
        f"http://testserver/alerts/deliveries?status=dead&subscription={seeded.newsroom.id}"
        "&queued=1"
    )
    assert alerts.delivery(first).status is DeliveryStatus.PENDING
    assert alerts.delivery(second).status is DeliveryStatus.DEAD
    after = client.get(done.headers["location"])
    assert ids_on(after.text, "data-delivery-id") == [second]
    assert "Queued 1 delivery again." in after.text
    delivered = client.post(
        f"/alerts/deliveries/{seeded.delivered[0]}/retry", data=form, follow_redirects=False
    )
    assert delivered.status_code == 409
    assert "was delivered already" in delivered.text
    all_dead = client.post("/alerts/deliveries/retry", data=form, follow_redirects=False)
    assert all_dead.status_code == 303
    assert "queued=1" in all_dead.headers["location"]
    assert alerts.delivery(second).status is DeliveryStatus.PENDING


def test_retrying_through_the_api(
    client: TestClient, seeded: Seeded, alerts: SqlAlertStore
) -> None:
    retry = "/api/alerts/deliveries/retry"
    first, second = seeded.dead
    one = client.post(retry, json={"ids": [first]}, headers=BEARER)
    assert one.status_code == 200
    assert one.json() == {"queued": 1}
    assert alerts.delivery(first).status is DeliveryStatus.PENDING
    assert alerts.delivery(second).status is DeliveryStatus.DEAD
    failing = alerts.delivery(seeded.failing[0])
    assert failing.next_attempt_at > NOW
    now = client.post(retry, json={"ids": [seeded.failing[0]]}, headers=BEARER)
    assert now.json() == {"queued": 1}
    assert alerts.delivery(seeded.failing[0]).next_attempt_at == NOW  # due now
    refused: list[dict[str, Any]] = [
        {},
        {"ids": [first], "all_dead": True},
        {"ids": []},
        {"subscription": 1},
        {"ids": [first], "subscription": 1},
    ]
    for bad in refused:
        assert client.post(retry, json=bad, headers=BEARER).status_code == 422, bad
    gone = client.post(retry, json={"ids": [9999]}, headers=BEARER)
    assert gone.status_code == 404
    assert gone.json() == {"detail": "no delivery 9999"}
    delivered = client.post(retry, json={"ids": [seeded.delivered[0]]}, headers=BEARER)
    assert delivered.status_code == 409
    other = client.post(
        retry, json={"all_dead": True, "subscription": seeded.archive.id}, headers=BEARER
    )
    assert other.json() == {"queued": 0}
    assert alerts.delivery(second).status is DeliveryStatus.DEAD
    every = client.post(retry, json={"all_dead": True}, headers=BEARER)
    assert every.json() == {"queued": 1}
    assert alerts.counts()[seeded.newsroom.id] == QueueCounts(
        pending=len(seeded.changes) + len(seeded.second) - 2, failing=1, delivered=2
    )
    assert (
        client.post(retry, json={"all_dead": True, "subscription": 99}, headers=BEARER).status_code
        == 404
    )


def test_the_openapi_document_describes_the_alert_api(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    assert set(paths["/api/alerts"]) == {"get"}
    assert set(paths["/api/alerts/deliveries"]) == {"get"}
    assert set(paths["/api/alerts/deliveries/retry"]) == {"post"}
    assert set(paths["/api/alerts/{subscription_id}"]) == {"get"}
    assert set(paths["/api/alerts/{subscription_id}/enable"]) == {"post"}
    assert not [p for p in paths if p.startswith("/alerts")]  # pages are not API
    parameters = {p["name"] for p in paths["/api/alerts/deliveries"]["get"]["parameters"]}
    assert parameters == {"status", "subscription", "limit", "offset"}
    schemas = document["components"]["schemas"]
    assert {"url", "secret", "rules", "deliveries", "disabled_reason"} <= set(
        schemas["SubscriptionOut"]["properties"]
    )
    assert {"ids", "all_dead", "subscription"} == set(schemas["RetryIn"]["properties"])


# The pure parts


def test_totals_and_trouble_from_the_queue_counts() -> None:
    counts = {
        SubscriptionId(1): QueueCounts(pending=5, failing=2, delivered=7, dead=1),
        SubscriptionId(2): QueueCounts(pending=1, delivered=3),
    }
    assert total(counts, None) == 17
    assert total(counts, DeliveryFilter.FAILED) == 2
    assert total(counts, DeliveryFilter.PENDING, SubscriptionId(2)) == 1
    assert total(counts, DeliveryFilter.DEAD, SubscriptionId(3)) == 0
    assert [f.stored.value for f in DeliveryFilter] == ["pending", "pending", "dead", "delivered"]
    found = trouble([], counts)
    assert found is not None
    assert found.summary == "1 dead delivery"
    assert trouble([], {SubscriptionId(2): counts[SubscriptionId(2)]}) is None


def test_changes_are_looked_up_by_id_in_ranges(seeded: Seeded) -> None:
    store = SqlStore(create_engine_for(seeded.url))
    try:
        every = seeded.changes + seeded.second
        wanted = {every[0].id, every[-1].id, every[-1].id + 500}
        found = changes_by_id(store, wanted)
        assert set(found) == {every[0].id, every[-1].id}
        assert found[every[0].id] == every[0]
    finally:
        store.close()
