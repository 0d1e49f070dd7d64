"""Turning pieces of an HTML tree into entry text and sanitized entry HTML.

Plain text keeps paragraph breaks as blank lines (block elements end a
paragraph, ``<br>`` does not). The HTML is cut from the same elements and
cleaned by nh3, a maintained sanitizer, so that stored HTML is safe to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from copy import deepcopy
from dataclasses import dataclass
from html import escape
from typing import TypeAlias

import lxml.html
import nh3
from lxml.html import HtmlElement

from ingest.text import clean_display, clean_inline, strip_controls

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "aside",
        "main",
        "blockquote",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
        "address",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "sub",
        "sup",
        "ul",
        "ol",
        "li",
        "blockquote",
        "q",
        "cite",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
    }
)
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def _collect(element: HtmlElement, out: list[str]) -> None:
    """Append the display pieces of ``element`` (its tail excluded) to ``out``.

    A walk with an explicit stack, not recursion: a page may nest thousands of elements
    (lxml's parser allows it) and the interpreter's stack would not. A stack item is an
    element to open, or a string to append once the element before it is done (a block's
    closing break, a child's tail)."""
    stack: list[HtmlElement | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        tag = item.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        block = tag in BLOCK_TAGS
        if block:
            out.append("\n\n")
            stack.append("\n\n")
        elif tag == "br":
            out.append(" ")
        if item.text:
            out.append(item.text)
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)


def text_lengths(elements: list[HtmlElement]) -> dict[HtmlElement, int]:
    """The raw text length of each element (its ``text_content()``), for elements given
    in document order with their descendants: one pass from the leaves up instead of
    collecting the text of every element, which costs a pass per element."""
    lengths: dict[HtmlElement, int] = {}
    for element in reversed(elements):
        total = len(element.text or "")
        for child in element:
            total += lengths.get(child, 0) + len(child.tail or "")
        lengths[element] = total
    return lengths


def lowest_common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    """The deepest element that holds all of ``elements`` (the parent of a single one)."""
    if len(elements) == 1:
        parent = elements[0].getparent()
        return parent if parent is not None else elements[0]
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


def loose_text(element: HtmlElement) -> list[str]:
    """The runs of text standing directly in ``element``, not inside a child: its own
    text and its children's tails, each cleaned to one line, empty runs left out."""
    runs = [element.text or "", *(child.tail or "" for child in element)]
    return [r for r in (clean_inline(run) for run in runs) if r]


def without(element: HtmlElement, drop: AbstractSet[HtmlElement]) -> HtmlElement:
    """``element`` without the subtrees in ``drop``, their tails kept: a copy, so the
    page's tree is not changed (``element`` itself when nothing in it is dropped).

    For a body whose text stands beside a part that is not body, as in
    ``<p><strong>14.01 Uhr:</strong> Die Polizei …</p>``."""
    if not any(e in drop for e in element.iterdescendants()):
        return element
    copy = deepcopy(element)
    copy.tail = None
    # The copy has the original's shape: pair the nodes in document order.
    doomed = [c for o, c in zip(element.iter(), copy.iter(), strict=True) if o in drop]
    for node in doomed:
        node.drop_tree()  # keeps the tail, joined to what stood before the node
    return copy


def element_text(element: HtmlElement) -> str:
    """Display text of one element with paragraph breaks, excluding its tail."""
    out: list[str] = []
    _collect(element, out)
    return clean_display("".join(out))


def elements_text(elements: Iterable[HtmlElement]) -> str:
    """Display text of several sibling elements, each ending a paragraph."""
    return "\n\n".join(t for t in (element_text(e) for e in elements) if t)


@dataclass(frozen=True, slots=True)
class Fragment:
    """Markup that is not part of the page's tree (an entry body JSON-LD carries as a
    string), parsed only when rendered: a reading that loses never pays for its tree."""

    markup: str

    def element(self) -> HtmlElement:
        """The markup as one ``<div>`` holding it."""
        return lxml.html.fragment_fromstring(self.markup, create_parent="div")


HtmlPart: TypeAlias = HtmlElement | Fragment | str


def sanitized_html(parts: Iterable[HtmlPart]) -> str:
    """Elements and fragments serialized (and plain-text parts as paragraphs), then sanitized: no
    scripts, handlers, styles or frames. Layouts hand their parts over unrendered, so
    only the reading that wins pays for this."""
    raw = "".join(
        f"<p>{escape(p)}</p>"
        if isinstance(p, str)
        else lxml.html.tostring(
            p.element() if isinstance(p, Fragment) else p, encoding="unicode", with_tail=False
        )
        for p in parts
    )
    return sanitize(raw)


def sanitize(raw_html: str) -> str:
    """Sanitize an HTML fragment (entry bodies from JSON-LD arrive as strings)."""
    if not raw_html:
        return ""
    cleaned: str = nh3.clean(
        raw_html,
        tags=set(ALLOWED_TAGS),
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Character references ("&#1;") become control characters in the tree, after the
    # page's text was cleaned; stored HTML must hold none.
    return strip_controls(cleaned).strip()
