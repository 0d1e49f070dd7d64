"""The alert pages and their JSON API, read: sinks, deliveries, states, links, pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.model import (
    QueueCounts,
    SubscriptionId,
)
from alerts.sql import SqlAlertStore
from storage import SqlStore, create_engine_for, sqlite_url
from tests.web.alerts.support import (
    BEARER,
    NOW,
    AppFactory,
    Seeded,
    api_ids,
    elements,
    form_actions,
    ids_on,
)
from tests.web.conftest import TestClient
from web.alertview import DeliveryFilter, changes_by_id, total, trouble
from web.context import ALERTS_NOT_CONFIGURED, TROUBLE_TTL

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
