"""Repeated blocks: the container whose repeated children carry time stamps.

Most live blogs render each update as a block (``<article>``, ``<li>``, ``<div>``)
with a time element, an optional headline and a body. Without knowing the site,
we look for *time carriers* — ``<time>`` elements, ISO or epoch attributes, short
elements whose class says "time" and whose text is a clock, absolute times in
``title`` attributes, relative labels — and pick the parent under which the most
sibling children hold one. Those children, and their look-alikes without a time,
are the entries.

A list of links with times (a "Newsticker" sidebar, a key-events box) is not a
ticker: blocks whose text is nearly all link text are rejected.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import HEADING_TAGS, element_text
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.text import clean_inline
from ingest.timestamps import (
    ClockLabel,
    find_clock,
    is_relative_label,
    machine_date,
    on_day,
    parse_machine_time,
    parse_relative,
)

RANK = 20
MIN_BLOCKS = 2
# Entries of a ticker carry body text ("Gelbe Karte für Müller" is 22 characters);
# a list of bare headlines with times is a teaser list.
MIN_AVERAGE_BODY_CHARS = 12
# Attributes that carry a machine-readable time on a block or inside it.
TIME_ATTRIBUTES = (
    "datetime",
    "data-datetime",
    "data-time",
    "data-timestamp",
    "data-post-time",
    "data-published",
    "data-publish-time",
    "data-date",
    "data-created",
)
ID_ATTRIBUTES = ("id", "data-id", "data-post-id", "data-postid", "data-entry-id", "data-block-id")
# "01:43 min" under a video is a duration, not a time stamp.
_DURATION_RE = re.compile(r"\d[:.]\d\d\s*(?:min|sek|sec|s\b)", re.I)
_TIMEISH_CLASS = re.compile(r"time|date|zeit|uhr|stamp|posted|heure|ora\b|godz", re.I)
_TITLEISH_CLASS = re.compile(r"title|headline|heading|head(?!er)|titel|titre|ttl", re.I)
# Text beside a time stamp up to this length is byline or display time, not body.
_BYLINE_MAX_CHARS = 40
# Ids that a CMS derives from layout, not from the post: not identities.
_GENERIC_ID = re.compile(r"^(?:main|content|container|wrapper|root|app|body)$", re.I)


def _is_carrier(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag == "time" or tag == "amp-timeago":
        return True
    if any(element.get(a) for a in TIME_ATTRIBUTES[1:]):
        return True
    klass = element.get("class") or ""
    if klass and _TIMEISH_CLASS.search(klass) and len(element) <= 3:
        text = clean_inline(element.text_content())
        if 0 < len(text) <= 40 and (find_clock(text) or is_relative_label(text)):
            return not _DURATION_RE.search(text)
    return False


def _carriers(root: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for element in root.iter():
        if _is_carrier(element) and not any(_is_carrier(a) for a in element.iterancestors()):
            found.append(element)
    return found


def _signature(element: HtmlElement) -> tuple[str, str]:
    classes = (element.get("class") or "").split()
    return (str(element.tag), classes[0] if classes else "")


def _choose_blocks(root: HtmlElement, carriers: list[HtmlElement]) -> list[HtmlElement]:
    """The children of the parent under which most siblings hold a time carrier."""
    holders: dict[HtmlElement, set[HtmlElement]] = defaultdict(set)
    for carrier in carriers:
        child = carrier
        for parent in carrier.iterancestors():
            holders[parent].add(child)
            child = parent
    best: HtmlElement | None = None
    best_score = 0.0
    for parent, children in holders.items():
        if len(children) < MIN_BLOCKS:
            continue
        signatures = Counter(_signature(c) for c in children)
        _common, count = signatures.most_common(1)[0]
        # Prefer many look-alike siblings; among equals, the deeper (tighter) parent wins
        # because it is visited as a key with the same count.
        score = count + 0.5 * (count / len(children))
        if score > best_score or (
            score == best_score and best is not None and parent in best.iterdescendants()
        ):
            best, best_score = parent, score
    if best is None:
        return []
    chosen = holders[best]
    signatures = Counter(_signature(c) for c in chosen)
    keep = {sig for sig, n in signatures.items() if n >= max(2, len(chosen) // 5)}
    return [c for c in best if isinstance(c.tag, str) and _signature(c) in keep]


def _link_share(block: HtmlElement) -> float:
    total = len(clean_inline(block.text_content()))
    if not total:
        return 1.0
    linked = sum(len(clean_inline(a.text_content())) for a in block.iter("a"))
    return linked / total


def _dated_by_title(clock: ClockLabel, titles: list[str]) -> ClockLabel:
    """The clock as a ``title``/``aria-label`` gives it in full, when one names the
    same time with a date: ``<time title="30.05.2020, 19:03 Uhr">19:03</time>``."""
    for title in titles:
        full = find_clock(title) if title else None
        if full is not None and full.has_date and full.minute_of_day == clock.minute_of_day:
            return full
    return clock


def _stamp(
    block: HtmlElement, carriers: Iterable[HtmlElement], page: PageInput
) -> tuple[Stamp, str | None]:
    machine = None
    label = None
    clock = None
    relative = None
    day = None  # from a date-only attribute, for the clock the element prints
    for element in [block, *carriers]:
        for attr in TIME_ATTRIBUTES:
            value = element.get(attr)
            if value and machine is None:
                machine = parse_machine_time(value, page.zone)
                if machine is not None:
                    label = value
                elif day is None:
                    day = machine_date(value)
        if element is block:
            continue
        titles = [clean_inline(element.get(a) or "") for a in ("title", "aria-label")]
        text = clean_inline(element.text_content()) or next((t for t in titles if t), "")
        if clock is None and text:
            clock = find_clock(text)
            if clock is not None and label is None:
                label = text
            if clock is not None and not clock.has_date:
                clock = _dated_by_title(clock, titles)
        if relative is None and text and is_relative_label(text):
            relative = parse_relative(text, page.observed_at)
            label = label or text
    if machine is not None:
        return Stamp(machine=machine), label
    if clock is not None:
        if day is not None and not clock.has_date:
            clock = on_day(clock, day)
        return Stamp(clock=clock), label
    return Stamp(relative=relative), label


def _headline(block: HtmlElement, skip: set[HtmlElement]) -> HtmlElement | None:
    for element in block.iterdescendants():
        if element in skip or any(a in skip for a in element.iterancestors()):
            continue
        tag = element.tag
        if not isinstance(tag, str):
            continue
        is_heading = tag in HEADING_TAGS or (
            tag in ("div", "span", "p", "strong")
            and _TITLEISH_CLASS.search(element.get("class") or "") is not None
        )
        if is_heading:
            text = clean_inline(element.text_content())
            if 0 < len(text) <= 250:
                return element
        elif tag in ("p", "blockquote", "ul", "ol", "figure"):
            return None  # body text began before any headline
    return None


def _body_elements(element: HtmlElement, skip: set[HtmlElement]) -> list[HtmlElement]:
    """The parts of a block that are body: everything but the skipped subtrees."""
    out: list[HtmlElement] = []
    for child in element:
        if not isinstance(child.tag, str) or child in skip:
            continue
        if any(s in skip for s in child.iterdescendants()):
            out.extend(_body_elements(child, skip))
        else:
            out.append(child)
    return out


def _meta_wrapper(carrier: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The carrier with its small "entry info" wrappers: the display time, a relative
    label or a byline that sit beside it, up to but not including the headline."""
    wrapper = carrier
    carrier_chars = len(clean_inline(carrier.text_content()))
    for parent in carrier.iterancestors():
        if parent is block or parent.tag in ("p", "blockquote", "li", "ul", "ol"):
            break
        if any(isinstance(e.tag, str) and e.tag in HEADING_TAGS for e in parent.iterdescendants()):
            break
        if len(clean_inline(parent.text_content())) - carrier_chars > _BYLINE_MAX_CHARS:
            break
        wrapper = parent
    return wrapper


