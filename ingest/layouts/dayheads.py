"""Day headings beside entry blocks: "Montag, 3. März", "Saturday 1 March", "sábado, 1
de marzo" between runs of blocks that print only a clock time.

A ticker that runs over several days groups its blocks under a heading naming the day.
Without it the clock times are dated by their neighbours, which assumes less than a day
between two entries: a day without entries (Saturday's entries below Monday's) puts
the older run on the wrong day. The heading dates the blocks below it up to the next
one, as it dates time-led paragraphs (:mod:`ingest.layouts.paragraphs`); the day
names and date forms are those :func:`ingest.timestamps.parse_date_heading` reads.

Lists of the last few days often name their days relative to the reader: "Heute",
"Gestern", "Samstag". :func:`named_day` reads those against the day of the fetch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from lxml.html import HtmlElement

from ingest.htmltext import HEADING_TAGS
from ingest.text import clean_inline
from ingest.timestamps import parse_date_heading
from ingest.timewords import DAYS_BACK, WEEKDAY_NUMBERS

Day = tuple[int | None, int, int]  # (year or None, month, day)
# A line without heading markup names a day only when short: longer is a sentence.
_PLAIN_DAY_MAX_CHARS = 40


def day_heading(element: HtmlElement) -> Day | None:
    """The day ``element`` names when it is a day heading (a heading element, or a short
    line of its own), else None."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag not in HEADING_TAGS and len(element) > 3:
        return None  # a container of several parts is no heading line
    text = clean_inline(element.text_content())
    if not text or (tag not in HEADING_TAGS and len(text) > _PLAIN_DAY_MAX_CHARS):
        return None
    return parse_date_heading(text)


def named_day(text: str, today: date) -> Day | None:
    """The day a heading names relative to ``today`` (the fetch's local date): "Heute",
    "Yesterday", "Hier" by their distance, a bare weekday ("Samstag") as the latest
    such day up to today. None for anything else; dated headings are
    :func:`ingest.timestamps.parse_date_heading`'s."""
    word = clean_inline(text).rstrip(" :.,").lower()
    back = DAYS_BACK.get(word)
    if back is None and word in WEEKDAY_NUMBERS:
        back = (today.weekday() - WEEKDAY_NUMBERS[word]) % 7
    if back is None:
        return None
    day = today - timedelta(days=back)
    return (day.year, day.month, day.day)


def days_of(parent: HtmlElement, groups: Sequence[Sequence[HtmlElement]]) -> list[Day | None]:
    """Per group (the entries under ``parent``, in page order), the day named by the
    nearest day heading among ``parent``'s children above it; None above the first."""
    firsts = {group[0]: index for index, group in enumerate(groups) if group}
    members = {element for group in groups for element in group}
    out: list[Day | None] = [None] * len(groups)
    day: Day | None = None
    for child in parent:
        if child in firsts:
            out[firsts[child]] = day
        elif child not in members:
            day = day_heading(child) or day
    return out
