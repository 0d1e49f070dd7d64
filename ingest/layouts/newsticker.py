"""Newsticker lists: a page whose main content is a running list of short linked items.

A "Newsticker" (all headlines of the day, newest first) is not a live blog: each item
is a time, a headline that links to an article, and perhaps a kicker (a few words
above or before the headline) and a lead (a sentence after it). Such a list has no
body text to speak of, which is why :mod:`ingest.layouts.blocks` refuses it.

Reading, without knowing the site:

1. **Time carriers**: ``<time>`` elements, elements with a machine time attribute, and
   leaf elements whose whole text is a clock or relative label ("14:06", "vor 7 Min.").
2. **Items**: carriers are grouped by their tag path from the root (one list's items
   share their skeleton); a group's item is, for every carrier, its outermost ancestor
   that holds no other item's carrier (an ``<li>``, an ``<article>``, a ``<tr>``).
   Lists split under day headings (one ``<ul>`` per day) are one group.
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
up) is one entry, the first (newest) one. Day headings ("Freitag, 28.01.2022") above
items date their clock labels.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import BLOCK_TAGS, HEADING_TAGS
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.links import canonical_link, same_page
from ingest.text import clean_display, clean_inline
from ingest.timestamps import (
    find_clock,
    is_relative_label,
    parse_date_heading,
    parse_machine_time,
    parse_relative,
)

# Above blocks (20): on a page both read, the items are links and their identity is
# the link. Below microdata (28) and JSON-LD (30), which describe entries explicitly.
RANK = 24
# Fewer items than this is a box of links, not a page's list.
MIN_ITEMS = 5
# A list of links names mostly distinct articles; a menu repeats a few.
MIN_DISTINCT_LINKS = 0.8
# Share of the page's visible text the items must hold. Measured: newsticker pages
# 0.75-0.95; articles with a newsticker box 0.02-0.15.
MIN_LIST_SHARE = 0.5
# Items are short: a headline and a sentence or two. Live blog entries are longer.
MAX_MEDIAN_ITEM_CHARS = 600
# A kicker is a few words; longer text before the headline is part of the lead.
MAX_KICKER_CHARS = 80
MAX_TIME_TEXT_CHARS = 40

TIME_ATTRIBUTES = ("datetime", "data-datetime", "data-time", "data-timestamp", "data-published")
# Parts of an item that are neither kicker nor lead: who wrote it, how many comments.
_ASIDE_CLASS = re.compile(
    r"byline|author|autor|source|quelle|credit|comment|kommentar|meta|count|share|bookmark",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|headline|heading|titel|ttl", re.IGNORECASE)
_KICKER_CLASS = re.compile(
    r"kicker|dachzeile|overline|topline|eyebrow|roofline|supertitle|spitzmarke", re.IGNORECASE
)
_SIDEBAR_MARK = re.compile(r"(?:^|[\s_-])(?:sidebar|aside|rail|marginal)(?:$|[\s_-])", re.I)
# Cheap test before the label parsers: a time label has a digit or a relative word.
_MAYBE_TIME = re.compile(r"\d|vor |ago\b|il y a|gerade|just now|jetzt|instant", re.IGNORECASE)
_DURATION = re.compile(r"\d[:.]\d\d\s*(?:min|sek|sec|s\b)", re.IGNORECASE)
_NUMERIC_DAY = re.compile(r"(?:[^\W\d_]+,?\s+)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}):?")
_EDGE_PUNCTUATION = " :|-–—•·/,"


@dataclass(frozen=True, slots=True)
class _Item:
    element: HtmlElement
    link: str
    headline: str
    lead: str
    stamp: Stamp
    label: str | None


def _is_time_text(text: str) -> bool:
    """A short text that is only a time: a clock ("14:06 Uhr", "28.01., 19:08"), or a
    relative label ("vor 7 Minuten")."""
    if not text or len(text) > MAX_TIME_TEXT_CHARS or not _MAYBE_TIME.search(text):
        return False
    if _DURATION.search(text):
        return False
    if is_relative_label(text):
        return True
    clock = find_clock(text)
    return clock is not None and len(clock.raw) >= 0.5 * len(text)


def _is_carrier(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag == "time":
        return True
    if any(element.get(a) for a in TIME_ATTRIBUTES):
        return True
    own = element.text
    if not own or len(own) > 4 * MAX_TIME_TEXT_CHARS or not _MAYBE_TIME.search(own):
        return False
    # A leaf whose text is a time, or "<li>14:06 <a …>Headline</a></li>": a time label
    # as the element's own first text.
    return _is_time_text(clean_inline(own).rstrip(_EDGE_PUNCTUATION))


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
        by_skeleton[tuple(str(e.tag) for e in path)].append(path)
    out: list[tuple[HtmlElement, list[HtmlElement]]] = []
    for paths in by_skeleton.values():
        if len(paths) < MIN_ITEMS:
            continue
        depth = len(paths[0])
        counts = [len({p[d] for p in paths}) for d in range(depth)]
        # The item is the outermost level at which the carriers are as far apart as
        # they will get: above it, items share a day section or the list.
        level = next(d for d in range(depth) if counts[d] == counts[-1])
        grouped: dict[HtmlElement, list[HtmlElement]] = {}
        for path in paths:
            grouped.setdefault(path[level], []).append(path[-1])
        out.extend(grouped.items())
    return out


def _text_len(element: HtmlElement) -> int:
    return len(clean_inline(element.text_content()))


def _main_anchor(
    item: HtmlElement, base: str, carriers: set[HtmlElement]
) -> tuple[str, HtmlElement] | None:
    """The link the item is about, and its anchor with the most text."""
    weight: dict[str, int] = defaultdict(int)
    best_anchor: dict[str, tuple[int, HtmlElement]] = {}
    for anchor in item.iter("a"):
        link = canonical_link(anchor.get("href"), base)
        if link is None:
            continue
        inner = sum(_text_len(c) for c in carriers if anchor in c.iterancestors())
        chars = _text_len(anchor) - inner
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
        if (tag in HEADING_TAGS or titled) and _text_len(element):
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
        tag = element.tag
        if element is self.headline:
            self.target = self.after
        elif isinstance(tag, str) and element not in self.skip:
            block = tag in BLOCK_TAGS
            self.target.append("\n\n" if block else " " if tag == "br" else "")
            self.target.append(element.text or "")
            for child in element:
                self.walk(child)
            self.target.append("\n\n" if block else "")
        self.target.append(element.tail or "")


def _inline_text(element: HtmlElement, skip: set[HtmlElement]) -> str:
    """The headline's text, with a kicker span in it joined as "Kicker: Headline"."""
    pieces: list[str] = []

    def walk(node: HtmlElement) -> None:
        if isinstance(node.tag, str) and node not in skip:
            pieces.append(node.text or "")
            for child in node:
                walk(child)
                pieces.append(child.tail or "")
            if node is not element and _KICKER_CLASS.search(node.get("class") or ""):
                pieces.append("\x00")

    walk(element)
    return _join_kicker("".join(pieces))


