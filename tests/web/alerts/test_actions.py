"""The alert pages and their JSON API, acted on: credentials never shown, admin actions
(enable a sink, retry deliveries) only with the admin token and CSRF."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from alerts.model import (
    DeliveryStatus,
    QueueCounts,
)
from alerts.sql import SqlAlertStore
from tests.web.alerts.support import (
    BEARER,
    HIDDEN,
    NOW,
    AppFactory,
    Seeded,
    form_actions,
    ids_on,
)
from tests.web.conftest import TestClient, login
from web.alertview import DeliveryFilter

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
