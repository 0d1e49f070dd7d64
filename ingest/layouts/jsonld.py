"""schema.org ``LiveBlogPosting`` in JSON-LD: ``liveBlogUpdate`` holds the entries.

Structured data is the most precise reading a page offers (ISO time stamps, post
URLs as ids), so when a page carries it and it agrees with what the page shows,
it wins. See :func:`ingest.parse.choose` for when the rendered page wins instead.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from ingest.dating import Stamp
from ingest.htmltext import Fragment, HtmlPart
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.text import clean_display, clean_inline, strip_controls
from ingest.timestamps import parse_machine_time

RANK = 30
_TAG_RE = re.compile(r"<[^>]+>")
_CLOCK_PREFIX_RE = re.compile(
    r"^\d{1,2}[:.]\d{2}\s*(?:\(\s*[A-Z]{2,5}\s*\)|[A-Z]{2,5}\b)?\s*[:\-–|]?\s*"
)


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


# How deep a text value's lists and wrapper objects are followed; real pages nest one
# or two levels, and a hostile page nests thousands (the interpreter's stack would not).
_MAX_TEXT_DEPTH = 8


def _text(value: Any, depth: int = 0) -> str:
    """The text of a JSON-LD value: a string, a list of them, or an object wrapping one;
    control characters out (JSON escapes can hold them)."""
    if depth > _MAX_TEXT_DEPTH:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return _text(value.get("text") or value.get("articleBody") or "", depth + 1)
    return strip_controls(str(value or ""))


def _native_id(update: dict[str, Any]) -> str | None:
    for key in ("@id", "url", "identifier"):
        value = update.get(key)
        if isinstance(value, str) and value.strip():
            # The fragment names the update ("…/live#post-123"); a URL's fragment is
            # everything after its first "#", so no full URL parse is needed.
            fragment = value.partition("#")[2]
            return fragment or value.strip()
    return None


def _body_text(raw: str) -> tuple[str, tuple[HtmlPart, ...]]:
    """(plain text, display parts) of an articleBody that may or may not hold markup."""
    if "<" in raw and _TAG_RE.search(raw):
        # Paragraph ends become blank lines before the tags go.
        plain = re.sub(r"(?i)</(p|div|li|h\d|blockquote)>|<br\s*/?>", "\n\n", raw)
        return clean_display(unescape(_TAG_RE.sub("", plain))), (Fragment(raw),)
    # CMSs often HTML-escape plain JSON strings ("Markle&#39;s"): readers see the character.
    text = clean_display(unescape(raw))
    return text, tuple(text.split("\n\n")) if text else ()


def _headline(raw: str, *, has_time: bool) -> str:
    headline = clean_inline(unescape(raw))
    if has_time:
        # Some CMSs prefix the update's headline with its clock ("19:02(IST) TOSS: …").
        headline = _CLOCK_PREFIX_RE.sub("", headline)
    return headline


def _updates(posting: dict[str, Any]) -> list[Any]:
    """The posting's ``liveBlogUpdate`` as a list: one object alone is a list of one, a
    value of any other JSON type (a number, a string) holds no updates."""
    value = posting.get("liveBlogUpdate")
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


def _stamp_value(update: dict[str, Any]) -> str | int | float | None:
    """The update's time stamp as the page wrote it; a value of another JSON type (an
    object, a list) is no time stamp and is ignored."""
    for key in ("datePublished", "dateCreated"):
        value = update.get(key)
        if isinstance(value, str):
            value = strip_controls(value)
        if value and isinstance(value, str | int | float) and not isinstance(value, bool):
            return value
    return None


def read(page: PageInput) -> Reading | None:
    postings = [obj for obj in page.json_ld if "LiveBlogPosting" in _types(obj)]
    if not postings:
        return None
    # Several LiveBlogPosting objects are rare; the one with most updates is the ticker.
    posting = max(postings, key=lambda p: len(_updates(p)))
    updates = _updates(posting)
    entries: list[RawEntry] = []
    for update in updates:
        if not isinstance(update, dict):
            continue
        text, html_parts = _body_text(_text(update.get("articleBody") or update.get("text")))
        stamp_value = _stamp_value(update)
        machine = parse_machine_time(stamp_value, page.zone) if stamp_value else None
        headline = _headline(_text(update.get("headline")), has_time=bool(stamp_value)) or None
        if not text and not headline:
            continue
        entries.append(
            RawEntry(
                text=text,
                html_parts=html_parts,
                headline=headline,
                stamp=Stamp(machine=machine),
                time_label=str(stamp_value) if stamp_value else None,
                native_id=_native_id(update),
            )
        )
    coverage_end_raw = posting.get("coverageEndTime")
    coverage_end = (
        parse_machine_time(coverage_end_raw, page.zone)
        if isinstance(coverage_end_raw, str)
        else None
    )
    headline = clean_inline(unescape(_text(posting.get("headline")))) or None
    teaser = clean_inline(unescape(_text(posting.get("description")))) or None
    return Reading(
        layout="jsonld",
        entries=tuple(entries),
        headline=headline,
        teaser=teaser,
        coverage_end=coverage_end,
        rank=RANK,
    )
