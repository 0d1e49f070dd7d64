"""Is the page whole? A page cut short reads as a ticker that lost its oldest entries.

A server that dies mid-render, a proxy that passes on what it got, a dropped connection
papered over with a matching ``Content-Length`` or a closing zero-length chunk: the fetch
looks complete, and lxml repairs the rest of the tree without a word. Read as a ticker,
such a page says that the entry it was cut in was *edited* and that every entry after the
cut fell off the page. :func:`incomplete_reason` reads the raw markup instead, which
still shows the cut. A document (one that opens ``<html>`` or ``<body>``) is cut when it

- ends inside a comment, a ``<script>``, ``<style>``, ``<textarea>`` or ``<title>``, or
  inside a tag (``<div cla``): no complete page does, closed or not;
- closes neither its body nor itself and ends in the middle of text
  (``Die Delegation ist``);
- closes neither and ends after a tag with :data:`OPEN_CONTAINERS_CUT` or more
  structural elements (``div``, ``article``, ``section``, ``ul``, …) opened and never
  closed: the entry list it was cut in, and the page around it.

Why this does not fire on complete pages: HTML lets a page leave out ``</body>`` and
``</html>`` (minifiers do), but such a page still ends where a page ends, after a tag,
with its structure closed. A page that closes its body is taken as whole whatever
follows (comments, a second ``</html>``, tracking junk) unless it stops inside a
construct: a cut that left the closing tags in place left the entries before them too.
No page of the corpus of real pages, the replay cases or the 81 captures of two real
newsticker pages reads as cut (``tests/ingest/test_completeness.py``).

Pure: text in, a reason or None out. Linear in the page, and cheap: the scan jumps from
comment to script, never from tag to tag, unless the closing tags are missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Where the document's body begins: the closing tags count only after it (an inline
# script in the head may well spell "</html>" in a string).
_BODY_OPEN_RE = re.compile(r"<body[\s/>]", re.I)
_DOCUMENT_OPEN_RE = re.compile(r"<(?:html|body)[\s/>]", re.I)
_DOCUMENT_CLOSE_RE = re.compile(r"</(?:body|html)\s*>", re.I)
# What the scan stops at: a comment, or an element whose text is raw (no tags inside,
# so "<div>" or "<!--" in it is just text).
_RAW_TEXT = ("script", "style", "textarea", "title")
_CONSTRUCT_RE = re.compile(r"<!--|<(script|style|textarea|title)(?=[\s/>])", re.I)
_RAW_CLOSE_RE = {name: re.compile(rf"</{name}\s*>", re.I) for name in _RAW_TEXT}
# A tag begun and not ended: "<" then a name, "/" or "!", and no ">" up to the end;
# looked for in the page's last characters only (a tag is shorter).
_OPEN_TAG_AT_END_RE = re.compile(r"<[A-Za-z/!?][^>]*\Z")
_TAIL_CHARS = 8192
# Elements of a page's structure whose end tag HTML never lets a page leave out.
_CONTAINER_RE = re.compile(
    r"<(/?)(?:div|article|section|main|aside|header|footer|nav|ul|ol|dl|table|form|"
    r"figure|blockquote)(?=[\s/>])([^>]*)>",
    re.I,
)
# Measured on the 498 pages of the corpus, the replay cases and the captured series: a
# complete page opens and closes its containers in balance (net 0 on every one, with or
# without its closing tags), while a page cut after a tag inside its entry list leaves the
# list and the page's frame open, most often three to ten. One stray container is left to
# sloppy markup: a false alarm costs a ticker its polls, a miss one poll's noise.
OPEN_CONTAINERS_CUT = 2


def incomplete_reason(text: str) -> str | None:
    """Why the markup ``text`` is a document cut short, or None when it reads as whole.

    None also for what cannot be judged: plain text and fragments that open no
    ``<html>`` or ``<body>``.
    """
    opened = _DOCUMENT_OPEN_RE.search(text)
    if opened is None:
        return None
    spans = list(_constructs(text))
    if spans and spans[-1].unterminated is not None:
        return spans[-1].unterminated
    after = spans[-1].end if spans else 0
    if _OPEN_TAG_AT_END_RE.search(text, max(after, len(text) - _TAIL_CHARS)) is not None:
        return "ends inside a tag"
    body = _BODY_OPEN_RE.search(text)
    if _DOCUMENT_CLOSE_RE.search(text, body.start() if body else opened.start()) is not None:
        # Closed: what follows is a complete page's trailing junk, unless it stops in
        # the middle of a construct (a cut in a script after "</body>", caught above).
        return None
    last = text[after:]
    if last[last.rfind(">") + 1 :].strip():
        return "ends in the middle of text"
    left_open = _open_containers(text, spans)
    if left_open >= OPEN_CONTAINERS_CUT:
        return f"ends with {left_open} elements left open"
    return None


@dataclass(frozen=True, slots=True)
class _Span:
    """A comment or raw-text element of the page: where it starts and ends, and, for
    one the page never finishes, the reason."""

    start: int
    end: int
    unterminated: str | None = None


def _constructs(text: str) -> Iterator[_Span]:
    """The comments and raw-text elements of ``text`` in order, the last one possibly
    unterminated. Jumps from one to the next, so a "<!--" inside a script or a
    "<script" inside a comment is read as a browser reads it."""
    pos = 0
    while (found := _CONSTRUCT_RE.search(text, pos)) is not None:
        name = found.group(1)
        if name is None:
            # "<!-->" and "<!--->" are whole (empty) comments to a browser.
            if text.startswith((">", "->"), found.end()):
                end = text.index(">", found.end()) + 1
            else:
                close = text.find("-->", found.end())
                if close < 0:
                    yield _Span(found.start(), len(text), "ends inside a comment")
                    return
                end = close + 3
        else:
            tag_end = text.find(">", found.end())
            if tag_end < 0:
                yield _Span(found.start(), len(text), "ends inside a tag")
                return
            closing = _RAW_CLOSE_RE[name.lower()].search(text, tag_end + 1)
            if closing is None:
                yield _Span(found.start(), len(text), f"ends inside a <{name.lower()}>")
                return
            end = closing.end()
        yield _Span(found.start(), end)
        pos = end


def _open_containers(text: str, spans: list[_Span]) -> int:
    """How many structural elements the markup opens and never closes; comments and
    raw text (where "<div>" is just text) are left out."""
    segments = []
    pos = 0
    for span in spans:
        segments.append(text[pos : span.start])
        pos = span.end
    segments.append(text[pos:])
    depth = 0
    for match in _CONTAINER_RE.finditer("".join(segments)):
        if match.group(1):
            depth = max(depth - 1, 0)  # a stray end tag closes nothing
        elif not match.group(2).rstrip().endswith("/"):
            depth += 1
    return depth
