"""Time signals in markup: which elements say when an entry was posted, and what they say.

An entry's time hides in many places, and discovery must not depend on class names:

- a ``<time datetime>`` element or any ``data-*`` attribute holding an ISO time or epoch
  seconds/milliseconds (attribute names say "time" or "date", or the value is an
  instant near the fetch);
- a date-only attribute (``datetime="2020-05-30"``) beside a printed clock ("19.03 Uhr");
- a ``title`` or ``aria-label`` attribute with a full date ("30.05.2020, 19:03 Uhr");
- a short printed clock label ("14:01", "8.23am", "14h01", "ore 14.01"), or one that
  opens a heading ("<h3>14.05 Uhr | Großbrand in der Innenstadt</h3>");
- a relative label ("vor 25 Min.", "25 mins ago"), the weakest: an estimate;
- a match minute ("95'", "45+2'") of a sports ticker, which orders entries but is no time.

:func:`carriers` finds the elements that carry one; :func:`stamp_of` reads one entry's
best signal into a :class:`~ingest.dating.Stamp`. Pure functions of the tree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import HEADING_TAGS, text_lengths
from ingest.text import clean_inline
from ingest.timestamps import (
    ClockLabel,
    find_clock,
    is_relative_label,
    leading_label,
    machine_date,
    on_day,
    parse_machine_time,
    parse_relative,
)

# A label carrier holds little else: a clock with a word or two around it ("14:01 Uhr",
# "Posted 2.15pm", "Aktualisiert 14:01"). Longer text is a sentence that mentions a time.
LABEL_MAX_CHARS = 48
# The same bound on raw text, whitespace and all, before it is cleaned.
_RAW_LABEL_MAX_CHARS = 4 * LABEL_MAX_CHARS
# A heading that opens with its entry's time and goes on with the headline ("<h3>14.05
# Uhr | Großbrand in der Innenstadt</h3>") is longer than a label, yet carries the time.
_HEADING_LINE_MAX_CHARS = 200
# "01:43 min" under a video is a duration, not a time stamp.
_DURATION_RE = re.compile(r"\d[:.]\d\d\s*(?:min|sek|sec|s\b)", re.I)
# German tickers write the minute as an ordinal ("90.+3'", "45. + 1'").
_MATCH_MINUTE_RE = re.compile(r"^\s*(\d{1,3})\.?(?:\s*\+\s*(\d{1,2})\.?)?\s*(?:'|′|’|min\.?)\s*$")
_ISO_PREFIX_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_EPOCH_RE = re.compile(r"^\s*\d{10}(?:\d{3})?(?:\.\d+)?\s*$")
# Attribute names that announce a time; other data-* attributes need a plausible value.
_TIME_NAME_RE = re.compile(
    r"time|date|stamp|publish|posted|created|updated|modified|epoch|^ts$|-ts$"
)
_ID_NAME_RE = re.compile(r"(?:^|-)(?:id|key|index|idx|count|num|version|rev|page|pos)(?:$|-)")
# Attributes that name a time outright, wherever they stand (a block's own data-id does not).
TIME_ATTRIBUTES = (
    "datetime",
    "data-datetime",
    "data-time",
    "data-timestamp",
    "data-ts",
    "data-post-time",
    "data-published",
    "data-publish-time",
    "data-date",
    "data-created",
)
_TITLE_ATTRIBUTES = ("title", "aria-label", "data-tooltip", "data-title")
# An epoch value counts as a time without a telling name only when it lies this near
# the fetch: ids and counters are numbers too.
_PLAUSIBLE_PAST = timedelta(days=5 * 366)
_PLAUSIBLE_FUTURE = timedelta(days=2)


def _time_attribute(element: HtmlElement, observed_at: datetime) -> tuple[str, str] | None:
    """(name, value) of the element's first attribute holding a machine time."""
    for name, value in element.items():
        if not value or not (value[:1].isdigit() or value[:2].strip()[:1].isdigit()):
            continue
        if name == "datetime" or (
            name == "content" and (element.get("itemprop") or "").startswith("date")
        ):
            return str(name), str(value)
        if not name.startswith("data-"):
            continue
        if _ISO_PREFIX_RE.match(value):
            return str(name), str(value)
        if _EPOCH_RE.match(value):
            if _TIME_NAME_RE.search(name[5:]):
                return str(name), str(value)
            if _ID_NAME_RE.search(name[5:]):
                continue
            instant = parse_machine_time(value.strip(), ZoneInfo("UTC"))
            if instant is not None and (
                observed_at - _PLAUSIBLE_PAST <= instant <= observed_at + _PLAUSIBLE_FUTURE
            ):
                return str(name), str(value)
    return None


def titled_date(element: HtmlElement) -> ClockLabel | None:
    """The dated clock a title-like attribute of ``element`` holds ("27.01.2022, 14:01
    Uhr" behind a "vor 5 Min." text), or None."""
    for name in _TITLE_ATTRIBUTES:
        value = element.get(name)
        if value and len(value) <= 80 and any(c.isdigit() for c in value):
            label = find_clock(clean_inline(value))
            if label is not None and label.has_date:
                return label
    return None


def label_text(element: HtmlElement) -> str | None:
    """The element's text when it is short enough to be a label, else None."""
    text = element.text_content()
    if len(text) > _RAW_LABEL_MAX_CHARS:
        return None
    text = clean_inline(text)
    return text if 0 < len(text) <= LABEL_MAX_CHARS else None


