"""Plain-text tickers (text/plain): paragraphs separated by blank lines.

The same rules as :mod:`ingest.layouts.paragraphs`; a heading is a short
standalone line that does not end like a sentence. The first such line is the
page headline; a "date 2019-04" line gives the year and month of the labels.
"""

from __future__ import annotations

import re

from ingest.layouts.base import PageInput, Reading
from ingest.layouts.paragraphs import (
    HEADLINE_MAX_CHARS,
    Item,
    is_ticker_evidence,
    read_items,
)
from ingest.text import clean_display, clean_inline
from ingest.timestamps import leading_label, parse_date_heading

RANK = 5
_DATE_LINE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}\s*")
_SENTENCE_END = re.compile(r"[.!?;:,…\"“”»«)]$")


def _looks_like_heading(text: str) -> bool:
    return len(text) <= HEADLINE_MAX_CHARS and "\n" not in text and not _SENTENCE_END.search(text)


def read(page: PageInput) -> Reading | None:
    if page.root is not None:
        return None
    paragraphs = [clean_display(p) for p in re.split(r"\n\s*\n", page.text)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return None
    items: list[Item] = []
    for text in paragraphs:
        label = leading_label(text)
        day = parse_date_heading(text) if label is None and len(text) <= 40 else None
        items.append(
            Item(
                text=text,
                source=text,
                is_heading=label is None and _looks_like_heading(text),
                label=label,
                day=day,
            )
        )
    if not is_ticker_evidence(items):
        return None
    headline = None
    if items[0].is_heading and not (len(items) > 1 and items[1].label is not None):
        headline = items[0].text
        items = items[1:]
    entries, preamble = read_items(items)
    teaser_parts = [_DATE_LINE_PREFIX.sub("", p.text) for p in preamble if not p.is_heading]
    teaser = clean_inline(" ".join(teaser_parts)) or None
    return Reading(
        layout="text", entries=tuple(entries), headline=headline, teaser=teaser, rank=RANK
    )
