"""Webhook URLs are credentials: masked wherever they are shown or logged."""

from __future__ import annotations

import logging

import httpx
import pytest

from alerts.alert import SinkKind
from alerts.model import NewSubscription, Rules, Subscription, SubscriptionId
from alerts.secrets import SinkUrlFilter, mask_secret, mask_url, scrub
from tests.alerts.conftest import START


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx",
            "https://hooks.slack.com/services/T0…/****",
        ),
        (
            "https://discord.com/api/webhooks/123456789012345678/AbCdEf-token",
            "https://discord.com/api/webhooks/12…/****",
        ),
        (
            "https://mattermost.example.org/hooks/xi3nd8k3jd",
            "https://mattermost.example.org/hooks/xi…",
        ),
        ("https://ntfy.sh/my-secret-topic", "https://ntfy.sh/my…"),
        (
            "https://chat.googleapis.com/v1/spaces/AAAAxyz/messages?key=K&token=T",
            "https://chat.googleapis.com/v1/spaces/AA…/****?****",
        ),
        (
            "https://prod-01.westeurope.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/invoke?sig=S",
            "https://prod-01.westeurope.logic.azure.com:443/workflows/0a…/****?****",
        ),
        ("https://user:pass@example.org/hook", "https://****@example.org/ho…"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("tgram://123456:ABCDEF/4242", "tgram://12…"),
        ("mailto://user:password@gmail.com", "mailto://us…"),
        ("not a url at all", "no…"),
        ("http://[::1", "http://[:…"),
    ],
)
def test_urls_are_masked(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_secrets_are_never_shown() -> None:
    assert mask_secret(None) == "none"
    assert mask_secret("whsec_c2VjcmV0") == "whsec_****"
    assert mask_secret("syt_abc") == "****"


def test_an_error_message_loses_its_secrets() -> None:
    url = "https://hooks.slack.com/services/T0/B0/XYZ"
    text = scrub(f"cannot connect to {url} with token syt_abc", (url, "syt_abc", ""))
    assert text == "cannot connect to https://hooks.slack.com/services/T0…/**** with token ****"


def test_a_sinks_repr_hides_url_and_secret() -> None:
    url = "https://receiver.example.org/hooks/S3CR3T"
    new = NewSubscription(SinkKind.WEBHOOK, url, "w", Rules(), "whsec_c2VjcmV0")
    stored = Subscription(
        SubscriptionId(1), SinkKind.WEBHOOK, url, "w", Rules(), "whsec_c2VjcmV0", START
    )
    for value in (new, stored):
        assert "S3CR3T" not in repr(value)
        assert "c2VjcmV0" not in repr(value)


def test_httpx_request_lines_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    url = "https://hooks.slack.com/services/T0/B0/XYZ"
    url_filter = SinkUrlFilter().install()
    url_filter.register(url)
    try:
        with caplog.at_level(logging.INFO, logger="httpx"):
            # The very call httpx makes after each request.
            logging.getLogger("httpx").info(
                'HTTP Request: %s %s "%s %d %s"', "POST", httpx.URL(url), "HTTP/1.1", 200, "OK"
            )
            logging.getLogger("httpx").info("HTTP Request: POST https://other.example/x")
    finally:
        url_filter.uninstall()
    first, second = (r.getMessage() for r in caplog.records)
    assert "XYZ" not in first
    assert "https://hooks.slack.com/services/T0…/****" in first
    assert second.endswith("https://other.example/x")
