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

Pure: text in, a reason or None out. Linear in the page, and cheap: regular expressions
jump from comment to script, and go from tag to tag only when the closing tags are
missing.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

# Where the document's body begins: the closing tags count only after it (an inline
# script in the head may well spell "</html>" in a string).
_BODY_OPEN_RE = re.compile(r"<body[\s/>]", re.I)
_DOCUMENT_OPEN_RE = re.compile(r"<(?:html|body)[\s/>]", re.I)
_DOCUMENT_CLOSE_RE = re.compile(r"</(?:body|html)\s*>", re.I)
# A comment, or an element whose text is raw (no tags inside, so "<div>" or "<!--" in it
# is just text), each whole or, at the end of the page, cut: the named group says which
# cut. Matched one after the other, as a browser reads them: a "<!--" in a script or a
# "<script" in a comment starts nothing. "<!-->" and "<!--->" are whole empty comments.
# (The definition; :func:`_constructs` finds the same matches without scanning every
# character of a script body in the regex engine.)
_CONSTRUCT_RE = re.compile(
    r"<!--(?:-?>|.*?-->|(?P<comment>.*\Z))"
    r"|<(?P<raw>script|style|textarea|title)(?=[\s/>])"
    r"(?:[^>]*>(?:.*?</(?P=raw)\s*>|(?P<raw_text>.*\Z))|(?P<tag>[^>]*\Z))",
    re.I | re.S,
)
# Where a match of _CONSTRUCT_RE can begin: every such place begins one.
_CONSTRUCT_START_RE = re.compile(r"<(?:!--|(script|style|textarea|title)(?=[\s/>]))", re.I)
# The end tag of a raw-text element whose start tag spelled its name in ASCII, as the
# backreference above matches it: letter by letter with the letter's simple lower case
# (so "\u0130" stands for "i" too, and "\u017f" is no "s").
_RAW_END_RES = {
    name: re.compile(
        "</" + "".join(f"[{c}{c.upper()}{chr(0x130) if c == 'i' else ''}]" for c in name) + r"\s*>"
    )
    for name in ("script", "style", "textarea", "title")
}
# The start of a tag: "<" then a name, "/" or "!". One after the last ">" is not ended.
_TAG_START_RE = re.compile(r"<[A-Za-z/!?]")
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
    # Only the last comment or raw-text element can be cut.
    construct = deque(_constructs(text), maxlen=1)
    _start, after, cut = construct[0] if construct else (0, 0, None)
    if cut is not None:
        return cut
    last = text[max(after, text.rfind(">") + 1) :]  # the text after the last tag
    if _TAG_START_RE.search(last) is not None:
        return "ends inside a tag"
    body = _BODY_OPEN_RE.search(text)
    if _DOCUMENT_CLOSE_RE.search(text, body.start() if body else opened.start()) is not None:
        # Closed: what follows is a complete page's trailing junk, unless it stops in
        # the middle of a construct (a cut in a script after "</body>", caught above).
        return None
    if last.strip():
        return "ends in the middle of text"
    left_open = _open_containers(text)
    if left_open >= OPEN_CONTAINERS_CUT:
        return f"ends with {left_open} elements left open"
    return None


def _constructs(text: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, cut) of each match of :data:`_CONSTRUCT_RE` in ``text``, in order;
    ``cut`` says where the page was cut when it was cut inside that construct.

    The ends are found with ``str.find`` and a search for the one end tag: the
    regular expression's lazy ``.*?`` walks a script's body a character at a time.
    """
    position = 0
    while (opened := _CONSTRUCT_START_RE.search(text, position)) is not None:
        start, inside = opened.start(), opened.end()
        raw = opened.group(1)
        if raw is None:
            if text.startswith(">", inside):
                end = inside + 1
            elif text.startswith("->", inside):
                end = inside + 2
            else:
                close = text.find("-->", inside)
                if close < 0:
                    yield start, len(text), "ends inside a comment"
                    return
                end = close + 3
        elif not raw.isascii():
            # "<ſcript" (a long s matches "s" when case is ignored): the definition decides.
            match = _CONSTRUCT_RE.match(text, start)
            assert match is not None  # every alternative after the opening matches
            end = match.end()
            cut = _cut_in(match)
            yield start, end, cut
            if cut is not None:
                return
            position = end
            continue
        else:
            tag_end = text.find(">", inside)
            if tag_end < 0:
                yield start, len(text), "ends inside a tag"
                return
            closed = _RAW_END_RES[raw.lower()].search(text, tag_end + 1)
            if closed is None:
                yield start, len(text), f"ends inside a <{raw.lower()}>"
                return
            end = closed.end()
        yield start, end, None
        position = end


def _cut_in(construct: re.Match[str]) -> str | None:
    """Where the page was cut, when it was cut inside this comment or raw-text element."""
    if construct.group("comment") is not None:
        return "ends inside a comment"
    if construct.group("raw_text") is not None:
        return f"ends inside a <{construct.group('raw').lower()}>"
    if construct.group("tag") is not None:
        return "ends inside a tag"
    return None


def _open_containers(text: str) -> int:
    """How many structural elements the markup opens and never closes; comments and
    raw text (where "<div>" is just text, and which the page is known to close) are
    left out."""
    depth = 0
    kept: list[str] = []
    position = 0
    for start, end, _cut in _constructs(text):
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    for match in _CONTAINER_RE.finditer("".join(kept)):
        if match.group(1):
            depth = max(depth - 1, 0)  # a stray end tag closes nothing
        elif not match.group(2).rstrip().endswith("/"):
            depth += 1
    return depth