def _join_kicker(text: str) -> str:
    """ "Kicker\x00 Headline" → "Kicker: Headline", unless the page separates them already."""
    head, _, rest = text.partition("\x00")
    head = clean_inline(head)
    if not rest:
        return head
    rest = _join_kicker(rest)
    if not head or not rest or rest[0] in ":.-–—|" or head[-1] in ":.-–—|":
        return clean_inline(f"{head} {rest}")
    return f"{head}: {rest}"


def _parts(
    item: HtmlElement, anchor: HtmlElement, link: str, carriers: set[HtmlElement], base: str
) -> tuple[str, str, str]:
    """(kicker, headline, lead) of an item."""
    headline_element = _headline_element(anchor)
    skip: set[HtmlElement] = set(carriers)
    holds_headline = set(headline_element.iterancestors())
    for element in item.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str) or element is headline_element or element in skip:
            continue
        repeat = (
            tag == "a"
            and element is not anchor
            and canonical_link(element.get("href"), base) == link
        )  # the headline link again, on an image or as a "faux" link over the whole item
        relative = len(element) == 0 and is_relative_label(clean_inline(element.text or ""))
        aside = element not in holds_headline and _ASIDE_CLASS.search(element.get("class") or "")
        if repeat or relative or aside:
            skip.add(element)
    text = _Text(headline_element, skip)
    for child in item:
        text.walk(child)
    headline = _inline_text(headline_element, skip)
    kicker = clean_inline("".join(text.before)).strip(_EDGE_PUNCTUATION)
    lead = clean_display("".join(text.after))
    if _is_time_text(kicker):
        kicker = ""
    return kicker, headline, lead


def _stamp(carriers: list[HtmlElement], page: PageInput) -> tuple[Stamp, str | None]:
    """The item's time: a machine value first, then a printed clock, then a relative
    label; the label is what the page printed (the attribute for a relative text,
    which drifts from poll to poll)."""
    machine = clock = relative = None
    label = None
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
        ).rstrip(_EDGE_PUNCTUATION)
        if not text:
            continue
        if is_relative_label(text):
            if relative is None:
                relative = parse_relative(text, page.observed_at)
                label = label or text
        elif clock is None:
            clock = find_clock(text)
            if clock is not None:
                label = text if machine is None or label is None else label
    if machine is not None:
        return Stamp(machine=machine), label
    if clock is not None:
        return Stamp(clock=clock), label
    return Stamp(relative=relative), label


