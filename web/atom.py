"""Atom feeds (RFC 4287) of change events, and the document any feed is written as. Pure.

One ``<entry>`` per change event: its id and link are the change's place in the UI,
its title says what happened, its content is the word difference as escaped HTML
(``<ins>``/``<del>``), so feed readers show what changed, not the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from markupsafe import escape

from diffing.model import ChangeKind
from web.diffview import Segment
from web.timeline import TimelineRow

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# Characters XML 1.0 cannot carry at all; ticker text is not trusted to be free of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedItem:
    row: TimelineRow
    ticker_name: str
    link: str


def diff_html(segments: Sequence[Segment]) -> str:
    """Segments as HTML, every piece of text escaped."""
    parts = []
    for segment in segments:
        text = str(escape(segment.text))
        if segment.kind == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif segment.kind == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return " ".join(parts)


def _title(item: FeedItem) -> str:
    row = item.row
    if row.change.kind is ChangeKind.PAGE_RETITLED:
        return f"{item.ticker_name}: page retitled: {row.title}"
    clock = f"{row.time_label}: " if row.time_label else ""
    return f"{item.ticker_name}: {row.label}: {clock}{row.title}"


def _text(parent: ElementTree.Element, tag: str, text: str, **attributes: str) -> None:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class AtomEntry:
    """One ``<entry>`` of any feed: ``content_html`` is HTML whose text is escaped already."""

    id: str
    title: str
    updated: datetime
    link: str
    category: str
    content_html: str


def change_entry(item: FeedItem) -> AtomEntry:
    """The entry of a change event."""
    change = item.row.change
    return AtomEntry(
        id=item.link,
        title=_title(item),
        updated=change.observed_at,
        link=item.link,
        category=change.kind.value,
        content_html=f"<p>{diff_html(item.row.detail)}</p>",
    )


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    html_url: str,
    updated: datetime,
    items: Sequence[FeedItem],
) -> bytes:
    """The feed document of change events; ``updated`` is the newest item's time (or
    the feed's)."""
    return atom_document(
        feed_id=feed_id,
        title=title,
        self_url=self_url,
        html_url=html_url,
        updated=updated,
        entries=[change_entry(i) for i in items],
    )


def atom_document(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    html_url: str,
    updated: datetime,
    entries: Sequence[AtomEntry],
) -> bytes:
    """A feed document of ``entries``."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", updated.isoformat())
    _text(feed, "generator", "tickerwatch")
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": html_url})
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "tickerwatch")
    for item in entries:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", item.updated.isoformat())
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": item.link})
        ElementTree.SubElement(entry, f"{{{ATOM}}}category", {"term": item.category})
        _text(entry, "content", item.content_html, type="html")
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
