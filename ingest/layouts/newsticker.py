"""Newsticker lists: a page whose main content is a running list of short linked items.

A "Newsticker" (all headlines of the day, newest first) is not a live blog: each item
is a time, a headline that links to an article, and perhaps a kicker (a few words
above or before the headline) and a lead (a sentence after it). Such a list has no
body text to speak of, which is why :mod:`ingest.layouts.blocks` refuses it.

Reading, without knowing the site:

1. **Time carriers**: ``<time>`` elements, elements with a machine time attribute, and
   leaf elements whose whole text is a clock or relative label ("14:06", "vor 7 Min.")
   or a date ("26.01.": older items often show their day only; they stay without a
   time, and a list needs some timed items beside them).
2. **Items**: carriers are grouped by their tag path from the root (one list's items
   share their skeleton); a group's item is, for every carrier, its outermost ancestor
   that holds no other item's carrier (an ``<li>``, an ``<article>``, a ``<tr>``).
   Lists split under day headings (one ``<ul>`` per day) are one group. An item that
   holds no link opens a run of siblings up to the next (``<dt>`` and ``<dd>``).
3. **Parts of an item**: the headline link is the link whose anchors carry the most
   text; the headline is the heading inside it, or its text. Text before the headline
   is the kicker, text after it the lead; time labels, bylines, comment counters and
   repeats of the headline link are neither.
4. **Main content or sidebar**: the list must hold most of the page's text and more
   than the prose beside it, and must not sit in an ``<aside>``; an article with a
   small newsticker box stays an article (not a ticker).

An entry's ``headline`` is "Kicker: Headline" (the kicker belongs to the headline a
reader sees; a changed kicker is a retitle), its ``text`` the lead (often empty), its
``native_id`` the canonical link (:func:`ingest.links.canonical_link`), which is the
item's identity from poll to poll. A link listed twice (an item re-published further
up) is one entry, the first (newest) one. Day headings ("Freitag, 28.01.2022", or
"Gestern" and "Samstag" as the reader's week names them) above items date their
clock labels.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import replace
from datetime import date

from lxml.html import HtmlElement

from ingest.htmltext import HEADING_TAGS, lowest_common_ancestor
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.layouts.dayheads import named_day
from ingest.layouts.linkitem import (
    EDGE_PUNCTUATION,
    MAX_TIME_TEXT_CHARS,
    MAYBE_TIME,
    LinkItem,
    day_of,
    is_time_text,
    read_item,
    text_len,
)
from ingest.layouts.signals import TIME_ATTRIBUTES
from ingest.links import canonical_link
from ingest.text import clean_inline

# Above blocks (20): on a page both read, the items are links and their identity is
# the link. Below microdata (28) and JSON-LD (30), which describe entries explicitly.
RANK = 24
# Fewer items than this is a box of links, not a page's list.
MIN_ITEMS = 5
# A list of links names mostly distinct articles; a menu repeats a few.
MIN_DISTINCT_LINKS = 0.8
# Share of the page's visible text the items must hold. Measured: two real newsticker
# pages 0.86 and 0.99; an article with a newsticker box 0.03; timed link lists inside
# live blogs and articles of the corpus (tests/data/corpus) at most 0.27.
MIN_LIST_SHARE = 0.5
# Items with a time of day (or a relative label) a list needs: one whose items show a
# date alone is an archive of articles, not a list running today.
MIN_TIMED_ITEMS = 3
# Items are short: a headline and a sentence or two. Live blog entries are longer.
MAX_MEDIAN_ITEM_CHARS = 600
_SIDEBAR_MARK = re.compile(r"(?:^|[\s_-])(?:sidebar|aside|rail|marginal)(?:$|[\s_-])", re.I)


_TIME_ATTRIBUTE_NAMES = frozenset(TIME_ATTRIBUTES)


def _is_carrier(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag == "time":
        return True
    # Set intersection first: most elements name none of these attributes at all.
    if not _TIME_ATTRIBUTE_NAMES.isdisjoint(element.keys()) and any(
        element.get(a) for a in TIME_ATTRIBUTES
    ):
        return True
    own = element.text
    if not own or len(own) > 4 * MAX_TIME_TEXT_CHARS or not MAYBE_TIME.search(own):
        return False
    # A leaf whose text is a time, or "<li>14:06 <a …>Headline</a></li>": a time label
    # as the element's own first text. A date alone ("26.01.") is how lists label their
    # older items; such items join a list only beside timed ones (MIN_TIMED_ITEMS).
    label = clean_inline(own).rstrip(EDGE_PUNCTUATION)
    return is_time_text(label) or (len(element) == 0 and day_of(own) is not None)


def _carriers(body: HtmlElement) -> list[HtmlElement]:
    found = []
    inside: set[HtmlElement] = set()
    for element in body.iter():
        parent = element.getparent()
        if parent in inside:
            inside.add(element)  # a carrier's own parts are not carriers again
            continue
        if _is_carrier(element):
            found.append(element)
            inside.add(element)
    return found


def _items_of(carriers: list[HtmlElement]) -> list[tuple[HtmlElement, list[HtmlElement]]]:
    """Carriers grouped by list: each group's items, with the carriers each holds."""
    by_skeleton: dict[tuple[str, ...], list[list[HtmlElement]]] = defaultdict(list)
    for carrier in carriers:
        path = [carrier, *carrier.iterancestors()]
        path.reverse()
        # Keyed by the ancestors only: a <time> in one item and a <b>14:06</b> in the
        # next are one list's carriers.
        by_skeleton[tuple(str(e.tag) for e in path[:-1])].append(path)
    out: list[tuple[HtmlElement, list[HtmlElement]]] = []
    for paths in by_skeleton.values():
        if len(paths) < MIN_ITEMS:
            continue
        depth = len(paths[0])
        counts = [len({p[d] for p in paths}) for d in range(depth)]
        # Carriers side by side in one item (a <time> and a "vor 5 Min." beside it)
        # share their parent; a carrier that holds its item's text itself ("<li>14:06
        # <a>…</a></li>") shares only the list (or its day section) with the others.
        parents = counts[-2] if depth > 1 else counts[-1]
        target = parents if 3 * parents >= counts[-1] else counts[-1]
        # The item is the outermost level at which the items are as far apart as they
        # will get: above it, items share a day section or the list.
        level = next(d for d in range(depth) if counts[d] == target)
        grouped: dict[HtmlElement, list[HtmlElement]] = {}
        for path in paths:
            grouped.setdefault(path[level], []).append(path[-1])
        out.extend(grouped.items())
    return out


