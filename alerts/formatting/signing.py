"""Standard Webhooks signatures (https://www.standardwebhooks.com, spec 1.0).

A signed request carries three headers: ``webhook-id`` (the message id, stable across
retries so receivers can drop duplicates), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature``: space-separated ``v1,<base64>`` entries, each the HMAC-SHA256 of
``"{id}.{timestamp}.{body}"`` under one secret (several entries allow key rotation).

A secret written ``whsec_<base64>`` is the spec's form and is base64-decoded; any other
secret is used as its UTF-8 bytes, so a plain shared password works too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_S = 300  # the spec's five minutes, either side of the receiver's clock


def secret_bytes(secret: str) -> bytes:
    """The HMAC key a secret stands for (``ValueError`` for an empty or malformed one)."""
    if not secret:
        raise ValueError("a webhook signing secret must not be empty")
    if not secret.startswith(SECRET_PREFIX):
        return secret.encode("utf-8")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as error:
        raise ValueError(f"a {SECRET_PREFIX} secret must be base64 ({error})") from None
    if not key:
        raise ValueError("a webhook signing secret must not be empty")
    return key


def timestamp(now: datetime) -> int:
    """The ``webhook-timestamp`` of an instant (``ValueError`` for a naive datetime)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp())


def signature(msg_id: str, ts: int, body: bytes, secret: str) -> str:
    """One ``v1,<base64>`` signature entry."""
    signed = f"{msg_id}.{ts}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_headers(
    msg_id: str, body: bytes, secret: str, *, now: datetime
) -> tuple[tuple[str, str], ...]:
    """The three Standard Webhooks headers for ``body`` sent at ``now``."""
    ts = timestamp(now)
    return (
        ("webhook-id", msg_id),
        ("webhook-timestamp", str(ts)),
        ("webhook-signature", signature(msg_id, ts, body, secret)),
    )


def verify_webhook(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    now: datetime,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> bool:
    """True when ``headers`` carry a valid Standard Webhooks signature of ``body``.

    False for missing headers, a timestamp more than ``tolerance_s`` seconds from ``now``
    (in either direction), or no ``v1`` entry matching. Header names are matched
    case-insensitively; signatures are compared in constant time.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = lowered.get("webhook-id")
    ts_text = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not msg_id or not ts_text or not signatures:
        return False
    try:
        ts = int(ts_text)
    except ValueError:
        return False
    if abs(timestamp(now) - ts) > tolerance_s:
        return False
    expected = signature(msg_id, ts, body, secret).encode("ascii")
    return any(
        hmac.compare_digest(expected, entry.encode("utf-8"))
        for entry in signatures.split()
        if entry.startswith("v1,")
    )