def heading_clock(element: HtmlElement) -> tuple[str, ClockLabel] | None:
    """(printed label, clock) of a heading that opens with a time label and goes on with
    more than a label holds ("14.05 Uhr | Großbrand in der Innenstadt"); None for any
    other element."""
    if element.tag not in HEADING_TAGS:
        return None
    raw = element.text_content()
    if len(raw) > 4 * _HEADING_LINE_MAX_CHARS:
        return None
    text = clean_inline(raw)
    if len(text) > _HEADING_LINE_MAX_CHARS:
        return None  # a paragraph set as a heading, not a heading line
    lead = leading_label(text)
    if lead is None or lead.clock is None or not lead.rest.strip():
        return None
    return lead.raw, lead.clock


@lru_cache(maxsize=16384)  # short label texts repeat across a page; the answer is a value
def printed_clock(text: str) -> ClockLabel | None:
    """A clock label in a short text that is a time stamp, not a duration or a score."""
    if _DURATION_RE.search(text):
        return None
    label = find_clock(text, strict=True)
    if label is None:
        # A bare "14.01" counts where it stands alone: nothing else in the element.
        bare = find_clock(text)
        if bare is not None and len(text) <= len(bare.raw) + 2:
            label = bare
    if label is None:
        return None
    # The clock must be most of the label: "Tor in der 14:01 Minute nach ..." is a sentence.
    return label if len(text) - len(label.raw) <= 28 else None


def match_minute(text: str) -> bool:
    """True for a sports ticker's minute label ("95'", "45+2'", "90.+3'")."""
    m = _MATCH_MINUTE_RE.match(text)
    return m is not None and int(m.group(1)) <= 130


def is_carrier(element: HtmlElement, observed_at: datetime, length: int | None = None) -> bool:
    """Whether the element carries a time signal of its own (attribute or short label).

    ``length`` is the element's raw text length when the caller knows it: longer
    elements are no labels, and their text need not be collected to tell.
    """
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag in ("time", "amp-timeago"):
        return True
    if _time_attribute(element, observed_at) is not None:
        return True
    if titled_date(element) is not None:
        return True
    if tag in ("script", "style", "a") and len(element) > 0:
        return False
    if tag in HEADING_TAGS and heading_clock(element) is not None:
        return True
    if length is not None and (length == 0 or length > _RAW_LABEL_MAX_CHARS):
        return False
    text = label_text(element)
    if text is None:
        return False
    if not _is_signal_text(text):
        return False
    # The label's own element, not every wrapper around it: no child carries it.
    for child in element:
        if isinstance(child.tag, str):
            inner = label_text(child)
            if inner is not None and _is_signal_text(inner):
                return False
    return True


@lru_cache(maxsize=16384)
def _is_signal_text(text: str) -> bool:
    return bool(printed_clock(text) or relative_label(text) or match_minute(text))


def relative_label(text: str) -> bool:
    """A relative time label standing alone: with a number ("vor 5 Min.") or a short
    "now" phrase ("gerade eben"); "Jetzt anmelden" is a button."""
    return is_relative_label(text) and (any(c.isdigit() for c in text) or len(text) <= 12)


def carriers(root: HtmlElement, observed_at: datetime) -> list[HtmlElement]:
    """Every element that carries a time signal, in document order."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    lengths = text_lengths(elements)
    return [e for e in elements if is_carrier(e, observed_at, lengths[e])]


def stamp_of(
    elements: Sequence[HtmlElement], observed_at: datetime, zone: ZoneInfo
) -> tuple[Stamp, str | None]:
    """The best time signal among an entry's carriers, and the label the page printed.

    Precedence: a full machine time in an attribute; a printed clock (dated by a date-only
    attribute or a titled date when it prints none); a full date in a title attribute; a
    relative label, resolved against ``observed_at``; nothing (a match minute keeps its
    label only).
    """
    machine: datetime | None = None
    machine_label: str | None = None
    day: date | None = None
    titled: ClockLabel | None = None
    clock: ClockLabel | None = None
    clock_label: str | None = None
    relative: datetime | None = None
    relative_text: str | None = None
    minute_label: str | None = None
    for element in elements:
        found = _time_attribute(element, observed_at)
        if found is not None:
            only_day = machine_date(found[1].strip())
            if only_day is not None:
                day = day or only_day
            elif machine is None:
                machine = parse_machine_time(found[1].strip(), zone)
                machine_label = found[1].strip() if machine is not None else None
        if titled is None:
            titled = titled_date(element)
        text = label_text(element)
        if clock is None and (not text or printed_clock(text) is None):
            headed = heading_clock(element)
            if headed is not None:
                clock_label, clock = headed
                continue
        if not text:
            continue
        if clock is None:
            clock = printed_clock(text)
            if clock is not None:
                clock_label = text
                continue
        if relative is None and relative_label(text):
            relative = parse_relative(text, observed_at)
            relative_text = text
        elif minute_label is None and match_minute(text):
            minute_label = text
    if machine is not None:
        return Stamp(machine=machine), clock_label or machine_label
    if clock is not None:
        if not clock.has_date:
            if day is not None:
                clock = on_day(clock, day)
            elif titled is not None and titled.minute_of_day == clock.minute_of_day:
                clock = titled
        return Stamp(clock=clock), clock_label
    if titled is not None:
        # The title's full date is stable; a relative label beside it drifts.
        return Stamp(clock=titled), titled.raw
    if relative is not None:
        return Stamp(relative=relative), relative_text
    # A date alone names the day, not the time: no time stamp, but the page's words kept.
    return Stamp(), minute_label or (day.isoformat() if day is not None else None)


def signal_elements(member: HtmlElement, found: AbstractSet[HtmlElement]) -> list[HtmlElement]:
    """The carriers inside ``member`` (itself included), in document order. ``found`` is
    taken as it is, not copied: the caller asks once per entry, and a copy of the whole
    page's carriers each time made reading a page quadratic in its entries."""
    return [e for e in member.iter() if e in found]
