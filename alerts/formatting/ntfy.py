"""ntfy: a JSON publish with a Markdown message.

``url`` is the topic URL (``https://ntfy.sh/<topic>``); ntfy takes JSON publishes at its
root, so the request goes to the URL without the topic, which moves into the body
(``{"topic", "title", "message", "markdown": true, "tags", "click", "actions"}``). JSON
rather than the header form keeps UTF-8 titles intact: HTTP headers are Latin-1. The
title is the kind and headline, the message the Markdown of
:mod:`alerts.formatting.layout`, a click opens the entry's history, and two view actions
open the history and the source. A digest lists one item per alert.

Limits: 4,096 bytes of message (ntfy.sh turns longer messages into attachments); titles
are cut at 250 characters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from alerts.alert import Message, Payload
from alerts.formatting import layout
from alerts.formatting.limits import (
    NTFY_MESSAGE_BYTES,
    NTFY_TITLE_CHARS,
    cut_chars,
    dump,
    fit_message,
    utf8,
)
from alerts.formatting.view import AlertView, digest_heading
from diffing.model import ChangeKind

DIGEST_ITEMS = 25

# ntfy shows tags that name an emoji short code as that emoji in front of the title.
_KIND_TAGS = {
    ChangeKind.ADDED: "new",
    ChangeKind.EDITED: "pencil2",
    ChangeKind.RETITLED: "label",
    ChangeKind.RETIMED: "clock3",
    ChangeKind.REMOVED: "wastebasket",
    ChangeKind.RESTORED: "recycle",
    ChangeKind.PAGE_RETITLED: "newspaper",
    ChangeKind.TICKER_HEALTH: "warning",
    ChangeKind.COMPETITOR_FIRST: "rotating_light",
    ChangeKind.WE_WERE_FIRST: "trophy",
}


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The JSON publish for ``message`` to the topic at ``url`` (``ValueError`` when the
    URL names no topic; ``secret`` and ``now`` unused)."""
    root, topic = split_topic_url(url)
    document = fit_message(
        message,
        lambda views, shown, chars_: _publish(topic, views, shown, chars_),
        fits,
        max_items=DIGEST_ITEMS,
    )
    return Payload(body=dump(document), content_type="application/json", url=root)


def split_topic_url(url: str) -> tuple[str, str]:
    """``https://host/topic`` → (``https://host/``, ``topic``); a query string stays on
    the root (ntfy reads ``?auth=`` there)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, topic = path.rpartition("/")
    if not topic or not parts.scheme or not parts.netloc:
        raise ValueError(f"an ntfy URL names a topic, e.g. https://ntfy.sh/alerts: {url!r}")
    return urlunsplit((parts.scheme, parts.netloc, head + "/", parts.query, "")), topic


def fits(document: dict[str, Any]) -> bool:
    return utf8(document["message"]) <= NTFY_MESSAGE_BYTES


def _publish(topic: str, views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    first = views[0]
    if len(views) == 1:
        title, text, tag = first.title, layout.single(first, budget), _KIND_TAGS[first.kind]
        actions = [("Source", first.source_url)]
        if first.history_url:
            actions.insert(0, (first.history_label, first.history_url))
        click = first.link
    else:
        title = f"{digest_heading(views)}: {first.ticker_name}"
        text, tag = layout.digest(views, shown, budget), "newspaper"
        actions, click = [("Source", first.source_url)], first.source_url
    return {
        "topic": topic,
        "title": cut_chars(title, NTFY_TITLE_CHARS),
        "message": text,
        "markdown": True,
        "tags": [tag],
        "click": click,
        "actions": [{"action": "view", "label": label, "url": u} for label, u in actions],
    }
