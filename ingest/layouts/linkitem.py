"""One item of a list of links: its link, headline, kicker, lead and time. Pure.

An item is an element (an ``<li>``, an ``<article>``) holding one headline link and a
time, or a run of sibling elements where the list wraps no element around an item
(``<dt>14:05</dt><dd><a>…</a></dd>``, a time ``<span>`` before a link and a ``<br>``).
:func:`read_item` finds the link the item is about (the one whose anchors carry the
most text), its headline (a heading inside that anchor, or the anchor's text; a
kicker span in it joined as "Kicker: Headline"), the kicker before it and the lead
after it, leaving out time labels, bylines, comment counters and repeats of the link.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import BLOCK_TAGS, HEADING_TAGS
from ingest.layouts.base import PageInput
from ingest.layouts.signals import TIME_ATTRIBUTES, titled_date
from ingest.links import canonical_link, same_page
from ingest.text import clean_display, clean_inline
from ingest.timestamps import (
    find_clock,
    is_relative_label,
    parse_date_heading,
    parse_machine_time,
    parse_relative,
)
from ingest.timewords import DAYS_BACK

# A kicker is a few words; longer text before the headline is part of the lead.
MAX_KICKER_CHARS = 80
# A time label is short ("Freitag, 28.01.2022, 19:08 Uhr" is 31 characters).
MAX_TIME_TEXT_CHARS = 40

# Parts of an item that are neither kicker nor lead: who wrote it, how many comments.
_ASIDE_CLASS = re.compile(
    r"byline|author|autor|source|quelle|credit|comment|kommentar|meta|count|share|bookmark",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|headline|heading|titel|ttl", re.IGNORECASE)
_KICKER_CLASS = re.compile(
    r"kicker|dachzeile|overline|topline|eyebrow|roofline|supertitle|spitzmarke", re.IGNORECASE
)
# Marks the end of a kicker in a headline's raw text; the tree's text holds no NUL
# (ingest.document.build_tree drops control characters).
_KICKER_MARK = "\x00"
# Cheap test before the label parsers: a time label has a digit or a relative word.
MAYBE_TIME = re.compile(r"\d|vor |ago\b|il y a|gerade|just now|jetzt|instant", re.IGNORECASE)
# "Yesterday 11:08 PM", "Gestern, 23:10 Uhr", "Ontem às 23h10": a word naming a day by
# its distance from today ("Heute", "Gestern", "Ieri"), then the clock.
_NEAR_DAY = re.compile(r"([^\W\d_]+)[\s,]+(?:(?:at|um|à|às|alle|om|a las)\s+)?(?=\d)", re.I)
_DURATION = re.compile(r"\d[:.]\d\d\s*(?:min|sek|sec|s\b)", re.IGNORECASE)
EDGE_PUNCTUATION = " :|-–—•·/,"
# "Donnerstag, 27.01.2022", "26.01.": parse_date_heading takes "26.01" for a clock.
_NUMERIC_DAY = re.compile(r"(?:[^\W\d_]+,?\s+)?(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}))?:?")


@dataclass(frozen=True, slots=True)
class LinkItem:
    """One item as read: ``link`` canonical, ``headline`` with its kicker, ``lead`` may
    be empty; ``label`` is the time as the page wrote it."""

    element: HtmlElement  # the item, or the first element of its run
    parts: tuple[HtmlElement, ...]  # (element,), or the run of siblings it opens
    link: str
    headline: str
    lead: str
    stamp: Stamp
    label: str | None


def is_time_text(text: str) -> bool:
    """A short text that is only a time: a clock ("14:06 Uhr", "28.01., 19:08"), or a
    relative label ("vor 7 Minuten")."""
    if not text or len(text) > MAX_TIME_TEXT_CHARS or not MAYBE_TIME.search(text):
        return False
    if _DURATION.search(text):
        return False
    if is_relative_label(text):
        return True
    clock = find_clock(text)
    if clock is not None and len(clock.raw) >= 0.5 * len(text):
        return True
    near = near_day(text)
    return near is not None and is_time_text(near[1])


def near_day(text: str) -> tuple[int, str] | None:
    """How many days back a label's leading day word reaches, and the rest of the label
    ("Yesterday 11:08 PM": 1, "11:08 PM"). None when it opens with no such word."""
    m = _NEAR_DAY.match(text)
    if m is None:
        return None
    back = DAYS_BACK.get(m.group(1).lower())
    return None if back is None else (back, text[m.end() :])


def _named_day(text: str, page: PageInput) -> tuple[int | None, int, int] | None:
    # Counted from the fetch's local day, in the zone the page was provisionally placed
    # in, like "Heute" and "Gestern" headings above a list.
    near = near_day(text)
    if near is None:
        return None
    day: date = page.observed_at.astimezone(page.zone).date() - timedelta(days=near[0])
    return (day.year, day.month, day.day)


def day_of(text: str) -> tuple[int | None, int, int] | None:
    """The day a short text names and nothing else, as (year or None, month, day):
    "Freitag, 28.01.2022", "26.01.", "26. Januar". None for anything else."""
    text = clean_inline(text).rstrip(" :|-–—•·/,")
    if not text or len(text) > 45:
        return None
    numeric = _NUMERIC_DAY.fullmatch(text)
    if numeric is not None:
        day, month = int(numeric.group(1)), int(numeric.group(2))
        year = int(numeric.group(3)) if numeric.group(3) else None
        return (year, month, day) if 1 <= day <= 31 and 1 <= month <= 12 else None
    return parse_date_heading(text)


def text_len(element: HtmlElement) -> int:
    return len(clean_inline(element.text_content()))


def _inside(parts: Sequence[HtmlElement]) -> Iterator[HtmlElement]:
    """The elements of an item below its own element: an element's descendants, or every
    element of a run (the run's elements themselves included)."""
    if len(parts) == 1:
        descendants: Iterator[HtmlElement] = parts[0].iterdescendants()
        return descendants
    return chain.from_iterable(p.iter() for p in parts)


def _main_anchor(
    parts: Sequence[HtmlElement], base: str, carriers: set[HtmlElement]
) -> tuple[str, HtmlElement] | None:
    """The link the item is about, and its anchor with the most text."""
    weight: dict[str, int] = defaultdict(int)
    best_anchor: dict[str, tuple[int, HtmlElement]] = {}
    anchors = chain.from_iterable(p.iter("a") for p in parts)
    for anchor in anchors:
        link = canonical_link(anchor.get("href"), base)
        if link is None:
            continue
        inner = sum(text_len(c) for c in carriers if anchor in c.iterancestors())
        chars = text_len(anchor) - inner
        weight[link] += chars
        if link not in best_anchor or chars > best_anchor[link][0]:
            best_anchor[link] = (chars, anchor)
    if not weight:
        return None
    link = max(weight, key=lambda k: weight[k])  # the first on ties: dicts keep order
    if weight[link] <= 0:
        return None
    return link, best_anchor[link][1]


def _headline_element(anchor: HtmlElement) -> HtmlElement:
    for element in anchor.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        titled = tag in ("span", "div", "strong", "p") and _TITLE_CLASS.search(
            element.get("class") or ""
        )
        if (tag in HEADING_TAGS or titled) and text_len(element):
            return element
    return anchor


class _Text:
    """Text pieces of an item in document order, split at its headline element."""

    __slots__ = ("after", "before", "headline", "skip", "target")

    def __init__(self, headline: HtmlElement, skip: set[HtmlElement]) -> None:
        self.headline = headline
        self.skip = skip
        self.before: list[str] = []
        self.after: list[str] = []
        self.target = self.before

    def walk(self, element: HtmlElement) -> None:
        """Append the pieces of ``element`` and its tail. An explicit stack, not
        recursion: pages nest deeper than the interpreter's stack. A string on the stack
        is appended when popped, to the target of that moment (the headline switches
        it)."""
        stack: list[HtmlElement | str] = [element]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.target.append(item)
                continue
            tag = item.tag
            if item is self.headline:
                self.target = self.after
            elif isinstance(tag, str) and item not in self.skip:
                block = tag in BLOCK_TAGS
                self.target.append("\n\n" if block else " " if tag == "br" else "")
                self.target.append(item.text or "")
                stack.append(item.tail or "")
                stack.append("\n\n" if block else "")
                stack.extend(reversed(item))
                continue
            self.target.append(item.tail or "")


def _inline_text(element: HtmlElement, skip: set[HtmlElement]) -> str:
    """The headline's text, with a kicker span in it joined as "Kicker: Headline"."""
    pieces: list[str] = []
    # An explicit stack (pages nest deeper than the interpreter's stack); strings on it
    # are appended when popped: a child's tail, the kicker mark after a kicker's text.
    stack: list[HtmlElement | str] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        if not isinstance(node.tag, str) or node in skip:
            continue
        pieces.append(node.text or "")
        if node is not element and _KICKER_CLASS.search(node.get("class") or ""):
            stack.append(_KICKER_MARK)
        for child in reversed(node):
            stack.append(child.tail or "")
            stack.append(child)
    return _join_kicker("".join(pieces))


def _join_kicker(text: str) -> str:
    """ "Kicker\x00 Headline" → "Kicker: Headline", unless the page separates them already.

    Folded from the right, so "A\x00B\x00C" is "A: B: C" (no recursion per kicker)."""
    *heads, last = text.split(_KICKER_MARK)
    joined = clean_inline(last)
    for raw in reversed(heads):
        head = clean_inline(raw)
        if not head or not joined or joined[0] in ":.-–—|" or head[-1] in ":.-–—|":
            joined = clean_inline(f"{head} {joined}")
        else:
            joined = f"{head}: {joined}"
    return joined


def _printed_time(element: HtmlElement) -> bool:
    """Whether ``element`` is a time label of its own: a leaf whose text is a time, with
    no text of its parent around it. An item dated by an attribute on itself
    (``<li data-timestamp>``) prints its clock in such a leaf, which is neither kicker
    nor lead; "um <b>14:30</b> Uhr" in a lead is running text and stays."""
    if len(element) or not is_time_text(clean_inline(element.text or "").rstrip(EDGE_PUNCTUATION)):
        return False
    if (element.tail or "").strip():
        return False
    parent = element.getparent()
    if parent is None:
        return True
    before = [parent.text or "", *(s.tail or "" for s in element.itersiblings(preceding=True))]
    return not any(piece.strip() for piece in before)


def _parts(
    parts: Sequence[HtmlElement],
    anchor: HtmlElement,
    link: str,
    carriers: set[HtmlElement],
    base: str,
) -> tuple[str, str, str]:
    """(kicker, headline, lead) of an item."""
    headline_element = _headline_element(anchor)
    skip: set[HtmlElement] = set(carriers)
    # What holds the headline or a kicker is never an aside: a meta row often holds the
    # kicker beside the time and byline, and the row is no kicker, the kicker in it is.
    holds_parts = set(headline_element.iterancestors())
    kickers = [
        e
        for e in _inside(parts)
        if isinstance(e.tag, str) and _KICKER_CLASS.search(e.get("class") or "")
    ]
    holds_parts.update(kickers)
    holds_parts.update(a for k in kickers for a in k.iterancestors())
    for element in _inside(parts):
        tag = element.tag
        if not isinstance(tag, str) or element is headline_element or element in skip:
            continue
        repeat = (
            tag == "a"
            and element is not anchor
            and canonical_link(element.get("href"), base) == link
        )  # the headline link again, on an image or as a "faux" link over the whole item
        relative = len(element) == 0 and is_relative_label(clean_inline(element.text or ""))
        aside = element not in holds_parts and _ASIDE_CLASS.search(element.get("class") or "")
        if repeat or relative or aside or _printed_time(element):
            skip.add(element)
    text = _Text(headline_element, skip)
    # An element's children, or a run's elements with the text between them.
    for child in parts[0] if len(parts) == 1 else parts:
        text.walk(child)
    headline = _inline_text(headline_element, skip)
    kicker = clean_inline("".join(text.before)).strip(EDGE_PUNCTUATION)
    lead = clean_display("".join(text.after))
    if is_time_text(kicker):
        kicker = ""
    return kicker, headline, lead


def item_stamp(carriers: list[HtmlElement], page: PageInput) -> tuple[Stamp, str | None]:
    """The item's time: a machine value first, then a printed clock (or a dated one in
    the title of a relative text), then a relative label; the label is what the page
    printed (the attribute for a relative text, which drifts from poll to poll)."""
    machine = clock = relative = None
    label = None
    day: tuple[int | None, int, int] | None = None
    for carrier in carriers:
        for attr in TIME_ATTRIBUTES:
            value = carrier.get(attr)
            if value and machine is None:
                machine = parse_machine_time(value, page.zone)
                if machine is not None:
                    label = label or value
        text = clean_inline(
            carrier.text_content()
            if len(carrier) == 0 or carrier.tag == "time"
            else carrier.text or ""
        ).rstrip(EDGE_PUNCTUATION)
        if not text:
            continue
        if is_relative_label(text):
            # The full date behind a relative text ("vor 2 Std.") says what it rounds.
            if clock is None and (clock := titled_date(carrier)) is not None:
                label = label or clock.raw
            if relative is None:
                relative = parse_relative(text, page.observed_at)
                label = label or text
        elif clock is None and (clock := find_clock(text)) is not None:
            label = text if machine is None or label is None else label
            if not clock.has_date and day is None:
                day = _named_day(text, page)
        elif day is None and (day := day_of(text)) is not None:
            label = label or text
    if machine is not None:
        return Stamp(machine=machine), label
    if clock is not None:
        return Stamp(clock=clock, day=day), label
    # A date alone dates the item's day; it has no time of day to resolve.
    return Stamp(relative=relative, day=None if relative else day), label


def _stands_alone_in_run(parts: Sequence[HtmlElement], anchor: HtmlElement, kicker: str) -> bool:
    """Whether a run's link is a headline of its own: only the time before it, and
    alone in its element (a ``<dd>``, a heading, the link itself). A time paragraph
    followed by a heading or by prose that opens with a link is a live ticker's post."""
    if kicker:
        return False
    holder = next(p for p in parts if p is anchor or anchor in p.iterdescendants())
    return text_len(holder) == text_len(anchor)


def read_item(
    parts: Sequence[HtmlElement], carriers: list[HtmlElement], page: PageInput, base: str
) -> LinkItem | None:
    """The item made of ``parts`` (one element, or a run of siblings) with the time
    ``carriers`` in it; None when it is no headline link with a time."""
    carrier_set = set(carriers)
    main = _main_anchor(parts, base, carrier_set)
    if main is None:
        return None
    link, anchor = main
    if same_page(link, page.url):
        return None  # a permalink to a post on this page: a live blog, not a list of links
    kicker, headline, lead = _parts(parts, anchor, link, carrier_set, base)
    # The headline opens the item: a link further down (in a live blog post's prose,
    # or a time label that links to the post) does not make the item a headline.
    if not headline or is_time_text(headline) or len(kicker) > MAX_KICKER_CHARS:
        return None
    if len(parts) > 1 and not _stands_alone_in_run(parts, anchor, kicker):
        return None
    if kicker and not headline.startswith(kicker):
        headline = f"{kicker}: {headline}"
    stamp, label = item_stamp(carriers, page)
    return LinkItem(parts[0], tuple(parts), link, headline, lead, stamp, label)
