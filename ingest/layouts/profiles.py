"""Site profiles: per-domain selectors for tickers the generic readers get wrong.

A profile names, in XPath, the entry blocks of one site and inside each block its
id, time, headline and body. Each profile exists because a real saved page of
that site read wrong without it; that page is its test (tests/ingest/test_corpus.py).
Profiles are data: adding a site is adding a literal to :data:`PROFILES`
(in :mod:`ingest.layouts.profile_table`).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import element_text
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.layouts.profile_table import PROFILES as PROFILES  # re-exported: the readers' name
from ingest.layouts.profile_table import SiteProfile
from ingest.text import clean_inline
from ingest.timestamps import find_clock, parse_machine_time

RANK = 100


def _first(block: HtmlElement, xpath: str | None) -> HtmlElement | None:
    if not xpath:
        return None
    found = block.xpath(xpath)
    return found[0] if found and isinstance(found[0], HtmlElement) else None


def read_with(profile: SiteProfile, page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    entries: list[RawEntry] = []
    for block in page.root.xpath(profile.block):
        time_element = _first(block, profile.time)
        headline_element = _first(block, profile.headline)
        body_element = _first(block, profile.body)
        body_parts = [body_element] if body_element is not None else [block]
        text = "\n\n".join(element_text(b) for b in body_parts)
        headline = (
            clean_inline(headline_element.text_content()) if headline_element is not None else ""
        )
        label = clean_inline(time_element.text_content()) if time_element is not None else ""
        stamp = Stamp()
        if time_element is not None and not profile.time_is_match_minute:
            value = time_element.get("datetime") or time_element.get("data-time")
            machine = parse_machine_time(value, page.zone) if value else None
            stamp = Stamp(machine=machine, clock=None if machine else find_clock(label))
        if not text and not headline:
            continue
        native_id = block.get(profile.native_id) if profile.native_id else block.get("id")
        entries.append(
            RawEntry(
                text=text,
                html_parts=tuple(body_parts),
                headline=headline or None,
                stamp=stamp,
                time_label=label or None,
                native_id=native_id,
            )
        )
    if not entries:
        return None
    return Reading(layout=f"profile:{profile.name}", entries=tuple(entries), rank=RANK)


def profile_for(url: str, name: str | None = None) -> SiteProfile | None:
    """The profile named for a ticker, else the one whose domain the URL is on."""
    if name:
        return PROFILES.get(name)
    return next((p for p in PROFILES.values() if p.matches(url)), None)
