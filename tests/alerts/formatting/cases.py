"""The sink settings formatting tests render with: one URL per platform, the secrets."""

from __future__ import annotations

import json
from typing import Any

from alerts.alert import Message, Payload, SinkKind
from alerts.formatting import render
from tests.alerts.formatting.factory import NOW

WEBHOOK_SECRET = "whsec_dGlja2Vyd2F0Y2ggdGVzdCBzaWduaW5nIGtleQ=="
MATRIX_TOKEN = "syt_dGlja2Vyd2F0Y2g_test"

URLS = {
    SinkKind.SLACK: "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
    SinkKind.MATTERMOST: "https://chat.example.test/hooks/xxx-generatedkey-xxx",
    SinkKind.DISCORD: "https://discord.com/api/webhooks/123/token",
    SinkKind.TEAMS: "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x",
    SinkKind.GOOGLECHAT: "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t",
    SinkKind.MATRIX: "https://matrix.example.test/_matrix/client/v3/rooms/%21room%3Aexample.test",
    SinkKind.NTFY: "https://ntfy.example.test/tickerwatch-alerts",
    SinkKind.WEBHOOK: "https://receiver.example.test/tickerwatch",
    SinkKind.APPRISE: "tgram://bottoken/ChatID",
}
SECRETS = {SinkKind.WEBHOOK: WEBHOOK_SECRET, SinkKind.MATRIX: MATRIX_TOKEN}


def render_for(kind: SinkKind, message: Message) -> Payload:
    return render(kind, message, url=URLS[kind], secret=SECRETS.get(kind), now=NOW)


def is_json(payload: Payload) -> bool:
    return payload.content_type.startswith("application/json")


def document(payload: Payload) -> Any:
    """The body as data: parsed JSON, or the text."""
    text = payload.body.decode("utf-8")
    return json.loads(text) if is_json(payload) else text


def as_golden(payload: Payload) -> dict[str, Any]:
    return {
        "method": payload.method,
        "url": payload.url,
        "content_type": payload.content_type,
        "headers": [list(header) for header in payload.headers],
        "body": document(payload),
    }