def _read_item(
    element: HtmlElement, carriers: list[HtmlElement], page: PageInput, base: str
) -> _Item | None:
    carrier_set = set(carriers)
    main = _main_anchor(element, base, carrier_set)
    if main is None:
        return None
    link, anchor = main
    if same_page(link, page.url):
        return None  # a permalink to a post on this page: a live blog, not a list of links
    kicker, headline, lead = _parts(element, anchor, link, carrier_set, base)
    # The headline opens the item: a link further down (in a live blog post's prose,
    # or a time label that links to the post) does not make the item a headline.
    if not headline or _is_time_text(headline) or len(kicker) > MAX_KICKER_CHARS:
        return None
    if kicker and not headline.startswith(kicker):
        headline = f"{kicker}: {headline}"
    stamp, label = _stamp(carriers, page)
    return _Item(element, link, headline, lead, stamp, label)


def _lowest_common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    common = [*reversed(list(elements[0].iterancestors()))]
    for element in elements[1:]:
        path = [*reversed(list(element.iterancestors()))]
        length = 0
        for a, b in zip(common, path, strict=False):
            if a is not b:
                break
            length += 1
        common = common[:length]
    return common[-1]


def _in_sidebar(region: HtmlElement) -> bool:
    for element in (region, *region.iterancestors()):
        if element.tag == "aside":
            return True
        if _SIDEBAR_MARK.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
    return False


def _is_main_content(items: list[_Item], body: HtmlElement) -> bool:
    """Whether the list is what the page is about, not a box beside an article."""
    region = _lowest_common_ancestor([i.element for i in items])
    if _in_sidebar(region):
        return False
    list_chars = sum(_text_len(i.element) for i in items)
    page_chars = _text_len(body)
    if list_chars < MIN_LIST_SHARE * page_chars:
        return False
    within = set(region.iterdescendants())
    prose = sum(n for p in body.iter("p") if p not in within and (n := _text_len(p)) >= 100)
    return list_chars > prose


def _day_heading(text: str) -> tuple[int | None, int, int] | None:
    """The day a heading names. Numeric dates ("Donnerstag, 27.01.2022") are read
    here too: :func:`ingest.timestamps.parse_date_heading` takes "7.01" in them for
    a clock and refuses them."""
    if not text or len(text) > 45:
        return None
    numeric = _NUMERIC_DAY.fullmatch(text)
    if numeric is not None:
        day, month, year = (int(g) for g in numeric.groups())
        return (year, month, day) if 1 <= day <= 31 and 1 <= month <= 12 else None
    return parse_date_heading(text)


def _days(items: list[_Item]) -> list[tuple[int | None, int, int] | None]:
    """The day heading above each item within the list ("Freitag, 28.01.2022")."""
    region = _lowest_common_ancestor([i.element for i in items])
    inside_items = {e for i in items for e in i.element.iter()}
    order: dict[HtmlElement, int] = {}
    headings: list[tuple[int, tuple[int | None, int, int]]] = []
    for index, element in enumerate(region.iter()):
        order[element] = index
        if element in inside_items or not isinstance(element.tag, str):
            continue
        if element.tag in HEADING_TAGS or (
            len(element) == 0 and len(element.text or "") <= 60 and element.tag != "a"
        ):
            day = _day_heading(clean_inline(element.text_content()))
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
    best: list[_Item] = []
    by_item: dict[HtmlElement, list[HtmlElement]] = {}
    for element, carriers in _items_of(_carriers(body)):
        by_item.setdefault(element, []).extend(carriers)
    groups: dict[HtmlElement, list[_Item]] = defaultdict(list)
    for element, carriers in by_item.items():
        item = _read_item(element, carriers, page, base)
        if item is not None:
            groups[element.getparent()].append(item)
    # Items of one list share a skeleton; day sections make several parents of one list.
    lists: dict[tuple[str, ...], list[_Item]] = defaultdict(list)
    for parent, members in groups.items():
        skeleton = tuple(str(e.tag) for e in (parent, *parent.iterancestors()))
        lists[skeleton].extend(members)
    for members in lists.values():
        if len(members) > len(best):
            best = members
    if len(best) < MIN_ITEMS:
        return None
    if len({i.link for i in best}) < MIN_DISTINCT_LINKS * len(best):
        return None
    sizes = sorted(len(i.headline) + len(i.lead) for i in best)
    if sizes[len(sizes) // 2] > MAX_MEDIAN_ITEM_CHARS:
        return None
    if not _is_main_content(best, body):
        return None
    entries: list[RawEntry] = []
    seen: set[str] = set()
    for item, day in zip(best, _days(best), strict=True):
        if item.link in seen:
            continue  # listed again further down: the first (newest) place is the item
        seen.add(item.link)
        stamp = replace(item.stamp, day=day)
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
