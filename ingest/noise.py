"""What is never an entry nor part of one: ads, teasers, share buttons, navigation,
cookie banners, key-event lists that repeat headlines, "updated at" notes.

:func:`strip_noise` removes such elements from a tree in place, before any layout
looks at it. Markers are class/id words and short boilerplate texts; both lists
are data, readable on one screen.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ingest.htmltext import text_lengths
from ingest.text import clean_inline, word_count

# Elements that never carry ticker text.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "form",
        "button",
        "nav",
        "footer",
        "select",
        "input",
        "textarea",
        "dialog",
        "amp-ad",
        "amp-embed",
    }
)

# Class or id words (split at spaces, dashes, underscores and camelCase) that mark noise.
_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|adslot|ad-slot|advert\w*|anzeige|werbung|banner|sponsor\w*|"
    r"cookie\w*|consent|gdpr|share\w*|sharing|newsletter|promo\w*|outbrain|taboola|"
    r"related|recommend\w*|read-?more|teaser-link|paywall|subscribe\w*|"
    r"key-?events?|keyevents?|breadcrumbs?|block-updated|updated-at|"
    r"lx-pagination|pagination|pager)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Short texts that are boilerplate whatever their markup.
_BOILERPLATE = re.compile(
    r"^(?:lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|weiterlesen|"
    r"das könnte sie auch interessieren|read more|read also|also read|related|see also|"
    r"lire aussi|à lire aussi|a lire aussi|voir aussi|leggi anche|czytaj też|czytaj także)\b"
    r"|^(?:anzeige|advertisement|werbung|publicité|pubblicità|reklama|ad)$",
    re.IGNORECASE,
)
# A note of when a post was last changed ("Updated at 14.22 GMT"): beside the post's own
# time it would pass for a second one, but where the post has no other it is the time.
_UPDATED_NOTE = re.compile(
    r"^(?:updated|aktualisiert|mis à jour)(?: at| am| um| le)?\s+\d{1,2}[.:h]\d{2}\s*\w{0,4}$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[.:h]\d{2}(?!\d)")
# How far up from a note to look for its post, and how much more text the post holds.
_POST_LEVELS = 4
_POST_MIN_CHARS = 40
_BOILERPLATE_MAX_CHARS = 200
# Class names the common CSS kits give text meant for screen readers only ("Post",
# "Posted at", "Share this post"): no reader sees it on the page.
_SCREEN_READER_CLASSES = frozenset(
    {
        "visually-hidden",
        "visuallyhidden",
        "sr-only",
        "sr-text",
        "screen-reader-text",
        "screen-reader-only",
        "screenreader-only",
        "a11y-hidden",
        "assistive-text",
        "element-invisible",
        "hidden-visually",
        "u-hidden-visually",
        "gs-u-vh",
    }
)
# Longer screen-reader text, or text with a digit (a full date the visible label
# abbreviates), may be all the page says; it stays.
_SCREEN_READER_MAX_CHARS = 40
# Words outside links beside an inner boilerplate phrase that make its element content.
_BOILERPLATE_MIN_WORDS = 3
_CAMEL_RE = re.compile(r"([a-z])([A-Z])")
_WIDGET_MAX_CHARS = 2000
# A run of this many siblings marked alike, holding this share of the page's text (its
# text outside scripts, styles and the other dropped tags), is the content itself.
MIN_CONTENT_RUN = 5
CONTENT_SHARE = 0.5


def _noise_word(element: HtmlElement, verdicts: dict[str, str]) -> str:
    """The noise word the element's class or id words hold ("promo", "share"), or ""
    (``verdicts`` caches the answer per marker: pages repeat the same classes hundreds
    of times)."""
    marker = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not marker.strip():
        return ""
    verdict = verdicts.get(marker)
    if verdict is None:
        # camelCase → kebab-case so "shareButtons" and "share-buttons" read alike.
        kebab = _CAMEL_RE.sub(r"\1-\2", marker)
        found = _NOISE_WORDS.search(kebab)
        verdict = verdicts[marker] = found.group().strip(" _-").lower() if found else ""
    return verdict


def _spared(
    marked: dict[HtmlElement, str], lengths: dict[HtmlElement, int], page_chars: int
) -> set[HtmlElement]:
    """Marked elements that are the page's content after all: a run of siblings marked
    alike (a site's teaser cards called "PagePromo") that together hold at least half
    the page's text, with their parts marked by the same word. An ad or a box of
    related links beside the content never holds that much."""
    runs: dict[tuple[HtmlElement, str, str], list[HtmlElement]] = {}
    for element in marked:
        parent = element.getparent()
        if parent is not None:
            key = (parent, str(element.tag), element.get("class") or "")
            runs.setdefault(key, []).append(element)
    spared: set[HtmlElement] = set()
    for (_parent, _tag, _class), members in runs.items():
        if len(members) < MIN_CONTENT_RUN:
            continue
        if sum(lengths[m] for m in members) < CONTENT_SHARE * page_chars:
            continue
        word = marked[members[0]]
        for member in members:
            spared.add(member)
            spared.update(e for e in member.iterdescendants() if marked.get(e) == word)
    return spared


def _widget_sized(element: HtmlElement) -> bool:
    """Ads, share bars and link lists are small or mostly links; a large text body
    with a stray marker ("js-ad-section" on NDTV's article wrapper) is content."""
    text = clean_inline(element.text_content())
    if len(text) <= _WIDGET_MAX_CHARS:
        return True
    linked = sum(len(clean_inline(a.text_content())) for a in element.iter("a"))
    return linked >= len(text) / 2


def _screen_reader_only(element: HtmlElement) -> bool:
    """Whether ``element`` is a short, number-free text for screen readers alone."""
    classes = (element.get("class") or "").lower().split()
    if not any(c in _SCREEN_READER_CLASSES for c in classes):
        return False
    text = element.text_content()
    return len(text.strip()) <= _SCREEN_READER_MAX_CHARS and not any(c.isdigit() for c in text)


def _embed_fallback(frame: HtmlElement) -> bool:
    """Turn an embed frame with fallback text (a tweet in old live blogs) into a
    paragraph of that text, which is what a reader without the embed sees."""
    fallback = clean_inline(re.sub(r"<[^>]+>", " ", frame.text or ""))
    if not fallback:
        return False
    src = frame.get("src")
    frame.clear()
    frame.tag = "p"
    frame.text = fallback
    if src:
        frame.set("data-embed-src", src)
    return True


_BOILERPLATE_TAGS = frozenset({"p", "div", "li", "aside", "section", "span", "a", "strong"})


def _is_boilerplate(element: HtmlElement, length: int) -> bool:
    """Whether the element's text, ``length`` characters raw, is a boilerplate phrase;
    longer text is none, and is not collected to tell.

    When the phrase is an inner element's ("<div class=post><p>Lesen Sie auch: <a>…</a>
    </p><time>14:05</time><h3>…</h3><p>…</p></div>"), the element is boilerplate only
    if what it holds beside that phrase is links (a box of related links): a short
    entry that opens with a read-also line is the entry, and only the line is dropped.
    An "Updated at 14.22" note is boilerplate only beside its post's own time.
    """
    if not 0 < length <= _BOILERPLATE_MAX_CHARS:
        return False
    text = clean_inline(element.text_content())
    if _UPDATED_NOTE.search(text) is not None:
        return _is_second_time(element, text)
    if _BOILERPLATE.search(text) is None:
        return False
    phrase = next(
        (
            inner
            for inner in element.iterdescendants()
            if isinstance(inner.tag, str)
            and inner.tag in _BOILERPLATE_TAGS
            and _BOILERPLATE.search(clean_inline(inner.text_content())) is not None
        ),
        None,
    )
    return phrase is None or _beside(element, phrase) < _BOILERPLATE_MIN_WORDS


def _is_second_time(element: HtmlElement, note: str) -> bool:
    """Whether ``note``, the element's "Updated at 14.22" text, stands in a post that
    shows another clock time (its own): a post whose only time is the note keeps it."""
    for level, post in enumerate(element.iterancestors()):
        text = clean_inline(post.text_content())
        if len(text) >= len(note) + _POST_MIN_CHARS:
            return _CLOCK.search(text.replace(note, "", 1)) is not None
        if level + 1 == _POST_LEVELS:
            break
    return True


def _beside(element: HtmlElement, phrase: HtmlElement) -> int:
    """Words of ``element``'s text outside ``phrase`` and outside links."""
    links = sum(
        _words(a)
        for a in element.iter("a")
        if a is not phrase and phrase not in a.iterancestors() and a not in phrase.iterancestors()
    )
    return _words(element) - _words(phrase) - links


def _words(element: HtmlElement) -> int:
    return word_count(element.text_content())


def strip_noise(root: HtmlElement) -> int:
    """Remove noise elements from the tree in place; returns how many were removed."""
    for frame in list(root.iter("iframe")):
        _embed_fallback(frame)
    doomed: list[HtmlElement] = []
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    lengths = text_lengths(elements)
    verdicts: dict[str, str] = {}
    marked: dict[HtmlElement, str] = {}
    hidden_chars = 0  # text in the dropped tags (scripts, styles), counted once
    for element in elements:
        tag = element.tag
        structured_data = (
            tag == "script" and (element.get("type") or "").lower() == "application/ld+json"
        )
        word = _noise_word(element, verdicts) if tag not in ("html", "body") else ""
        if tag in DROP_TAGS and not any(a.tag in DROP_TAGS for a in element.iterancestors()):
            hidden_chars += lengths[element]  # JSON-LD included: no reader sees it
        if tag in DROP_TAGS and not structured_data:
            doomed.append(element)
            continue
        if word and _widget_sized(element):
            marked[element] = word
        boilerplate = tag in _BOILERPLATE_TAGS and _is_boilerplate(element, lengths[element])
        if boilerplate or _screen_reader_only(element):
            doomed.append(element)
    if marked:
        page_chars = lengths[root] - hidden_chars
        spared = _spared(marked, lengths, page_chars)
        doomed.extend(e for e in marked if e not in spared)
    removed = 0
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        # Keep the text that follows the element in its parent (lxml stores it as tail).
        element.drop_tree()
        removed += 1
    return removed
