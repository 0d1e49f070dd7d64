"""Microsoft Teams through a Workflows webhook: one Adaptive Card (schema 1.4).

The card shows the kind (coloured) and the ticker (linking the source), the headline,
the entry's time stamp and the text or word diff, with Open URL actions for the entry's
history and the source. User text goes only into ``TextRun`` inlines of
``RichTextBlock``, which Teams does not parse as Markdown, so nothing needs escaping;
deletions are struck through (``strikethrough``), insertions bold. A digest lists each
alert in a separated container whose headline links its history.

Limit: Teams refuses messages over about 28 KB; the whole request body is kept under
27,000 bytes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import TEAMS_BYTES, dump, fit_message
from alerts.formatting.text import Mark, Paragraph, truncate
from alerts.formatting.view import AlertView, digest_heading, more_changes
from diffing.model import ChangeKind

Element = dict[str, Any]
CARD_VERSION = "1.4"
DIGEST_ITEMS = 25

# Adaptive Card colour names (the host theme picks the shade).
_KIND_COLORS = {
    ChangeKind.ADDED: "Good",
    ChangeKind.EDITED: "Warning",
    ChangeKind.RETITLED: "Accent",
    ChangeKind.RETIMED: "Accent",
    ChangeKind.REMOVED: "Attention",
    ChangeKind.RESTORED: "Good",
    ChangeKind.PAGE_RETITLED: "Accent",
    ChangeKind.TICKER_HEALTH: "Warning",
    ChangeKind.COMPETITOR_FIRST: "Attention",
    ChangeKind.WE_WERE_FIRST: "Good",
}


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The Workflows message for ``message`` (``url``, ``secret`` and ``now`` unused)."""
    document = fit_message(message, _message, fits, max_items=DIGEST_ITEMS)
    return Payload(body=dump(document), content_type="application/json")


def fits(document: dict[str, Any]) -> bool:
    return len(dump(document)) <= TEAMS_BYTES


def _message(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    first = views[0]
    if len(views) == 1:
        body = _single(first, budget)
        actions = _actions(first)
        fallback = f"{first.title} · {first.ticker_name}"
    else:
        body = [_rich(_run(digest_heading(views), weight="Bolder"), _run(" · "), _ticker(first))]
        for view in views[:shown]:
            body.append(_item(view, budget))
        if shown < len(views):
            body.append(_rich(_run(more_changes(views[shown:]), isSubtle=True)))
        actions = [_open("Source", first.source_url)]
        fallback = f"{digest_heading(views)} · {first.ticker_name}"
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "fallbackText": fallback,
        "body": body,
        "actions": actions,
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def _single(view: AlertView, budget: int) -> list[Element]:
    body = [_rich(_kind(view), _run(" · "), _ticker(view))]
    if view.headline:
        body.append(_rich(_run(view.headline, size="Medium", weight="Bolder")))
    if view.time:
        body.append(_rich(_run(view.time, isSubtle=True, size="Small")))
    body.extend(_paragraph(p) for p in truncate(view.body, budget))
    return body


def _item(view: AlertView, budget: int) -> Element:
    line = [_kind(view)]
    if view.time:
        line += [_run(" · "), _run(view.time, isSubtle=True)]
    headline = _run(view.headline or view.kind_word, weight="Bolder")
    headline["selectAction"] = {"type": "Action.OpenUrl", "url": view.link}
    line += [_run(" · "), headline]
    items = [_rich(*line), *(_paragraph(p) for p in truncate(view.body, budget))]
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _paragraph(paragraph: Paragraph) -> Element:
    """One text block; the spaces between spans join the neighbouring plain run, so a
    paragraph is as few runs as its marks allow."""
    runs: list[tuple[str, Mark]] = []
    for index, span in enumerate(paragraph):
        space = " " if index else ""
        after_plain = bool(runs) and runs[-1][1] is Mark.PLAIN
        if span.mark is Mark.PLAIN:
            if after_plain:
                runs[-1] = (runs[-1][0] + space + span.text, Mark.PLAIN)
            else:
                runs.append((space + span.text, Mark.PLAIN))
            continue
        if space and after_plain:
            runs[-1] = (runs[-1][0] + space, Mark.PLAIN)
        elif space:
            runs.append((space, Mark.PLAIN))
        runs.append((span.text, span.mark))
    return _rich(*(_styled(text, mark) for text, mark in runs))


def _styled(text: str, mark: Mark) -> Element:
    if mark is Mark.DELETED:
        return _run(text, strikethrough=True, color="Attention")
    if mark is Mark.INSERTED:
        return _run(text, weight="Bolder", color="Good")
    return _run(text)


def _kind(view: AlertView) -> Element:
    return _run(view.kind_word, weight="Bolder", color=_KIND_COLORS[view.kind])


def _ticker(view: AlertView) -> Element:
    run = _run(view.ticker_name)
    run["selectAction"] = {"type": "Action.OpenUrl", "url": view.source_url}
    return run


def _actions(view: AlertView) -> list[Element]:
    actions = [_open("Source", view.source_url)]
    if view.history_url:
        actions.insert(0, _open(view.history_label, view.history_url))
    return actions


def _open(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def _rich(*inlines: Element) -> Element:
    return {"type": "RichTextBlock", "inlines": list(inlines)}


def _run(text: str, **style: Any) -> Element:
    return {"type": "TextRun", "text": text, **style}
