"""schema.org ``LiveBlogPosting`` in microdata: ``itemprop="liveBlogUpdate"`` items."""

from __future__ import annotations

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import HtmlPart, element_text
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.text import clean_display, clean_inline
from ingest.timestamps import find_clock, parse_machine_time

RANK = 28


def _prop(item: HtmlElement, name: str) -> list[HtmlElement]:
    # The item's own properties: not those of items nested inside it.
    return [
        e
        for e in item.iterdescendants()
        if name in (e.get("itemprop") or "").split()
        and next((a for a in e.iterancestors() if a.get("itemscope") is not None), None) is item
    ]


def _value(element: HtmlElement) -> str:
    for attr in ("content", "datetime", "dateTime"):
        value = element.get(attr)
        if value:
            return str(value)
    return clean_inline(element.text_content())


def _native_id(item: HtmlElement) -> str | None:
    urls = _prop(item, "url")
    if urls and "#" in _value(urls[0]):
        return _value(urls[0]).rsplit("#", 1)[1] or None
    own = item.get("id") or item.get("itemid")
    if own:
        return str(own)
    parent = item.getparent()
    parent_id = parent.get("id") if parent is not None else None
    return str(parent_id) if parent_id else None


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    postings = page.root.xpath("//*[@itemscope][contains(@itemtype,'LiveBlogPosting')]")
    if not postings:
        return None
    items = [item for posting in postings for item in _prop(posting, "liveBlogUpdate")]
    if not items:
        # Updates placed outside the posting's element (linked by itemref or just
        # beside it) still belong to the page's one live blog.
        items = page.root.xpath(
            "//*[@itemscope][contains(concat(' ', @itemprop, ' '), ' liveBlogUpdate ')]"
        )
    entries: list[RawEntry] = []
    for item in items:
        dates = _prop(item, "datePublished") or _prop(item, "dateCreated")
        raw_date = _value(dates[0]) if dates else None
        machine = parse_machine_time(raw_date, page.zone) if raw_date else None
        clock = None if machine or not raw_date else find_clock(raw_date)
        headlines = _prop(item, "headline")
        headline = clean_inline(_value(headlines[0])) if headlines else None
        bodies = _prop(item, "articleBody")
        body_elements = bodies or [item]
        text = "\n\n".join(
            clean_display(b.get("content") or "") if b.tag == "meta" else element_text(b)
            for b in body_elements
        )
        if bodies == [] and headline:
            text = text.replace(headline, "", 1).strip()
        html_parts: tuple[HtmlPart, ...] = (
            tuple(text.split("\n\n"))
            if all(b.tag == "meta" for b in body_elements)
            else tuple(body_elements)
        )
        if not text and not headline:
            continue
        entries.append(
            RawEntry(
                text=text,
                html_parts=html_parts,
                headline=headline or None,
                stamp=Stamp(machine=machine, clock=clock),
                time_label=raw_date,
                native_id=_native_id(item),
            )
        )
    if not entries:
        return None
    return Reading(layout="microdata", entries=tuple(entries), rank=RANK)
