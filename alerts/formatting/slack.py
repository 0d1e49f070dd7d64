"""Slack incoming webhooks: Block Kit with a plain ``text`` fallback.

One alert is a header (kind and headline), a context line (ticker link and the entry's
time stamp), a section with the text or word diff (``~struck~`` deletions, ``*bold*``
insertions) and a context line linking the entry's history and the source. A digest is a
header, then one section per alert. Limits: 50 blocks, 3,000 characters per section or
context text, 150 per header, and at most 12,000 characters of block text in all
(below Slack's undocumented ``msg_blocks_too_long`` at about 13,000).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.alert import Message, Payload
from alerts.formatting.limits import (
    SLACK_BLOCKS,
    SLACK_FALLBACK_CHARS,
    SLACK_HEADER_CHARS,
    SLACK_SECTION_CHARS,
    SLACK_TOTAL_CHARS,
    chars,
    cut_chars,
    dump,
    fit_message,
)
from alerts.formatting.markup import SLACK, slack_escape, slack_url
from alerts.formatting.text import truncate
from alerts.formatting.view import AlertView, digest_heading, more_changes

Block = dict[str, Any]


def render(message: Message, url: str, secret: str | None, now: datetime) -> Payload:
    """The Block Kit message for ``message`` (``url``, ``secret`` and ``now`` unused)."""
    # A digest's blocks: header, ticker, one section per alert and the closing count.
    document = fit_message(message, _message, fits, max_items=SLACK_BLOCKS - 3)
    return Payload(body=dump(document), content_type="application/json")


def fits(document: dict[str, Any]) -> bool:
    """True when a Block Kit message keeps to the limits above."""
    blocks: list[Block] = document["blocks"]
    texts = [text for block in blocks for text in _texts(block)]
    return (
        len(blocks) <= SLACK_BLOCKS
        and chars(document["text"]) <= SLACK_FALLBACK_CHARS
        and all(chars(text) <= limit for text, limit in _limited(blocks))
        and sum(chars(text) for text in texts) <= SLACK_TOTAL_CHARS
    )


def _texts(block: Block) -> list[str]:
    if block["type"] in ("header", "section"):
        return [block["text"]["text"]]
    if block["type"] == "context":
        return [element["text"] for element in block["elements"]]
    return []


def _limited(blocks: list[Block]) -> list[tuple[str, int]]:
    return [
        (text, SLACK_HEADER_CHARS if block["type"] == "header" else SLACK_SECTION_CHARS)
        for block in blocks
        for text in _texts(block)
    ]


def _message(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    return _single(views[0], budget) if len(views) == 1 else _digest(views, shown, budget)


def _single(view: AlertView, budget: int) -> dict[str, Any]:
    blocks: list[Block] = [
        _header(view.title),
        _context(_ticker(view) + (f" · {slack_escape(view.time)}" if view.time else "")),
    ]
    body = SLACK.body(truncate(view.body, budget))
    if body:
        blocks.append(_section(body))
    blocks.append(_context(_links(view)))
    return {"text": _fallback(f"{view.title} · {view.ticker_name}"), "blocks": blocks}


def _digest(views: tuple[AlertView, ...], shown: int, budget: int) -> dict[str, Any]:
    first = views[0]
    heading = f"{digest_heading(views)}: {first.ticker_name}"
    blocks: list[Block] = [_header(heading), _context(_ticker(first))]
    for view in views[:shown]:
        line = f"*{slack_escape(view.kind_word)}*"
        if view.time:
            line += f" · {slack_escape(view.time)}"
        line += f" · <{slack_url(view.link)}|{slack_escape(view.headline or view.kind_word)}>"
        body = SLACK.body(truncate(view.body, budget))
        blocks.append(_section(f"{line}\n{body}" if body else line))
    if shown < len(views):
        more = slack_escape(more_changes(views[shown:]))
        blocks.append(_context(f"{more} · <{slack_url(first.source_url)}|Source>"))
    return {"text": _fallback(heading), "blocks": blocks}


def _ticker(view: AlertView) -> str:
    return f"<{slack_url(view.source_url)}|{slack_escape(view.ticker_name)}>"


def _links(view: AlertView) -> str:
    links = [f"<{slack_url(view.source_url)}|Source>"]
    if view.history_url:
        links.insert(0, f"<{slack_url(view.history_url)}|{view.history_label}>")
    return " · ".join(links)


def _fallback(text: str) -> str:
    # Cut before escaping so no entity is cut in half; escaping at most quintuples.
    return slack_escape(cut_chars(text, SLACK_FALLBACK_CHARS // 5))


def _header(text: str) -> Block:
    # Header text is plain_text: no escaping, only the 150-character cut.
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": cut_chars(text, SLACK_HEADER_CHARS)},
    }


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
