"""Standard Webhooks signatures: the published test vector, round trips, and refusals."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from alerts.alert import SinkKind
from alerts.formatting import render, verify_webhook
from alerts.formatting.signing import secret_bytes, signature, signature_headers
from tests.alerts.formatting.cases import URLS, WEBHOOK_SECRET
from tests.alerts.formatting.factory import NOW, added, alert, message

# The specification's example (standard-webhooks/standard-webhooks, also the svix test
# suites): secret, message id, timestamp and body, and the signature they must give.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
VECTOR_NOW = datetime.fromtimestamp(VECTOR_TS, tz=UTC)


def vector_headers(signatures: str = VECTOR_SIGNATURE) -> dict[str, str]:
    return {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TS),
        "webhook-signature": signatures,
    }


def test_signature_reproduces_the_published_test_vector() -> None:
    assert signature(VECTOR_ID, VECTOR_TS, VECTOR_BODY, VECTOR_SECRET) == VECTOR_SIGNATURE


def test_the_published_test_vector_verifies() -> None:
    assert verify_webhook(VECTOR_BODY, vector_headers(), VECTOR_SECRET, now=VECTOR_NOW)


def test_one_matching_entry_among_several_verifies_for_key_rotation() -> None:
    headers = vector_headers(f"v1,Zm9yZWlnbg== v2,abc {VECTOR_SIGNATURE}")
    assert verify_webhook(VECTOR_BODY, headers, VECTOR_SECRET, now=VECTOR_NOW)


def test_header_names_are_case_insensitive() -> None:
    headers = {name.title(): value for name, value in vector_headers().items()}
    assert verify_webhook(VECTOR_BODY, headers, VECTOR_SECRET, now=VECTOR_NOW)


def signed_payload() -> tuple[bytes, dict[str, str]]:
    payload = render(
        SinkKind.WEBHOOK,
        message(alert(added())),
        url=URLS[SinkKind.WEBHOOK],
        secret=WEBHOOK_SECRET,
        now=NOW,
    )
    return payload.body, dict(payload.headers)


def test_rendered_webhook_verifies_with_its_secret() -> None:
    body, headers = signed_payload()
    assert headers["webhook-id"] == "delivery-7-41"
    assert headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert verify_webhook(body, headers, WEBHOOK_SECRET, now=NOW)


def test_tampered_body_fails() -> None:
    body, headers = signed_payload()
    document = json.loads(body)
    document["data"]["text"] = "Gefälscht"
    tampered = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    assert not verify_webhook(tampered, headers, WEBHOOK_SECRET, now=NOW)
    assert not verify_webhook(body + b" ", headers, WEBHOOK_SECRET, now=NOW)


def test_tampered_id_or_timestamp_fails() -> None:
    body, headers = signed_payload()
    assert not verify_webhook(body, {**headers, "webhook-id": "other"}, WEBHOOK_SECRET, now=NOW)
    moved = {**headers, "webhook-timestamp": str(int(NOW.timestamp()) + 1)}
    assert not verify_webhook(body, moved, WEBHOOK_SECRET, now=NOW)


def test_wrong_secret_fails() -> None:
    body, headers = signed_payload()
    other = "whsec_" + base64.b64encode(b"another key").decode()
    assert not verify_webhook(body, headers, other, now=NOW)


@pytest.mark.parametrize("offset", [timedelta(seconds=301), timedelta(seconds=-301)])
def test_timestamps_outside_the_tolerance_fail(offset: timedelta) -> None:
    body, headers = signed_payload()
    assert not verify_webhook(body, headers, WEBHOOK_SECRET, now=NOW + offset)
    assert verify_webhook(body, headers, WEBHOOK_SECRET, now=NOW + offset, tolerance_s=400)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"webhook-id": "x", "webhook-timestamp": "1"},
        {"webhook-id": "x", "webhook-timestamp": "soon", "webhook-signature": "v1,AAAA"},
    ],
)
def test_missing_or_malformed_headers_fail(headers: dict[str, str]) -> None:
    assert not verify_webhook(b"{}", headers, WEBHOOK_SECRET, now=NOW)


def test_a_raw_secret_is_used_as_its_bytes() -> None:
    assert secret_bytes("plain shared password") == b"plain shared password"
    headers = dict(signature_headers("m1", b"{}", "plain shared password", now=NOW))
    assert verify_webhook(b"{}", headers, "plain shared password", now=NOW)
    assert not verify_webhook(b"{}", headers, "whsec_" + "cGxhaW4=", now=NOW)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not base64!"])
def test_unusable_secrets_are_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        secret_bytes(secret)


def test_without_a_secret_the_webhook_is_sent_unsigned() -> None:
    payload = render(
        SinkKind.WEBHOOK, message(alert(added())), url=URLS[SinkKind.WEBHOOK], secret=None, now=NOW
    )
    names = [name for name, _ in payload.headers]
    assert names == ["webhook-id", "webhook-timestamp"]


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        signature_headers("m1", b"{}", WEBHOOK_SECRET, now=datetime(2019, 4, 24))  # noqa: DTZ001
