"""Apprise: a plain Markdown payload the sender hands to the Apprise library.

Apprise reaches the long tail of services (Telegram, e-mail, Rocket.Chat, ...) from one
URL such as ``tgram://…``; it is not an HTTP endpoint, so this payload is not sent as a
request. Its body is UTF-8 Markdown (``content_type="text/markdown"``): the first line is
the notification title, the lines after the first blank line its body, to be passed as
``Apprise.notify(title=..., body=..., body_format=NotifyFormat.MARKDOWN)`` with ``url``
as the Apprise URL. Apprise converts the Markdown and applies each service's own length
cap; ours only keeps a digest to 32,000 characters.
"""

from __future__ import annotations

from datetime import datetime

from alerts.alert import Message, Payload
from alerts.formatting import layout
from alerts.formatting.limits import APPRISE_CHARS, chars, cut_chars, fit_message
from alerts.formatting.view import AlertView, digest_heading, message_views

CONTENT_TYPE = "text/markdown"
TITLE_CHARS = 250
DIGEST_ITEMS = 50


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """Title line, blank line, Markdown body (``secret`` and ``now`` unused)."""
    views = message_views(message)
    first = views[0]
    if len(views) == 1:
        title = f"{first.title} · {first.ticker_name}"
    else:
        title = f"{digest_heading(views)}: {first.ticker_name}"
    text = fit_message(message, _text, _fits, max_items=DIGEST_ITEMS)
    # The title is one line of plain text: Apprise shows it as written.
    document = f"{cut_chars(title, TITLE_CHARS)}\n\n{text}"
    return Payload(body=document.encode("utf-8"), content_type=CONTENT_TYPE)


def _text(views: tuple[AlertView, ...], shown: int, budget: int) -> str:
    if len(views) == 1:
        return layout.single(views[0], budget)
    return layout.digest(views, shown, budget)


def split(payload: Payload) -> tuple[str, str]:
    """(title, body) of an Apprise payload, as ``Apprise.notify`` takes them."""
    title, _, body = payload.body.decode("utf-8").partition("\n\n")
    return title, body


def _fits(text: str) -> bool:
    return chars(text) <= APPRISE_CHARS
