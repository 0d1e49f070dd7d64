"""Markdown layouts shared by the platforms that take one Markdown text (ntfy, Apprise).

A single alert: a line with the ticker (linked) and the entry's time stamp, the text or
word diff, and the history and source links. A digest: one list item per alert with the
kind, time stamp and linked headline, then a short quote of its text.
"""

from __future__ import annotations

from alerts.formatting.markup import MARKDOWN, markdown_escape, markdown_url
from alerts.formatting.text import truncate
from alerts.formatting.view import AlertView, more_changes


def single(view: AlertView, budget: int) -> str:
    parts = [_ticker(view) + (f" · {markdown_escape(view.time)}" if view.time else "")]
    body = MARKDOWN.body(truncate(view.body, budget))
    if body:
        parts.append(body)
    parts.append(links(view))
    return "\n\n".join(parts)


def digest(views: tuple[AlertView, ...], shown: int, budget: int) -> str:
    lines = [_ticker(views[0]), ""]
    for view in views[:shown]:
        item = f"- **{markdown_escape(view.kind_word)}**"
        if view.time:
            item += f" · {markdown_escape(view.time)}"
        headline = markdown_escape(view.headline or view.kind_word)
        item += f" · [{headline}]({markdown_url(view.link)})"
        # Within a list item a new paragraph is indented, so the text stays with its item.
        body = MARKDOWN.paragraph_break.join(
            MARKDOWN.paragraph(p) for p in truncate(view.body, budget)
        )
        if body:
            item += "\n  " + body.replace("\n", "\n  ")
        lines.append(item)
    if shown < len(views):
        lines.append(f"- {markdown_escape(more_changes(views[shown:]))}")
    return "\n".join(lines)


def links(view: AlertView) -> str:
    found = [f"[Source]({markdown_url(view.source_url)})"]
    if view.history_url:
        found.insert(0, f"[{view.history_label}]({markdown_url(view.history_url)})")
    return " · ".join(found)


def _ticker(view: AlertView) -> str:
    return f"**[{markdown_escape(view.ticker_name)}]({markdown_url(view.source_url)})**"
