"""Memento (RFC 7089) over a ticker's captures: TimeGate choice, TimeMap, Link headers. Pure.

The Original Resource (URI-R) is the ticker page's own URL. Its Mementos (URI-M) are the
raw pages tickerwatch received, one per poll with a body, each dated by when it was
observed. The TimeGate (URI-G) redirects to the Memento closest to the
``Accept-Datetime`` asked for (the latest without one), RFC 7089 §4.2.1 pattern 2.3;
the TimeMap (URI-T) lists them all in ``application/link-format`` (RFC 6690, §5.1).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from web.timefmt import http_date

LINK_FORMAT = "application/link-format"


@dataclass(frozen=True, slots=True)
class Memento:
    uri: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Link:
    uri: str
    rel: str
    type: str | None = None
    at: datetime | None = None  # ``datetime`` of a memento link
    since: datetime | None = None  # ``from`` of a TimeMap link
    until: datetime | None = None

    def render(self) -> str:
        # Link values are our own URLs and fixed words; a URL holding ">" is escaped
        # so no value can break out of its angle brackets.
        text = f'<{self.uri.replace(">", "%3E")}>; rel="{self.rel}"'
        if self.type:
            text += f'; type="{self.type}"'
        if self.at is not None:
            text += f'; datetime="{http_date(self.at)}"'
        if self.since is not None:
            text += f'; from="{http_date(self.since)}"'
        if self.until is not None:
            text += f'; until="{http_date(self.until)}"'
        return text


def closest(mementos: Sequence[Memento], at: datetime) -> Memento:
    """The memento nearest to ``at`` (before or after; the earlier on a tie).
    ``mementos`` is oldest first and not empty."""
    if not mementos:
        raise ValueError("no mementos to choose from")
    times = [m.at for m in mementos]
    index = bisect.bisect_left(times, at)
    if index == 0:
        return mementos[0]
    if index == len(mementos):
        return mementos[-1]
    before, after = mementos[index - 1], mementos[index]
    return after if after.at - at < at - before.at else before


def link_header(links: Sequence[Link]) -> str:
    return ", ".join(link.render() for link in links)


def memento_links(
    *, original: str, timegate: str, timemap: str, mementos: Sequence[Memento], current: Memento
) -> list[Link]:
    """The ``Link`` header of a Memento: original, TimeGate, TimeMap, and the first,
    last, previous and next Mementos around ``current``."""
    links = [
        Link(original, "original"),
        Link(timegate, "timegate"),
        Link(timemap, "timemap", type=LINK_FORMAT),
    ]
    index = next((i for i, m in enumerate(mementos) if m.uri == current.uri), None)
    if index is None:
        return links
    qualifiers: dict[int, list[str]] = {}
    for position, word in (
        (0, "first"),
        (len(mementos) - 1, "last"),
        (index - 1, "prev"),
        (index + 1, "next"),
    ):
        if 0 <= position < len(mementos) and (word in ("first", "last") or position != index):
            qualifiers.setdefault(position, []).append(word)
    for position in sorted(qualifiers):
        memento = mementos[position]
        rel = " ".join([*qualifiers[position], "memento"])
        links.append(Link(memento.uri, rel, at=memento.at))
    return links


def timemap(*, original: str, timegate: str, self_uri: str, mementos: Sequence[Memento]) -> str:
    """The TimeMap in link format, one link per line (RFC 7089 §5.1.1)."""
    links = [
        Link(original, "original"),
        Link(timegate, "timegate"),
        Link(
            self_uri,
            "self",
            type=LINK_FORMAT,
            since=mementos[0].at if mementos else None,
            until=mementos[-1].at if mementos else None,
        ),
    ]
    for index, memento in enumerate(mementos):
        rel = ["memento"]
        if index == 0:
            rel.insert(0, "first")
        if index == len(mementos) - 1:
            rel.insert(0 if index else 1, "last")
        links.append(Link(memento.uri, " ".join(rel), at=memento.at))
    return ",\n".join(link.render() for link in links) + "\n"
