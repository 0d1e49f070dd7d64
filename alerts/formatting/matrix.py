"""Matrix rooms through the client-server API: an ``m.room.message`` event.

``url`` is the room's API URL, ``https://host/_matrix/client/v3/rooms/{roomId}`` (room id
percent-encoded), and ``secret`` the bot's access token. The request is
``PUT {url}/send/m.room.message/{txnId}`` with ``Authorization: Bearer {secret}``; the
transaction id is derived from the delivery id, so a retried delivery is the same
transaction and the homeserver stores the event once.

The event has a plain ``body`` (git's word-diff notation: ``[-deleted-]``,
``{+inserted+}``) and an ``org.matrix.custom.html`` ``formatted_body`` using tags from
the spec's suggested list (``<del>`` deletions, ``<b>`` insertions; user text
HTML-escaped). ``m.mentions`` is empty, so a quoted ``@room`` does not notify anyone.

Limit: an event is at most 65,536 bytes in federation form; the content is kept under
48,000 bytes to leave room for the envelope.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import MATRIX_BYTES, dump, fit_message
from alerts.formatting.markup import MATRIX_HTML, PLAIN, html_escape
from alerts.formatting.text import Paragraph, truncate
from alerts.formatting.view import AlertView, digest_heading, more_changes

DIGEST_ITEMS = 50


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The send request for ``message`` into the room at ``url`` (``ValueError`` without
    an access token or for a URL that is no room URL; ``now`` unused)."""
    if not secret:
        raise ValueError("a Matrix sink needs the bot's access token as its secret")
    if "/rooms/" not in url:
        raise ValueError(
            f"a Matrix sink URL is a room URL, https://host/_matrix/client/v3/rooms/<id>: {url!r}"
        )
    document = fit_message(message, _event, fits, max_items=DIGEST_ITEMS)
    return Payload(
        body=dump(document),
        content_type="application/json",
        headers=(("Authorization", f"Bearer {secret}"),),
        url=f"{url.rstrip('/')}/send/m.room.message/{transaction_id(message.delivery_id)}",
        method="PUT",
    )


def transaction_id(delivery_id: str) -> str:
    """A path-safe transaction id, the same for every attempt of one delivery."""
    return "tw" + hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:32]


def fits(document: dict[str, Any]) -> bool:
    return len(dump(document)) <= MATRIX_BYTES


def _event(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    if len(views) == 1:
        plain, html = _single(views[0], budget)
    else:
        plain, html = _digest(views, shown, budget)
    return {
        "msgtype": "m.text",
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
        "m.mentions": {},
    }


def _single(view: AlertView, budget: int) -> tuple[str, str]:
    body = truncate(view.body, budget)
    plain = [f"{view.title} · {view.ticker_name}"]
    html = [f"<p><b>{html_escape(view.kind_word)}</b> · {_ticker(view)}</p>"]
    heading = [f"<b>{html_escape(view.headline)}</b>"] if view.headline else []
    if view.time:
        plain.append(view.time)
        heading.append(f"<i>{html_escape(view.time)}</i>")
    if heading:
        html.append(f"<p>{'<br>'.join(heading)}</p>")
    if body:
        plain.append("\n" + PLAIN.body(body))
        html.extend(f"<p>{MATRIX_HTML.paragraph(p)}</p>" for p in body)
    plain.append("\n" + _plain_links(view))
    html.append(f"<p>{_links(view)}</p>")
    return "\n".join(plain), "".join(html)


def _digest(views: tuple[AlertView, ...], shown: int, budget: int) -> tuple[str, str]:
    first = views[0]
    heading = digest_heading(views)
    plain = [f"{heading} · {first.ticker_name}"]
    html = [f"<p><b>{html_escape(heading)}</b> · {_ticker(first)}</p>", "<ul>"]
    for view in views[:shown]:
        body = truncate(view.body, budget)
        line = view.kind_word + (f" · {view.time}" if view.time else "")
        plain.append(f"\n- {line} · {view.headline or view.kind_word}")
        plain.extend(f"  {PLAIN.paragraph(p)}" for p in body)
        plain.append(f"  {view.link}")
        html.append(f"<li>{_item(view, body)}</li>")
    html.append("</ul>")
    if shown < len(views):
        more = more_changes(views[shown:])
        plain.append(f"\n{more}: {first.source_url}")
        html.append(
            f'<p>{html_escape(more)}: <a href="{html_escape(first.source_url)}">Source</a></p>'
        )
    return "\n".join(plain), "".join(html)


def _item(view: AlertView, body: tuple[Paragraph, ...]) -> str:
    line = f"<b>{html_escape(view.kind_word)}</b>"
    if view.time:
        line += f" · {html_escape(view.time)}"
    headline = html_escape(view.headline or view.kind_word)
    line += f' · <a href="{html_escape(view.link)}">{headline}</a>'
    return "<br>".join([line, *(MATRIX_HTML.paragraph(p) for p in body)])


def _ticker(view: AlertView) -> str:
    return f'<a href="{html_escape(view.source_url)}">{html_escape(view.ticker_name)}</a>'


def _links(view: AlertView) -> str:
    links = [f'<a href="{html_escape(view.source_url)}">Source</a>']
    if view.history_url:
        links.insert(
            0, f'<a href="{html_escape(view.history_url)}">{html_escape(view.history_label)}</a>'
        )
    return " · ".join(links)


def _plain_links(view: AlertView) -> str:
    lines = [f"Source: {view.source_url}"]
    if view.history_url:
        lines.insert(0, f"{view.history_label}: {view.history_url}")
    return "\n".join(lines)
