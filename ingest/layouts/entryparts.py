"""One discovered entry's parts: time, headline, body, id, pinned — by shape, not by site.

An entry is one block or a label-led run of siblings. Its parts:

- **time**: its best time signal (:func:`ingest.layouts.signals.stamp_of`); the small
  wrapper around the signal (display time, relative label, byline) is not body;
- **headline**: the first heading or headline-classed element before any body text;
  else the words after the clock in a heading or bold time label
  (:mod:`ingest.layouts.labelheads`); else a leading bold lead-in ("<p><strong>Merz in
  Paris</strong> Der Kanzler …</p>") when it is short and stands apart from the sentence
  after it;
- **labels**: single words such as "Pinned", "Eilmeldung", "In evidenza" are badges,
  never text (a pin badge marks the entry pinned);
- **id**: the block's own id attributes, else a permalink anchor inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml.html import HtmlElement

from ingest.htmltext import HEADING_TAGS, HtmlPart, element_text, loose_text, without
from ingest.layouts.base import PageInput, RawEntry
from ingest.layouts.labelheads import BYLINE_TEXT, titled_label
from ingest.layouts.signals import (
    label_text,
    printed_clock,
    relative_label,
    signal_elements,
    stamp_of,
)
from ingest.text import clean_inline, word_count
from ingest.timestamps import is_relative_label

_TITLEISH_CLASS = re.compile(r"title|headline|heading|head(?!er)|titel|titre|ttl", re.I)
# Text beside a time stamp up to this length is byline or display time, not body.
_BYLINE_MAX_CHARS = 40
# Elements that hold running text: beside a time they are body unless the time is all.
_PARAGRAPH_LIKE = frozenset({"p", "blockquote", "li", "ul", "ol", "dd", "td"})
ID_ATTRIBUTES = (
    "id",
    "data-id",
    "data-post-id",
    "data-postid",
    "data-entry-id",
    "data-block-id",
    "data-uuid",
    "data-key",
)
# How many single-child wrappers down from a block its id may sit.
_ID_WRAPPER_DEPTH = 2
# Ids that a CMS derives from layout, not from the post: not identities.
_GENERIC_ID = re.compile(r"^(?:main|content|container|wrapper|root|app|body)$", re.I)
# Badges: one or two words standing alone in an element. Pinning words mark the entry.
_PIN_WORDS = re.compile(
    r"^(?:pinned|pinned post|angepinnt|angeheftet|fixiert|épinglé|epinglé|fijado|fissato|"
    r"in evidenza|in primo piano|przypięty|vastgezet|fixado|destacado|top post|sticky)$",
    re.I,
)
_BADGE_WORDS = re.compile(
    r"^(?:breaking|breaking news|eilmeldung|eil|live|update|updated|new|neu|wichtig|"
    r"important|urgent|urgente|ultim'ora|ultima ora|alerte|direct|en direct|en vivo|"
    r"última hora|pilne|na żywo|belangrijk|urgente|key event|key update|highlight|"
    r"top|exklusiv|exclusive|analyse|analysis|video|foto|photo|audio)$",
    re.I,
)
_LEAD_IN_MAX_CHARS = 160
# A separator between a time label and the text beside it.
_SEPARATOR_RE = re.compile(r"^\s*[|·•:–—-]\s*")
# Paragraph-level elements the paragraph reader reads when a label opens them.
_LABELLED_PARAGRAPH_TAGS = frozenset({"p", "blockquote", *HEADING_TAGS})
# A short line above the body that is a byline, place or category, not a headline.
_BYLINE_CLASS = re.compile(
    r"author|byline|\bby\b|credit|source|meta|info|tag|label|categ|kicker|dateline|place|"
    r"location|autor|quelle|rubri|ressort|topic",
    re.I,
)


def _is_badge(text: str) -> bool:
    return bool(_PIN_WORDS.match(text) or _BADGE_WORDS.match(text))


def _mass(text: str) -> int:
    """Characters of text that are not whitespace: a cheap measure of text mass."""
    return len("".join(text.split()))


def link_share(group: Sequence[HtmlElement]) -> float:
    """The share of the group's text that is link text (1.0 for no text)."""
    total = linked = 0
    for element in group:
        total += _mass(element.text_content())
        linked += sum(_mass(a.text_content()) for a in element.iter("a"))
    return linked / total if total else 1.0


