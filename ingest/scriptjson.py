"""The JSON a page's scripts carry: application state that a framework renders from.

Next.js (``<script id="__NEXT_DATA__" type="application/json">``), Nuxt
(``window.__NUXT__ = {...}``), Apollo (``window.__APOLLO_STATE__ = {...}``), Redux
(``window.__PRELOADED_STATE__ = JSON.parse("...")``) and many CMSs ship the data
a page shows, often more of it than the page renders. :func:`script_json` finds
those values in the raw page text, without building a tree (noise removal drops
scripts from the tree before readers run).

Only JSON is read: an assignment whose right-hand side is JavaScript rather than
JSON (``(function(a,b){return {...}})(1,2)``) is skipped, never evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_SCRIPT_OPEN_RE = re.compile(r"<(?:script|SCRIPT|Script)\b([^>]*)>")
_JSON_TYPE_RE = re.compile(r"""type\s*=\s*["']?application/json""", re.IGNORECASE)
_NEXT_ID_RE = re.compile(r"""id\s*=\s*["']?__NEXT_DATA__""")
_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
# The right-hand side of a state assignment: an object or array literal, or
# ``JSON.parse(`` of a string. The name in front is checked by :func:`_state_name`.
# (The "=" comes first so that the engine can skip to each "=" at C speed.)
_ASSIGNED_RE = re.compile(r"=(?<=[^=!<>]=)\s*(?=[{\[]|JSON\.parse\()")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_STATE_WORDS = ("STATE", "State", "DATA", "Data")
# A JSON script worth decoding names some time value as a key; most JSON scripts
# on a page (analytics, config) do not.
_TIME_KEY_RE = re.compile(
    r"""(?:date|Date|time|Time|publish|Publish|creat|Creat|updat|Updat|posted)\w{0,20}["']\s*:"""
)
_DECODER = json.JSONDecoder(strict=False)


def _decode_at(text: str, start: int) -> Any | None:
    """The JSON value starting at ``start``, or None when it is not JSON.

    ``raw_decode`` finds the value's end itself (bracket matching at C speed);
    nesting beyond the interpreter's recursion limit is refused, not followed.
    """
    try:
        value, _end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return value


def _decode_json_parse(text: str, start: int) -> Any | None:
    """``JSON.parse("...")`` at ``start``: the string literal, then its content."""
    open_paren = text.find("(", start)
    if open_paren < 0:
        return None
    literal_start = open_paren + 1
    while literal_start < len(text) and text[literal_start].isspace():
        literal_start += 1
    if text[literal_start : literal_start + 1] != '"':
        return None  # single-quoted JS strings are not JSON
    inner = _decode_at(text, literal_start)
    if not isinstance(inner, str):
        return None
    return _decode_at(inner.strip(), 0)


def _state_name(body: str, end: int) -> str | None:
    """The name assigned to at ``end`` (``window.__NUXT__``, ``window["x"]``), if a state's.

    State blobs are named ``__NUXT__``, ``__APOLLO_STATE__``, ``initialState``,
    ``__PRELOADED_STATE__``: a dunder name or one with "state"/"data" in it.
    """
    i = end - 1
    while i >= 0 and body[i] in " \t\r\n\"']":
        i -= 1
    stop = i + 1
    while i >= 0 and body[i] in _NAME_CHARS and stop - i < 80:
        i -= 1
    name = body[i + 1 : stop]
    if len(name) > 4 and name.startswith("__") and name.endswith("__"):
        return name
    return name if any(word in name for word in _STATE_WORDS) else None


def _from_script_body(body: str) -> Iterator[Any]:
    for m in _ASSIGNED_RE.finditer(body):
        if _state_name(body, m.start()) is None:
            continue
        start = m.end()
        if body.startswith("JSON.parse", start):
            value = _decode_json_parse(body, start)
        else:
            value = _decode_at(body, start)
        if isinstance(value, dict | list):
            yield value


def _scripts(text: str) -> Iterator[tuple[str, str]]:
    """(attributes, body) of each ``<script>``, found with plain string search."""
    # Where the next closing tag in either case is; searched again only when
    # passed, so a page without upper-case tags is not rescanned per script.
    closes = {"</script": -1, "</SCRIPT": -1}
    position = 0
    while True:
        m = _SCRIPT_OPEN_RE.search(text, position)
        if m is None:
            return
        for needle, found in closes.items():
            if found != len(text) and found < m.end():
                at = text.find(needle, m.end())
                closes[needle] = at if at >= 0 else len(text)
        close = min(closes.values())
        if close == len(text):
            return
        yield m.group(1), text[m.end() : close]
        position = close + len("</script")


def script_json(text: str) -> Iterator[Any]:
    """Every JSON object or array a ``<script>`` of the page holds, in page order.

    JSON-LD is left to :func:`ingest.document.json_ld_objects`. A JSON script that
    names no time-like key is not decoded, nor is JavaScript outside an assignment
    to a state-like name.
    """
    for attributes, body in _scripts(text):
        if "ld+json" in attributes.lower():
            continue
        if _JSON_TYPE_RE.search(attributes) or _NEXT_ID_RE.search(attributes):
            if not _TIME_KEY_RE.search(body):
                continue
            value = _decode_at(body.strip(), 0)
            if isinstance(value, dict | list):
                yield value
        else:
            script_type = _TYPE_RE.search(attributes)
            if script_type is None or script_type.group(1).lower() in _SCRIPT_TYPES:
                yield from _from_script_body(body)