def _runs(
    items: dict[HtmlElement, list[HtmlElement]],
) -> dict[HtmlElement, tuple[HtmlElement, ...]]:
    """Items that hold no link and open a run of siblings instead: ``<dt>`` and its
    ``<dd>``, a time ``<span>`` with the link and ``<br>`` after it. A run reaches to
    the next item; the last one of a list no further than the longest other run, so
    that it does not take in a "more" link or whatever else closes the list."""
    bare: dict[HtmlElement, list[HtmlElement]] = defaultdict(list)
    for element in items:
        parent = element.getparent()
        if parent is not None and element.tag != "a" and next(element.iter("a"), None) is None:
            bare[parent].append(element)
    out: dict[HtmlElement, tuple[HtmlElement, ...]] = {}
    for members in bare.values():
        if len(members) < 2:
            continue
        found: list[list[HtmlElement]] = []
        for element in members:
            run = [element]
            for sibling in element.itersiblings():
                if sibling in items:
                    break
                if isinstance(sibling.tag, str):
                    run.append(sibling)
            found.append(run)
        longest = max(len(run) for run in found[:-1])
        found[-1] = found[-1][:longest]
        out.update((run[0], tuple(run)) for run in found)
    return out


def _in_sidebar(region: HtmlElement) -> bool:
    for element in (region, *region.iterancestors()):
        if element.tag == "aside":
            return True
        if _SIDEBAR_MARK.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
    return False


def _is_main_content(items: list[LinkItem], region: HtmlElement, body: HtmlElement) -> bool:
    """Whether the list (under ``region``) is what the page is about, not a box beside
    an article."""
    if _in_sidebar(region):
        return False
    list_chars = sum(text_len(p) for i in items for p in i.parts)
    page_chars = text_len(body)
    if list_chars < MIN_LIST_SHARE * page_chars:
        return False
    within = set(region.iterdescendants())
    prose = sum(n for p in body.iter("p") if p not in within and (n := text_len(p)) >= 100)
    return list_chars > prose


