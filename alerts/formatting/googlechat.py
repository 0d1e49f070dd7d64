"""Google Chat incoming webhooks: a card (``cardsV2``) threaded per ticker.

The card header names the ticker and the kind with the entry's time stamp; a section
holds the headline, the text or word diff (``<s>`` deletions, ``<b>`` insertions, user
text HTML-escaped) and buttons opening the entry's history and the source. A digest has
one section per alert. Every message of a ticker carries the same ``thread.threadKey``,
and the URL gets ``messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`` so Chat
files it in that thread (or starts it). ``fallbackText`` is the notification line.

Limits: 32,000 bytes per message; each text paragraph (and the fallback text) at most
4,096 characters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import (
    GOOGLECHAT_BYTES,
    GOOGLECHAT_TEXT_CHARS,
    chars,
    cut_chars,
    dump,
    fit_message,
)
from alerts.formatting.markup import CHAT_HTML, html_escape
from alerts.formatting.text import truncate
from alerts.formatting.view import AlertView, digest_heading, more_changes

REPLY_OPTION = "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
DIGEST_ITEMS = 25
Widget = dict[str, Any]


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The webhook message for ``message`` (``secret`` and ``now`` unused)."""
    document = fit_message(message, _message, fits, max_items=DIGEST_ITEMS)
    return Payload(
        body=dump(document),
        content_type="application/json; charset=UTF-8",
        url=threaded_url(url),
    )


def threaded_url(url: str) -> str:
    """The webhook URL with the reply option that threads by ``thread.threadKey``
    (the key itself goes in the body: the ``threadKey`` query parameter is deprecated)."""
    if "messageReplyOption=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}{REPLY_OPTION}"


def thread_key(ticker_id: int) -> str:
    return f"tickerwatch-ticker-{ticker_id}"


def fits(document: dict[str, Any]) -> bool:
    paragraphs = [
        widget["textParagraph"]["text"]
        for card in document["cardsV2"]
        for section in card["card"]["sections"]
        for widget in section["widgets"]
        if "textParagraph" in widget
    ]
    return (
        len(dump(document)) <= GOOGLECHAT_BYTES
        and chars(document["fallbackText"]) <= GOOGLECHAT_TEXT_CHARS
        and all(chars(text) <= GOOGLECHAT_TEXT_CHARS for text in paragraphs)
    )


def _message(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    first = views[0]
    if len(views) == 1:
        subtitle = f"{first.kind_word} · {first.time}" if first.time else first.kind_word
        sections = [{"widgets": _single(first, budget)}]
        fallback = f"{first.title} · {first.ticker_name}"
    else:
        subtitle = digest_heading(views)
        sections = [{"widgets": [_paragraph(_item(view, budget))]} for view in views[:shown]]
        last: list[Widget] = [_buttons([("Source", first.source_url)])]
        if shown < len(views):
            last.insert(0, _paragraph(html_escape(more_changes(views[shown:]))))
        sections.append({"widgets": last})
        fallback = f"{subtitle} · {first.ticker_name}"
    card = {
        # Header texts are plain text.
        "header": {"title": cut_chars(first.ticker_name, 200), "subtitle": subtitle},
        "sections": sections,
    }
    return {
        "fallbackText": cut_chars(fallback, 1_000),
        "cardsV2": [{"cardId": "tickerwatch-alert", "card": card}],
        "thread": {"threadKey": thread_key(first.ticker_id)},
    }


def _single(view: AlertView, budget: int) -> list[Widget]:
    widgets: list[Widget] = []
    if view.headline:
        widgets.append(_paragraph(f"<b>{html_escape(view.headline)}</b>"))
    body = CHAT_HTML.body(truncate(view.body, budget))
    if body:
        widgets.append(_paragraph(body))
    links = [("Source", view.source_url)]
    if view.history_url:
        links.insert(0, (view.history_label, view.history_url))
    widgets.append(_buttons(links))
    return widgets


def _item(view: AlertView, budget: int) -> str:
    line = f"<b>{html_escape(view.kind_word)}</b>"
    if view.time:
        line += f" · {html_escape(view.time)}"
    headline = html_escape(view.headline or view.kind_word)
    line += f' · <a href="{html_escape(view.link)}">{headline}</a>'
    body = CHAT_HTML.body(truncate(view.body, budget))
    return f"{line}<br>{body}" if body else line


def _paragraph(html: str) -> Widget:
    return {"textParagraph": {"text": html}}


def _buttons(links: list[tuple[str, str]]) -> Widget:
    return {
        "buttonList": {
            "buttons": [
                {"text": text, "onClick": {"openLink": {"url": url}}} for text, url in links
            ]
        }
    }