def _native_id(block: HtmlElement) -> str | None:
    for attr in ID_ATTRIBUTES:
        value = block.get(attr)
        if value and not _GENERIC_ID.match(value):
            return str(value)
    return None


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    body = page.root.find("body")
    carriers = _carriers(body if body is not None else page.root)
    if len(carriers) < MIN_BLOCKS:
        return None
    blocks = _choose_blocks(page.root, carriers)
    if len(blocks) < MIN_BLOCKS:
        return None
    if sum(_link_share(b) > 0.6 for b in blocks) > len(blocks) / 2:
        return None  # a list of links with times: a news list or key events, not a ticker
    entries: list[RawEntry] = []
    for block in blocks:
        own = [c for c in block.iterdescendants() if _is_carrier(c)]
        skip: set[HtmlElement] = {_meta_wrapper(c, block) for c in own}
        # Relative labels beside the clock ("3 mins ago") are never entry text.
        for element in block.iterdescendants():
            if isinstance(element.tag, str) and len(element) == 0:
                text = clean_inline(element.text_content())
                if text and is_relative_label(text):
                    skip.add(element)
        headline_element = _headline(block, skip)
        if headline_element is not None:
            skip.add(headline_element)
        body_parts = _body_elements(block, skip)
        text = "\n\n".join(t for t in (element_text(e) for e in body_parts) if t)
        headline = (
            clean_inline(headline_element.text_content()) if headline_element is not None else None
        )
        if not text and not headline:
            continue
        stamp, label = _stamp(block, own, page)
        pinned = (
            "pinned" in (block.get("class") or "").lower() or block.get("data-pinned") == "true"
        )
        entries.append(
            RawEntry(
                text=text,
                html_parts=tuple(body_parts),
                headline=headline,
                stamp=stamp,
                time_label=label,
                native_id=_native_id(block),
                pinned=pinned,
            )
        )
    if len(entries) < MIN_BLOCKS:
        return None
    if not any(e.stamp.machine or e.stamp.clock for e in entries):
        return None  # relative labels alone are too weak evidence of a ticker
    # Body text must carry the entries: a list of headlines with times is a teaser list.
    if sum(len(e.text) for e in entries) < MIN_AVERAGE_BODY_CHARS * len(entries):
        return None
    return Reading(layout="blocks", entries=tuple(entries), rank=RANK)
