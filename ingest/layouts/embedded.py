"""Updates held in a page's embedded application state (script JSON).

Framework pages render from a JSON state they ship in a script (see
:mod:`ingest.scriptjson`); a live blog's state holds its update list, often all
of it while the page renders the first few. This reader walks that JSON for the
list that looks most like a ticker: objects with a time value and body text, in
time order. Apollo's normalised cache keeps objects in a dict keyed
``"Type:id"``; the objects of one type count as a list.

Nothing convincing, nothing read: a list needs at least :data:`MIN_UPDATES`
members with both a time and real body text, mostly in time order, and must not
look like a shop (prices, SKUs). A list of three nav links with dates is not a
ticker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from itertools import pairwise
from typing import Any

import lxml.html
from lxml import etree

from ingest.dating import Stamp
from ingest.htmltext import HtmlPart
from ingest.layouts.base import PageInput, RawEntry, Reading
from ingest.scriptjson import script_json
from ingest.text import clean_display, clean_inline
from ingest.timestamps import parse_machine_time

# Below jsonld (30): schema.org markup names its updates; here we infer them.
RANK = 29
MIN_UPDATES = 3
# Shorter than this, a text is a link label or a button, not an update's body.
MIN_BODY_CHARS = 25
# State blobs nest deeply only when hostile; updates sit within a few levels.
MAX_DEPTH = 40
MAX_NODES = 200_000
# Share of neighbouring members whose times run one way; a ticker is sorted.
MIN_MONOTONIC = 0.7

# Keys, lower-cased, in order of preference: a post's creation, not its last edit.
_TIME_KEYS = (
    "datepublished",
    "published",
    "publishedat",
    "published_at",
    "publishdate",
    "publish_date",
    "publishedtime",
    "firstpublished",
    "firstpublishedat",
    "created",
    "createdat",
    "created_at",
    "datecreated",
    "posted",
    "postedat",
    "posted_at",
    "date",
    "datetime",
    "time",
    "timestamp",
    "ts",
    "updated",
    "updatedat",
    "updated_at",
    "datemodified",
    "modified",
)
_TIME_KEY_SET = frozenset(_TIME_KEYS)
_TIME_KEY_RE = re.compile(r"date|time|publish|creat|posted|updat|modif", re.IGNORECASE)
_HEADLINE_KEYS = ("headline", "title", "heading", "subject", "name")
_BODY_KEYS = (
    "body",
    "bodyhtml",
    "body_html",
    "content",
    "contenthtml",
    "content_html",
    "html",
    "text",
    "richtext",
    "blocks",
    "paragraphs",
    "elements",
    "message",
    "markup",
    "description",
    "summary",
    "excerpt",
)
_BODY_KEY_SET = frozenset(_BODY_KEYS)
# Inside a rich-text block: where its words are.
_BLOCK_TEXT_KEYS = (
    "text",
    "html",
    "content",
    "value",
    "children",
    "body",
    "blocks",
    "json",
    "document",
    "markdown",
    "plain",
)
_ID_KEYS = ("id", "_id", "uuid", "guid", "postid", "post_id", "entryid", "slug", "key", "urn")
_PIN_KEYS = ("pinned", "ispinned", "is_pinned", "sticky", "issticky")
_SHOP_KEYS = frozenset({"price", "sku", "currency", "offers", "availability", "rating", "gtin"})
_TAG_RE = re.compile(r"<[^>]+>")
_BREAKS_RE = re.compile(r"(?i)</(?:p|div|li|h\d|blockquote)>|<br\s*/?>")


@dataclass(frozen=True, slots=True)
class _Member:
    """What one candidate object offers, lower-cased keys already resolved."""

    machine: datetime | None
    time_label: str | None
    headline: str | None
    text: str
    parts: tuple[HtmlPart, ...]
    native_id: str | None
    pinned: bool
    shop: bool


def _lower_keys(obj: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in obj.items()}


def _time_of(keys: dict[str, Any], page: PageInput) -> tuple[datetime | None, str | None]:
    candidates = [k for k in _TIME_KEYS if k in keys]
    candidates += [k for k in keys if k not in candidates and _TIME_KEY_RE.search(k)]
    for key in candidates:
        value = keys[key]
        if isinstance(value, dict):  # {"date": {"iso": "..."}} and similar wrappers
            value = next((v for v in value.values() if isinstance(v, str | int | float)), None)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            machine = parse_machine_time(value, page.zone)
            if machine is not None:
                return machine, str(value)
    return None, None


def _leaf_text(node: Any) -> str | None:
    """The text of an inline node ({"text": "…"} spans, {"value": "…"} text nodes)."""
    if not isinstance(node, dict):
        return None
    text = node.get("text", node.get("value"))
    if isinstance(text, str) and not isinstance(node.get("children", node.get("content")), list):
        return text
    return None


def _rich_text(value: Any, depth: int = 0) -> list[str]:
    """The paragraphs of a body: a string, a list of blocks, or nested block dicts.

    Spans of one block (Slate/Portable Text ``children``, Contentful ``content``)
    join into one paragraph; blocks are paragraphs of their own.
    """
    if depth > 8:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [piece for item in value for piece in _rich_text(item, depth + 1)]
    if isinstance(value, dict):
        keys = _lower_keys(value)
        for key in _BLOCK_TEXT_KEYS:
            if key not in keys:
                continue
            child = keys[key]
            if key in ("children", "content") and isinstance(child, list) and child:
                spans = [_leaf_text(node) for node in child]
                if all(span is not None for span in spans):
                    joined = "".join(span for span in spans if span)
                    return [joined] if joined.strip() else []
            pieces = _rich_text(child, depth + 1)
            if pieces:
                return pieces
    return []


def _render(pieces: list[str]) -> tuple[str, tuple[HtmlPart, ...]]:
    """(plain text, display parts) of body pieces that may hold markup."""
    texts: list[str] = []
    parts: list[HtmlPart] = []
    for piece in pieces:
        if "<" in piece and _TAG_RE.search(piece):
            try:
                parts.append(lxml.html.fragment_fromstring(piece, create_parent="div"))
            except (ValueError, etree.ParserError):
                continue
            # Paragraph ends become blank lines before the tags go.
            texts.append(clean_display(unescape(_TAG_RE.sub("", _BREAKS_RE.sub("\n\n", piece)))))
        else:
            # CMSs HTML-escape plain JSON strings ("Markle&#39;s"): readers see the character.
            text = clean_display(unescape(piece))
            texts.append(text)
            parts.extend(p for p in text.split("\n\n") if p)
    return "\n\n".join(t for t in texts if t), tuple(parts)


def _member(obj: dict[str, Any], page: PageInput) -> _Member:
    keys = _lower_keys(obj)
    machine, time_label = _time_of(keys, page)
    headline = next(
        (
            clean_inline(unescape(_TAG_RE.sub(" ", keys[k])))
            for k in _HEADLINE_KEYS
            if isinstance(keys.get(k), str) and keys[k].strip()
        ),
        None,
    )
    text = ""
    parts: tuple[HtmlPart, ...] = ()
    for key in _BODY_KEYS:
        if key in keys:
            text, parts = _render(_rich_text(keys[key]))
            if text:
                break
    native = next(
        (keys[k] for k in _ID_KEYS if isinstance(keys.get(k), str | int) and keys[k] != ""), None
    )
    return _Member(
        machine=machine,
        time_label=time_label,
        headline=headline if headline and headline != text else None,
        text=text,
        parts=parts,
        native_id=str(native) if native is not None else None,
        pinned=any(keys.get(k) is True for k in _PIN_KEYS),
        shop=bool(_SHOP_KEYS & keys.keys()),
    )


def _candidate_lists(root: Any) -> Iterator[list[dict[str, Any]]]:
    """Lists of objects in the JSON, iteratively and depth-limited (hostile nesting)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    visited = 0
    while stack and visited < MAX_NODES:
        node, depth = stack.pop()
        visited += 1
        if depth >= MAX_DEPTH:
            continue
        if isinstance(node, list):
            members = [item for item in node if isinstance(item, dict)]
            if len(members) >= MIN_UPDATES:
                yield members
            stack.extend((item, depth + 1) for item in node if isinstance(item, dict | list))
            continue
        by_type: dict[str, list[dict[str, Any]]] = {}
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((value, depth + 1))
                if ":" in key:
                    # Apollo's normalised cache: "LiveUpdate:123" → object.
                    by_type.setdefault(key.split(":", 1)[0], []).append(value)
            elif isinstance(value, list):
                stack.append((value, depth + 1))
        yield from (group for group in by_type.values() if len(group) >= MIN_UPDATES)