def textual_mass(group: Sequence[HtmlElement], found: set[HtmlElement]) -> int:
    """Characters (whitespace aside) of the group's text outside its time labels."""
    total = 0
    for element in group:
        total += _mass(element.text_content())
        for e in element.iterdescendants():
            if e in found:
                total -= _mass(label_text(e) or "")
        if element in found:
            total -= _mass(label_text(element) or "")
    return max(total, 0)


def _meta_wrapper(carrier: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The carrier with its small "entry info" wrappers: the display time, a relative
    label or a byline that sit beside it, up to but not including the headline.

    A paragraph-like element (``<p>``, ``<li>``, ``<td>`` …) joins the wrapper only when
    it holds nothing but the carrier: "<p class=time><a><time>…</time></a></p>" is the
    time's own line, while "<p><b>14:05</b> Short news.</p>" keeps its body."""
    wrapper = carrier
    carrier_chars = len(clean_inline(carrier.text_content()))
    for parent in carrier.iterancestors():
        if parent is block:
            break
        extra_chars = len(clean_inline(parent.text_content())) - carrier_chars
        if parent.tag in _PARAGRAPH_LIKE and extra_chars > 0:
            break
        if _holds_heading(parent):
            break
        if extra_chars > _BYLINE_MAX_CHARS:
            break
        wrapper = parent
    return wrapper


def _headline(elements: Iterable[HtmlElement], skip: set[HtmlElement]) -> HtmlElement | None:
    """The first heading, or headline-classed element, before any body text; None when
    body text comes first. A headline-classed element that holds a heading element is
    the entry's header row ("<div class=entry__head><time/><h2>…</h2></div>"), not the
    headline: the heading inside it is, so the time beside it stays out."""
    for root in elements:
        for element in root.iter():
            if element in skip or any(a in skip for a in element.iterancestors()):
                continue
            tag = element.tag
            if not isinstance(tag, str):
                continue
            is_heading = tag in HEADING_TAGS or (
                tag in ("div", "span", "p", "strong", "a")
                and _TITLEISH_CLASS.search(element.get("class") or "") is not None
                and not _holds_heading(element)
            )
            if is_heading:
                text = clean_inline(element.text_content())
                if 0 < len(text) <= 250:
                    return element
            elif tag in ("p", "blockquote", "ul", "ol", "figure", "table"):
                return None  # body text began before any headline
            elif element is not root and (element.tail or "").strip():
                return None  # running text
            elif (element.text or "").strip() and tag not in ("div", "section", "article"):
                return None
    return None


def _holds_heading(element: HtmlElement) -> bool:
    return any(isinstance(e.tag, str) and e.tag in HEADING_TAGS for e in element.iterdescendants())


def _lead_in(body: Sequence[HtmlElement]) -> HtmlElement | None:
    """A bold element opening the body that reads as the entry's headline: short, and
    either a paragraph of its own or set off from the sentence after it."""
    if not body:
        return None
    first = body[0]
    holder = first
    if first.tag in ("strong", "b"):
        bold = first
    else:
        if (first.text or "").strip() or not len(first):
            return None
        bold = first[0]
        if not isinstance(bold.tag, str) or bold.tag not in ("strong", "b"):
            return None
    text = clean_inline(bold.text_content())
    if not text or len(text) > _LEAD_IN_MAX_CHARS or text.endswith(","):
        return None
    whole = clean_inline(holder.text_content())
    if whole == text:
        return bold if len(body) > 1 else None  # a bold paragraph above the body
    rest = whole[len(text) :].lstrip()
    set_off = text[-1] in ".:!?–—-" or rest[:1].isupper()
    return bold if set_off and len(rest) > len(text) else None


def _body_elements(element: HtmlElement, skip: set[HtmlElement]) -> list[HtmlElement]:
    """The parts of a block that are body: everything but the skipped subtrees, in
    document order (an explicit stack: pages nest deeper than the interpreter's).

    An element with body text of its own beside a skipped part ("<li><time>14:01</time>
    Die Polizei …</li>") is not taken apart, which would lose that text: it comes whole,
    as a copy without its skipped parts. Not so a paragraph that is itself the block or
    run and holds its label ("<p><strong>14.01 Uhr:</strong> …</p>"): such paragraphs are
    :mod:`ingest.layouts.paragraphs`' to read, with the headings between them that a
    block reading does not see."""
    own_label = element.tag in _LABELLED_PARAGRAPH_TAGS and any(
        s in skip for s in element.iterdescendants()
    )
    if _loose_body(element):
        # A labelled paragraph with loose text is left whole to the paragraphs reading:
        # its elements alone ("<b>Headline</b>" without the "– body" after it) would
        # read as the entry's whole text.
        return [] if own_label else [_body_copy(element, skip)]
    out: list[HtmlElement] = []
    stack: list[HtmlElement] = list(reversed(element))
    while stack:
        child = stack.pop()
        if not isinstance(child.tag, str) or child in skip:
            continue
        if any(s in skip for s in child.iterdescendants()):
            if _loose_body(child):
                out.append(_body_copy(child, skip))
            else:
                stack.extend(reversed(child))
        else:
            out.append(child)
    return out


def _body_copy(element: HtmlElement, skip: set[HtmlElement]) -> HtmlElement:
    """``element`` without its skipped parts, and without the separator that stood
    between a dropped time label and the text ("14:01 | Die Polizei …")."""
    copy = without(element, skip)
    if copy is not element and copy.text:
        copy.text = _SEPARATOR_RE.sub("", copy.text, count=1)
    return copy


def _loose_body(element: HtmlElement) -> bool:
    """Whether the text standing directly in ``element`` is body: two words or more
    besides a time label, a separator ("|") or a byline beside the label ("Uhr" alone,
    after "<span>14:01</span>", is not)."""
    words = 0
    for run in loose_text(element):
        if printed_clock(run) or relative_label(run):
            continue
        if len(run) <= _BYLINE_MAX_CHARS and BYLINE_TEXT.match(run):
            continue
        words += word_count(run)
    return words >= 2


def _sole_child(element: HtmlElement) -> HtmlElement | None:
    """``element``'s only child element when it has no text of its own beside it."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def _native_id(group: Sequence[HtmlElement]) -> str | None:
    # A list item often only wraps the post ("<li><article id=post_1>"): the id sits on
    # the block's sole child, or that child's sole child.
    block: HtmlElement | None = group[0]
    for _ in range(_ID_WRAPPER_DEPTH + 1):
        if block is None:
            break
        for attr in ID_ATTRIBUTES:
            value = block.get(attr)
            if value and not _GENERIC_ID.match(value):
                return str(value)
        block = _sole_child(block)
    for element in group:
        for anchor in element.iter("a"):
            href = anchor.get("href") or ""
            if href.startswith("#") and len(href) > 2:
                return href[1:]
    return None


def read_entry(
    group: Sequence[HtmlElement], carried: set[HtmlElement], page: PageInput
) -> RawEntry | None:
    """The entry that ``group`` (one block, or a label-led run of siblings) shows."""
    own = [e for element in group for e in signal_elements(element, carried)]
    stamp, label = stamp_of(own, page.observed_at, page.zone)
    block = group[0]
    skip: set[HtmlElement] = set()
    for carrier in own:
        if carrier in group:
            # A label leading a run ("<dt>14:01</dt>") is no text; a block carrying its
            # time in an attribute keeps its content.
            if len(group) > 1 and textual_mass((carrier,), carried) <= 3:
                skip.add(carrier)
            continue
        root = next((g for g in group if carrier in g.iterancestors()), block)
        if len(group) > 1 and textual_mass((root,), carried) <= 3:
            # A run's leading label wrapped in markup ("<p><strong>14:05</strong></p>"):
            # the whole member is the time, as a bare label member is above.
            skip.add(root)
            continue
        skip.add(_meta_wrapper(carrier, root))
    pinned = "pinned" in (block.get("class") or "").lower() or block.get("data-pinned") == "true"
    for element in group:
        for leaf in element.iter():
            if not isinstance(leaf.tag, str) or leaf in skip:
                continue
            if len(leaf) and any(isinstance(c.tag, str) for c in leaf):
                continue
            text = clean_inline(leaf.text_content())
            if not text or len(text) > 30:
                continue
            if is_relative_label(text):
                skip.add(leaf)  # "3 mins ago" beside the clock: never entry text
            elif _is_badge(text):
                skip.add(leaf)
                pinned = pinned or bool(_PIN_WORDS.match(text))
    roots = [e for e in group if e not in skip]
    headline_element = _headline(roots, skip)
    if headline_element is not None:
        skip.add(headline_element)
    body_parts: list[HtmlElement] = []
    for element in roots:
        if element in skip:
            continue
        if any(s in skip for s in element.iterdescendants()) or len(group) == 1:
            body_parts.extend(_body_elements(element, skip))
        else:
            body_parts.append(element)
    headline = (
        clean_inline(headline_element.text_content()) if headline_element is not None else None
    )
    parts: list[HtmlPart] = list(body_parts)
    titled = titled_label(own, label, group) if headline is None else None
    if titled is not None:
        label, headline = titled
    elif headline is None:
        headline, parts = _headline_from_body(body_parts)
    text = "\n\n".join(t for t in (_part_text(p) for p in parts) if t)
    if not text and not headline:
        return None
    return RawEntry(
        text=text,
        html_parts=tuple(parts),
        headline=headline,
        stamp=stamp,
        time_label=label,
        native_id=_native_id(group),
        pinned=pinned,
    )


def _part_text(part: HtmlPart) -> str:
    return part if isinstance(part, str) else element_text(part)


def _expanded(parts: Sequence[HtmlElement]) -> list[HtmlElement]:
    """Body parts with a lone wrapper ("<dd>", "<div class=body>") opened up into its
    block children, so that a headline among them can be told from the body."""
    if len(parts) == 1 and not (parts[0].text or "").strip():
        children = [c for c in parts[0] if isinstance(c.tag, str)]
        if len(children) > 1 and not any((c.tail or "").strip() for c in children):
            return children
    return list(parts)


def _headline_from_body(
    body_parts: Sequence[HtmlElement],
) -> tuple[str | None, list[HtmlPart]]:
    """A headline the markup does not mark as one: a bold lead-in, or a short first
    block without a sentence end above the body. Returns (headline, remaining parts)."""
    parts = _expanded(body_parts)
    lead = _lead_in(parts)
    if lead is not None:
        headline = clean_inline(lead.text_content()).rstrip(":").strip() or None
        if lead in parts:
            return headline, [p for p in parts if p is not lead]
        holder = parts[0]
        whole = clean_inline(holder.text_content())
        after = clean_inline(whole[len(clean_inline(lead.text_content())) :]).lstrip(":–—- ")
        return headline, [*([after] if after else []), *parts[1:]]
    if len(parts) > 1 and parts[0].tag in ("div", "span", "strong", "b", "a", "header"):
        first = clean_inline(parts[0].text_content())
        rest = sum(len(clean_inline(p.text_content())) for p in parts[1:])
        if (
            0 < len(first) <= _LEAD_IN_MAX_CHARS
            and first[-1] not in '.!?;,…"”»'
            and rest > len(first)
            and not _BYLINE_CLASS.search(parts[0].get("class") or "")
            and not BYLINE_TEXT.match(first)
        ):
            return first, list(parts[1:])
    return None, list(body_parts)
