"""Entry texts compared without what their third-party embeds showed.

An embedded post or video is rendered differently from poll to poll: the post's text
(a tweet's fallback blockquote), a consent placeholder the noise filter drops, an
empty frame, a poster with a caption. The entry's own prose is what was written; the
noise filter marks embeds (:data:`ingest.htmltext.EMBED_MARK`) in the stored HTML so
that a text difference made only by them is no edit. An embed swapped for another is
not one either: no poll tells a re-rendered embed from a replaced one.
"""

from __future__ import annotations

import lxml.html
from lxml.etree import ParserError

from diffing.model import EntryVersion
from diffing.normalize import text_key
from ingest.htmltext import EMBED_MARK, element_text


def prose_key(text: str, html: str) -> str:
    """``text`` in comparison form (:func:`diffing.normalize.text_key`) without the
    text of the embeds marked in ``html`` (each outermost one removed once)."""
    key = text_key(text)
    if EMBED_MARK not in html:
        return key
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return key
    for element in root.iter():
        if element.get(EMBED_MARK) is None:
            continue
        if any(a.get(EMBED_MARK) is not None for a in element.iterancestors()):
            continue  # its text went with the outer embed
        shown = text_key(element_text(element))
        if shown:
            key = key.replace(shown, "", 1)
    return " ".join(key.split())


def only_embeds_differ(previous: EntryVersion, current: EntryVersion) -> bool:
    """Whether two versions whose texts differ show the same prose around their
    embeds. Versions without marked embeds (stored before embeds were marked, or
    read from JSON) never do; nor do two that are all embed."""
    if EMBED_MARK not in previous.html and EMBED_MARK not in current.html:
        return False
    prose = prose_key(previous.text, previous.html)
    return bool(prose) and prose == prose_key(current.text, current.html)


def written_key(text: str, html: str) -> str:
    """The comparison form entries are matched by: :func:`prose_key`, or the whole
    text for an entry that is nothing but an embed."""
    return prose_key(text, html) or text_key(text)
