"""Time-prefixed paragraphs: "14.01 Uhr: …" runs, with headlines in between.

The classic German news ticker (Ippen, BR, NZZ) and old British live blogs
(Telegraph 2015) have no element per entry. An entry starts at a paragraph (or
heading) that opens with a time label; paragraphs without a label belong to the
entry above. A heading directly above a labelled paragraph is that entry's
headline; a heading followed by an unlabelled paragraph is a subhead inside the
entry above and stays part of its text. A heading that names a day
("Dienstag, 27. August 2024") dates the entries below it.

:func:`read_items` holds the rules over a flat sequence of :class:`Item`, so the
plain-text reader shares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from ingest.dating import Stamp
from ingest.htmltext import (
    BLOCK_TAGS,
    HEADING_TAGS,
    HtmlPart,
    element_text,
    lowest_common_ancestor,
)
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.text import clean_inline
from ingest.timestamps import LeadingLabel, leading_label, parse_date_heading

RANK = 10
MIN_LABELLED = 2
ITEM_TAGS = frozenset({"p", "blockquote", "figure", "table", *HEADING_TAGS})
# An <li> is an item of its own when it opens with a clock; otherwise its list is.
_LI_LABEL_RE = re.compile(r"\s*(?:\+\+\+\s*)?(?:update,?\s+)?\d{1,2}[:.h]\s?\d{2}", re.IGNORECASE)
# Inline markup a label is set in when it opens a paragraph or a line ("<b>14:05</b>").
_EMPHASIS_TAGS = frozenset({"strong", "b", "span", "em"})
# Clock-labelled lines that make one paragraph broken by <br>s a run of entries.
_MIN_LINES = 3
# A standalone short line counts as a headline only up to this length.
HEADLINE_MAX_CHARS = 200
# What sets a bold lead-in off from the body after it.
_LEAD_IN_SEPARATOR = re.compile(r"^\s*[–—-]\s+")
# A lead-in is a few words, not a sentence; one word there is a dateline ("Kiew – …").
_LEAD_IN_MAX_CHARS = 120


@dataclass(frozen=True, slots=True)
class Item:
    """One paragraph-like unit in page order."""

    text: str
    source: HtmlPart  # the element, or the paragraph's text in plain-text tickers
    is_heading: bool  # a heading element, or a short standalone line in plain text
    label: LeadingLabel | None
    day: tuple[int | None, int, int] | None  # set when the item is a day heading
    # Bold words after a bold time label, set off by a dash ("<strong>22:05</strong>
    # <b>Headline</b> – body"): the entry's headline when the label opens the item.
    lead_in: str | None = None


def read_items(items: list[Item]) -> tuple[list[RawEntry], list[Item]]:
    """Entries from a flat item sequence, and the items above the first entry."""
    entries: list[RawEntry] = []
    preamble: list[Item] = []
    current: dict[str, object] | None = None
    texts: list[str] = []
    htmls: list[HtmlPart] = []
    day: tuple[int | None, int, int] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            entries.append(
                RawEntry(
                    text="\n\n".join(t for t in texts if t),
                    html_parts=tuple(htmls),
                    headline=current["headline"],  # type: ignore[arg-type]
                    stamp=current["stamp"],  # type: ignore[arg-type]
                    time_label=current["label"],  # type: ignore[arg-type]
                )
            )
        current = None
        texts.clear()
        htmls.clear()

    for index, item in enumerate(items):
        if item.day is not None:
            close()
            day = item.day
            continue
        if item.label is not None:
            close()
            headline = None
            previous = items[index - 1] if index else None
            # The heading directly above is this entry's headline (it was held back).
            if (
                previous is not None
                and previous.is_heading
                and previous.label is None
                and previous.day is None
            ):
                headline = previous.text
            label = item.label
            rest = clean_inline(label.rest)
            current = {
                "headline": headline,
                "stamp": Stamp(clock=label.clock, day=day),
                "label": label.raw,
            }
            if item.is_heading and rest and len(rest) <= HEADLINE_MAX_CHARS and headline is None:
                # "12.31 Uhr: Headline" as a heading: the rest of the heading is the headline.
                current["headline"] = rest
                rest = ""
            elif headline is None and item.lead_in and rest.startswith(item.lead_in):
                current["headline"] = item.lead_in
                rest = _LEAD_IN_SEPARATOR.sub("", rest[len(item.lead_in) :].lstrip(), count=1)
            if rest:
                texts.append(rest)
                htmls.append(rest)
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if item.is_heading and following is not None and following.label is not None:
            continue  # held back: it is the next entry's headline
        if current is None:
            preamble.append(item)
            continue
        texts.append(item.text)
        htmls.append(item.source)
    close()
    return entries, preamble


def _is_item(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag in ITEM_TAGS:
        return True
    if tag in ("ul", "ol"):
        # A bullet list inside an entry is one item; a list of labelled items is a ticker.
        return not any(c.tag == "li" and _LI_LABEL_RE.match(c.text_content()) for c in element)
    if tag == "li":
        return bool(_LI_LABEL_RE.match(element.text_content()))
    if tag == "div":
        # A div holding text and inline markup only reads like a paragraph.
        return bool((element.text or "").strip()) and not any(
            isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element
        )
    return False


def _items_in(container: HtmlElement) -> list[HtmlElement]:
    """Paragraph-like elements under a container, in document order, not nested."""
    out: list[HtmlElement] = []
    inside: set[HtmlElement] = set()
    for element in container.iterdescendants():
        parent = element.getparent()
        if parent in inside:
            inside.add(element)
            continue
        if _is_item(element):
            out.append(element)
            inside.add(element)
    return out


def _leading_emphasis(element: HtmlElement) -> str | None:
    """The bold text a paragraph opens with ("<strong>16.06</strong> …"), if any."""
    if (element.text or "").strip():
        return None
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _EMPHASIS_TAGS:
            return clean_inline(child.text_content()) or None
        return None
    return None


def _to_item(element: HtmlElement) -> Item | None:
    text = element_text(element)
    if not text:
        return None
    heading = element.tag in HEADING_TAGS
    if not heading and element.tag == "p":
        # A paragraph that is all bold and short reads as a headline.
        emphasis = _leading_emphasis(element)
        heading = (
            bool(emphasis) and emphasis == clean_inline(text) and len(text) <= HEADLINE_MAX_CHARS
        )
    label = leading_label(text, emphasized=_leading_emphasis(element))
    day = parse_date_heading(text) if (heading or len(text) <= 40) and label is None else None
    lead_in = _lead_in(element) if label is not None and not heading else None
    return Item(
        text=text, source=element, is_heading=heading, label=label, day=day, lead_in=lead_in
    )


def _lead_in(element: HtmlElement) -> str | None:
    """The bold words right after a paragraph's bold time label, when a dash sets them
    off from a longer body ("<strong>22:05</strong> <b>Neue Gespräche</b> – Die …"), or
    when they share the label's bold and the body follows outside it ("<strong>23.42
    Uhr: FDP scheitert</strong> Die Liberalen …")."""
    bolds = [c for c in element if isinstance(c.tag, str)][:2]
    if bolds and bolds[0].tag in ("strong", "b") and not (element.text or "").strip():
        shared = _shared_lead_in(bolds[0])
        if shared is not None:
            return shared
    if len(bolds) < 2 or any(b.tag not in ("strong", "b") for b in bolds):
        return None
    if (bolds[0].tail or "").strip():
        return None  # words between the time and the bold ones: the bold is inside the body
    words = clean_inline(bolds[1].text_content())
    after = bolds[1].tail or ""
    if len(words.split()) < 2 or len(words) > _LEAD_IN_MAX_CHARS or words[-1] in ".!?,;":
        return None
    if not _LEAD_IN_SEPARATOR.match(after) or len(clean_inline(after)) <= len(words):
        return None
    return words