def _days(
    items: list[LinkItem], region: HtmlElement, order: dict[HtmlElement, int], today: date
) -> list[tuple[int | None, int, int] | None]:
    """The day heading above each item within the list ("Freitag, 28.01.2022", or
    "Gestern" and "Samstag" counted back from ``today``); ``order`` numbers the
    elements under ``region`` in document order."""
    inside_items = {e for i in items for p in i.parts for e in p.iter()}
    headings: list[tuple[int, tuple[int | None, int, int]]] = []
    for element, index in order.items():
        if element in inside_items or not isinstance(element.tag, str):
            continue
        if element.tag in HEADING_TAGS or (
            len(element) == 0 and len(element.text or "") <= 60 and element.tag != "a"
        ):
            text = clean_inline(element.text_content())
            day = day_of(text) or named_day(text, today)
            if day is not None:
                headings.append((index, day))
    positions = [index for index, _ in headings]
    out: list[tuple[int | None, int, int] | None] = []
    for item in items:
        at = bisect_right(positions, order[item.element]) - 1
        out.append(headings[at][1] if at >= 0 else None)
    return out


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    body = page.root.find("body")
    if body is None:
        return None
    base = _base_url(page)
    best: list[LinkItem] = []
    by_item: dict[HtmlElement, list[HtmlElement]] = {}
    for element, carriers in _items_of(_carriers(body)):
        by_item.setdefault(element, []).extend(carriers)
    groups: dict[HtmlElement, list[LinkItem]] = defaultdict(list)
    runs = _runs(by_item)
    for element, carriers in by_item.items():
        item = read_item(runs.get(element, (element,)), carriers, page, base)
        if item is not None:
            groups[element.getparent()].append(item)
    # Items of one list share a skeleton; day sections make several parents of one list.
    lists: dict[tuple[str, ...], list[LinkItem]] = defaultdict(list)
    for parent, members in groups.items():
        skeleton = tuple(str(e.tag) for e in (parent, *parent.iterancestors()))
        lists[skeleton].extend(members)
    for members in lists.values():
        if len(members) > len(best):
            best = members
    if len(best) < MIN_ITEMS:
        return None
    stamps = [i.stamp for i in best]
    if sum(1 for s in stamps if s.machine or s.clock or s.relative) < MIN_TIMED_ITEMS:
        return None
    if len({i.link for i in best}) < MIN_DISTINCT_LINKS * len(best):
        return None
    sizes = sorted(len(i.headline) + len(i.lead) for i in best)
    if sizes[len(sizes) // 2] > MAX_MEDIAN_ITEM_CHARS:
        return None
    region = lowest_common_ancestor([i.element for i in best])
    if not _is_main_content(best, region, body):
        return None
    # Page order, whichever kind of time carrier each item was found by.
    order = {element: index for index, element in enumerate(region.iter())}
    best.sort(key=lambda i: order[i.element])
    entries: list[RawEntry] = []
    seen: set[str] = set()
    # The fetch's local day, in the zone the page was provisionally placed in: what
    # "Heute" and "Gestern" above the items count from.
    today = page.observed_at.astimezone(page.zone).date()
    for item, day in zip(best, _days(best, region, order, today), strict=True):
        if item.link in seen:
            continue  # listed again further down: the first (newest) place is the item
        seen.add(item.link)
        stamp = replace(item.stamp, day=item.stamp.day or day)
        entries.append(
            RawEntry(
                text=item.lead,
                html_parts=tuple(item.lead.split("\n\n")) if item.lead else (),
                headline=item.headline,
                stamp=stamp,
                time_label=item.label,
                native_id=item.link,
            )
        )
    return Reading(layout="newsticker", entries=tuple(entries), rank=RANK)


def _base_url(page: PageInput) -> str:
    """What relative links resolve against: the page's ``<base href>``, else its URL."""
    assert page.root is not None
    for base in page.root.iter("base"):
        href = base.get("href")
        if href:
            return canonical_link(href, page.url) or page.url
    return page.url
