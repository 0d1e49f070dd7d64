"""Each platform's documented limits, checked independently of the formatters' own code.

:func:`violations` lists what a payload breaks; an empty list means the platform would
accept it. Characters are counted as UTF-16 code units (the larger of the two counts a
platform may use); byte limits are UTF-8 bytes of the request body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from alerts.alert import Payload, SinkKind


def chars(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _over(what: str, text: str, limit: int) -> Iterator[str]:
    if chars(text) > limit:
        yield f"{what}: {chars(text)} characters > {limit}"


def _slack(payload: Payload, body: Any) -> Iterator[str]:
    blocks = body["blocks"]
    if not body.get("text"):
        yield "no top-level text fallback"
    if len(blocks) > 50:
        yield f"{len(blocks)} blocks > 50"
    total = 0
    for block in blocks:
        if block["type"] == "header":
            yield from _over("header", block["text"]["text"], 150)
            total += chars(block["text"]["text"])
        elif block["type"] == "section":
            yield from _over("section", block["text"]["text"], 3_000)
            total += chars(block["text"]["text"])
        elif block["type"] == "context":
            if len(block["elements"]) > 10:
                yield "context with more than 10 elements"
            for element in block["elements"]:
                yield from _over("context", element["text"], 3_000)
                total += chars(element["text"])
    if total > 13_000:  # msg_blocks_too_long (slackapi/bolt-js#2509)
        yield f"{total} characters of blocks > 13,000"


def _mattermost(payload: Payload, body: Any) -> Iterator[str]:
    texts = [body["text"]]
    for attachment in body.get("attachments", []):
        texts += [attachment.get(key, "") for key in ("fallback", "title", "text", "pretext")]
    yield from _over("post", "".join(texts), 16_383)


def _discord(payload: Payload, body: Any) -> Iterator[str]:
    if body.get("allowed_mentions") != {"parse": []}:
        yield "mentions are not disabled"
    yield from _over("content", body.get("content", ""), 2_000)
    embeds = body.get("embeds", [])
    if len(embeds) > 10:
        yield f"{len(embeds)} embeds > 10"
    total = 0
    for embed in embeds:
        parts = {
            "title": (embed.get("title", ""), 256),
            "description": (embed.get("description", ""), 4_096),
            "footer": (embed.get("footer", {}).get("text", ""), 2_048),
            "author": (embed.get("author", {}).get("name", ""), 256),
        }
        for name, (text, limit) in parts.items():
            yield from _over(f"embed {name}", text, limit)
            total += chars(text)
        fields = embed.get("fields", [])
        if len(fields) > 25:
            yield "more than 25 fields"
        for field in fields:
            yield from _over("field name", field["name"], 256)
            yield from _over("field value", field["value"], 1_024)
            total += chars(field["name"]) + chars(field["value"])
    if total > 6_000:
        yield f"embeds total {total} characters > 6,000"


def _teams(payload: Payload, body: Any) -> Iterator[str]:
    if len(payload.body) > 28_000:
        yield f"{len(payload.body)} bytes > 28,000"
    attachment = body["attachments"][0]
    if attachment["contentType"] != "application/vnd.microsoft.card.adaptive":
        yield "not an Adaptive Card"
    if attachment["content"]["version"] not in ("1.4", "1.5"):
        yield "card version is neither 1.4 nor 1.5"


def _googlechat(payload: Payload, body: Any) -> Iterator[str]:
    if len(payload.body) > 32_000:
        yield f"{len(payload.body)} bytes > 32,000"
    yield from _over("fallbackText", body.get("fallbackText", ""), 4_096)
    for card in body["cardsV2"]:
        for section in card["card"]["sections"]:
            for widget in section["widgets"]:
                if "textParagraph" in widget:
                    yield from _over("textParagraph", widget["textParagraph"]["text"], 4_096)
    if not body.get("thread", {}).get("threadKey"):
        yield "no thread key"
    if "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" not in (payload.url or ""):
        yield "no reply option in the URL"


def _matrix(payload: Payload, body: Any) -> Iterator[str]:
    if len(payload.body) > 65_536:
        yield f"{len(payload.body)} bytes > 65,536"
    if body["msgtype"] != "m.text" or body["format"] != "org.matrix.custom.html":
        yield "not an HTML m.text message"


def _ntfy(payload: Payload, body: Any) -> Iterator[str]:
    size = len(body["message"].encode("utf-8"))
    if size > 4_096:
        yield f"message {size} bytes > 4,096"


def _webhook(payload: Payload, body: Any) -> Iterator[str]:
    if body["type"] not in ("tickerwatch.change", "tickerwatch.digest"):
        yield f"unknown type {body['type']}"


def _apprise(payload: Payload, body: Any) -> Iterator[str]:
    yield from _over("apprise body", body, 32_000)


CHECKS: dict[SinkKind, Callable[[Payload, Any], Iterator[str]]] = {
    SinkKind.SLACK: _slack,
    SinkKind.MATTERMOST: _mattermost,
    SinkKind.DISCORD: _discord,
    SinkKind.TEAMS: _teams,
    SinkKind.GOOGLECHAT: _googlechat,
    SinkKind.MATRIX: _matrix,
    SinkKind.NTFY: _ntfy,
    SinkKind.WEBHOOK: _webhook,
    SinkKind.APPRISE: _apprise,
}


def violations(kind: SinkKind, payload: Payload) -> list[str]:
    text = payload.body.decode("utf-8")
    body = json.loads(text) if payload.content_type.startswith("application/json") else text
    return list(CHECKS[kind](payload, body))


def visible_text(payload: Payload) -> str:
    """Every string of the payload (JSON strings decoded), to search for links."""
    text = payload.body.decode("utf-8")
    if not payload.content_type.startswith("application/json"):
        return text
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(text))
    return "\n".join(found)