def _shared_lead_in(bold: HtmlElement) -> str | None:
    """The words after the time label inside one bold, when the longer body follows
    the bold: a few words, not a sentence (one that ends in "." is the body's start)."""
    label = leading_label(clean_inline(bold.text_content()))
    if label is None or label.clock is None:
        return None
    words = clean_inline(label.rest).lstrip(":–—- ")
    after = clean_inline(bold.tail or "")
    if len(words.split()) < 2 or len(words) > _LEAD_IN_MAX_CHARS or words[-1] in ".!?,;":
        return None
    return words if len(after) > len(words) else None


def _lines(element: HtmlElement) -> list[tuple[str, str | None]]:
    """The lines of a paragraph split at its ``<br>``s: each line's text and the bold
    text it opens with, if any."""
    lines: list[tuple[list[str], str | None]] = [([element.text or ""], None)]
    for child in element:
        if child.tag == "br":
            lines.append(([child.tail or ""], None))
            continue
        parts, emphasis = lines[-1]
        opens = not "".join(parts).strip()
        if opens and isinstance(child.tag, str) and child.tag in _EMPHASIS_TAGS:
            emphasis = clean_inline(child.text_content()) or None
        lines[-1] = ([*parts, child.text_content(), child.tail or ""], emphasis)
    return [
        (text, emphasis)
        for text, emphasis in ((clean_inline("".join(p)), e) for p, e in lines)
        if text
    ]