def _worth_reading(objects: list[dict[str, Any]]) -> bool:
    """Whether enough objects name a time key and a body key to be worth a full read."""
    promising = 0
    for obj in objects:
        keys = {str(k).lower() for k in obj}
        if keys & _BODY_KEY_SET and (
            keys & _TIME_KEY_SET or any(_TIME_KEY_RE.search(k) for k in keys)
        ):
            promising += 1
            if promising >= MIN_UPDATES:
                return True
    return False


def _monotonic_share(times: list[datetime]) -> float:
    if len(times) < 2:
        return 0.0
    down = sum(1 for a, b in pairwise(times) if b < a)
    up = sum(1 for a, b in pairwise(times) if b > a)
    return max(down, up) / (len(times) - 1)


def _score(members: list[_Member]) -> float:
    """How much a list looks like a ticker's updates; 0 when it does not at all."""
    good = [m for m in members if m.machine is not None and len(m.text) >= MIN_BODY_CHARS]
    if len(good) < MIN_UPDATES or sum(m.shop for m in members) * 2 > len(members):
        return 0.0
    times = [m.machine for m in good if m.machine is not None and not m.pinned]
    if len(set(times)) < MIN_UPDATES:
        return 0.0
    order = _monotonic_share(times)
    if order < MIN_MONOTONIC:
        return 0.0
    return len(good) * (len(good) / len(members)) * order


def read(page: PageInput) -> Reading | None:
    if page.root is None:
        return None
    best: list[_Member] = []
    best_score = 0.0
    for state in script_json(page.text):
        for objects in _candidate_lists(state):
            if not _worth_reading(objects):
                continue
            members = [_member(obj, page) for obj in objects]
            score = _score(members)
            if score > best_score:
                best, best_score = members, score
    if not best:
        return None
    entries = tuple(
        RawEntry(
            text=m.text,
            html_parts=m.parts,
            headline=m.headline,
            stamp=Stamp(machine=m.machine),
            time_label=m.time_label,
            native_id=m.native_id,
            pinned=m.pinned,
        )
        for m in best
        if m.text or m.headline
    )
    return Reading(layout="embedded", entries=entries, rank=RANK)
