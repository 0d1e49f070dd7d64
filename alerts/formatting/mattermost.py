"""Mattermost incoming webhooks: Markdown ``text`` plus Slack-style attachments.

``text`` names the kind and links the ticker; each alert is an attachment coloured by
kind, titled with its headline (linking the entry's history), whose Markdown text holds
the time stamp, the text or word diff (``~~struck~~`` deletions, ``**bold**``
insertions) and the history and source links. A digest has one attachment per alert.
Limit: 16,383 characters per post (the server's default maximum post size), counted over
the text and every attachment's title, fallback and text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import MATTERMOST_CHARS, chars, dump, fit_message
from alerts.formatting.markup import MATTERMOST, markdown_url, mattermost_escape
from alerts.formatting.text import truncate
from alerts.formatting.view import AlertView, digest_heading, more_changes
from alerts.formatting.words import hex_color

DIGEST_ITEMS = 20  # attachments in one post; the rest are counted in a closing line


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The webhook post for ``message`` (``url``, ``secret`` and ``now`` unused)."""
    document = fit_message(message, _post, fits, max_items=DIGEST_ITEMS)
    return Payload(body=dump(document), content_type="application/json")


def fits(document: dict[str, Any]) -> bool:
    """True when the post's text and attachments stay within the post size."""
    total = chars(document["text"])
    for attachment in document.get("attachments", ()):
        total += sum(chars(attachment.get(key, "")) for key in ("fallback", "title", "text"))
    return total <= MATTERMOST_CHARS


def _post(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    first = views[0]
    ticker = f"[{mattermost_escape(first.ticker_name)}]({markdown_url(first.source_url)})"
    text = f"**{mattermost_escape(digest_heading(views))}** · {ticker}"
    if shown < len(views):
        more = mattermost_escape(more_changes(views[shown:]))
        text += f"\n{more} · [Source]({markdown_url(first.source_url)})"
    return {"text": text, "attachments": [_attachment(v, budget) for v in views[:shown]]}


def _attachment(view: AlertView, budget: int) -> dict[str, Any]:
    parts = []
    if view.time:
        parts.append(f"*{mattermost_escape(view.time)}*")
    body = MATTERMOST.body(truncate(view.body, budget))
    if body:
        parts.append(body)
    parts.append(_links(view))
    return {
        # Attachment titles and fallbacks are plain text: shown as written.
        "fallback": f"{view.title} · {view.ticker_name}",
        "color": hex_color(view.kind),
        "title": view.title,
        "title_link": view.link,
        "text": "\n\n".join(parts),
    }


def _links(view: AlertView) -> str:
    links = [f"[Source]({markdown_url(view.source_url)})"]
    if view.history_url:
        links.insert(0, f"[{view.history_label}]({markdown_url(view.history_url)})")
    return " · ".join(links)