def _line_items(element: HtmlElement) -> list[Item] | None:
    """The entries of one paragraph whose lines open with time labels ("<p><b>15:30</b>
    Sejm przyjął …<br><br><b>14:05</b> Opozycja …</p>"), one item per line; None unless
    three or more lines carry a clock. Old CMSs set a whole ticker as one paragraph
    broken by ``<br>``s; two times in a paragraph are as often a programme ("19.00 Uhr:
    Einlass<br>20.00 Uhr: Konzert") in an ordinary article."""
    if element.tag not in ("p", "div") or element.find("br") is None:
        return None
    labelled: list[tuple[str, LeadingLabel | None]] = [
        (text, leading_label(text, emphasized=emphasis)) for text, emphasis in _lines(element)
    ]
    if (
        sum(1 for _, label in labelled if label is not None and label.clock is not None)
        < _MIN_LINES
    ):
        return None
    # A line without a label goes on the entry above, as a paragraph of its own.
    return [Item(text, text, False, label, None) for text, label in labelled]


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    body = page.root.find("body")
    if body is None:
        return None
    elements = _items_in(body)
    items: list[tuple[HtmlElement, Item]] = []
    for element in elements:
        lined = _line_items(element)
        if lined is not None:
            items.extend((element, item) for item in lined)
            continue
        item = _to_item(element)
        if item is not None:
            items.append((element, item))
    labelled = [e for e, item in items if item.label is not None]
    if not is_ticker_evidence([item for _e, item in items]):
        return None
    # The ticker is what lies under the labelled paragraphs' common ancestor;
    # site chrome and related-article lists elsewhere do not join the last entry.
    region = lowest_common_ancestor(labelled)
    region_items = [item for e, item in items if region in e.iterancestors()]
    entries, _preamble = read_items(region_items)
    return Reading(layout="paragraphs", entries=tuple(entries), rank=RANK)


def is_ticker_evidence(items: list[Item]) -> bool:
    """Enough labels to call the page a ticker: two clock labels, or a first-report label.

    One "Update, 14.01 Uhr:" paragraph is how ordinary articles note a correction;
    "(Erstmeldung)" is ticker vocabulary even before the second entry exists.
    """
    clocks = sum(1 for i in items if i.label is not None and i.label.clock is not None)
    first_reports = sum(1 for i in items if i.label is not None and i.label.clock is None)
    return clocks >= MIN_LABELLED or first_reports >= 1
