"""What every layout reader receives and returns.

A layout reader is a pure function ``read(page: PageInput) -> Reading | None``.
It returns None when the page is not in its layout at all, and otherwise the
entries it found with their raw time evidence (:class:`ingest.dating.Stamp`).
Dates are filled in and the best reading is chosen afterwards, in
:mod:`ingest.parse`, the same way for every layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import HtmlPart
from ingest.model import Candidate, PageMeta, TimeSource


@dataclass(frozen=True, slots=True)
class PageInput:
    """One decoded page, as every layout sees it."""

    url: str
    text: str  # decoded body
    root: HtmlElement | None  # de-noised tree; None for plain text
    observed_at: datetime
    zone: ZoneInfo
    meta: PageMeta
    json_ld: tuple[dict[str, Any], ...] = ()
    # Every element of ``root`` in document order (comments and the like left out): the
    # walk readers share. Holding them also keeps lxml's Python proxy of each element
    # alive, so the readers' own walks and searches reuse it instead of building one per
    # visit (measured: a fifth of the readers' time on large pages).
    elements: tuple[HtmlElement, ...] = ()
    # The language its clock labels are written in (pagetime.label_language of ``text``).
    label_lang: str | None = None


@dataclass(frozen=True, slots=True)
class RawEntry:
    """An entry as a layout read it, before its date is resolved."""

    text: str
    # The body for display, rendered and sanitized only for the chosen reading:
    # elements of the page, plain-text paragraphs, or (``html``) a ready fragment.
    html_parts: tuple[HtmlPart, ...] = ()
    headline: str | None = None
    stamp: Stamp = field(default_factory=Stamp)
    time_label: str | None = None
    native_id: str | None = None
    pinned: bool = False

    @property
    def time_source(self) -> TimeSource:
        if self.stamp.machine is not None:
            return TimeSource.MACHINE
        if self.stamp.clock is not None:
            return TimeSource.LABEL
        if self.stamp.relative is not None:
            return TimeSource.RELATIVE
        return TimeSource.NONE


@dataclass(frozen=True, slots=True)
class Reading:
    """One layout's reading of a page."""

    layout: str
    entries: tuple[RawEntry, ...]
    headline: str | None = None  # when the layout knows the page headline better than <h1>
    teaser: str | None = None
    coverage_end: datetime | None = None
    warnings: tuple[str, ...] = ()
    # How much to trust this reading when several layouts read the same page:
    # structured data > a site profile > generic block detection > paragraph labels.
    rank: int = 0
    # The structures a discovering reader weighed (``parse --explain``), and the CSS
    # selector of the chosen one's entry blocks where one exists.
    candidates: tuple[Candidate, ...] = ()
    selector: str | None = None
