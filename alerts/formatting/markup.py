"""Escaping user text and writing marked paragraphs in each platform's markup.

Ticker text is untrusted: an entry quoting ``<!channel>``, ``**`` or ``</p>`` must show
as written and never ping, format or break a message. Each :class:`Markup` escapes span
text for its syntax and wraps deleted and inserted spans in that syntax's strikethrough
and bold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alerts.formatting.text import Mark, Paragraph

# CommonMark (and Discord's and Mattermost's dialects) let a backslash escape any ASCII
# punctuation. These are the characters that start inline markup anywhere in a line ...
_MD_INLINE = re.compile(r"([\\`*_~\[\]<>|])")
# ... and these only at the start of a line: headings, quotes, lists, setext underlines.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
# Mattermost turns @name, @channel, @all and @here into mentions even inside escaped
# text; a word joiner after the @ keeps the text as shown and the mention inert.
_MENTION = re.compile(r"@(?=\w)")
WORD_JOINER = "\u2060"


def slack_escape(text: str) -> str:
    """Slack mrkdwn: only ``&``, ``<`` and ``>`` are control characters (Slack's
    "Escaping text" guide), which also keeps ``<!channel>``-style mentions inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_url(url: str) -> str:
    """A URL inside ``<url|label>``: escaped like text, with ``|`` percent-encoded."""
    return slack_escape(url.replace("|", "%7C"))


def markdown_escape(text: str) -> str:
    """Backslash-escape what would start Markdown formatting (Discord, ntfy, Apprise)."""
    escaped = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def mattermost_escape(text: str) -> str:
    """:func:`markdown_escape` plus inert @-mentions."""
    return _MENTION.sub("@" + WORD_JOINER, markdown_escape(text))


def markdown_url(url: str) -> str:
    """A URL as the target of ``[label](url)``: the characters that would end it encoded."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def html_escape(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class Markup:
    """How one syntax writes a body: the escaper, the wrappers of deleted and inserted
    spans, and what separates paragraphs (spans within one are separated by a space)."""

    escape: Callable[[str], str]
    deleted: tuple[str, str]
    inserted: tuple[str, str]
    paragraph_break: str

    def span(self, text: str, mark: Mark) -> str:
        escaped = self.escape(text)
        if mark is Mark.DELETED:
            return f"{self.deleted[0]}{escaped}{self.deleted[1]}"
        if mark is Mark.INSERTED:
            return f"{self.inserted[0]}{escaped}{self.inserted[1]}"
        return escaped

    def paragraph(self, paragraph: Paragraph) -> str:
        return " ".join(self.span(s.text, s.mark) for s in paragraph if s.text)

    def body(self, body: Sequence[Paragraph]) -> str:
        return self.paragraph_break.join(self.paragraph(p) for p in body)


SLACK = Markup(slack_escape, ("~", "~"), ("*", "*"), "\n")
DISCORD = Markup(markdown_escape, ("~~", "~~"), ("**", "**"), "\n")
MATTERMOST = Markup(mattermost_escape, ("~~", "~~"), ("**", "**"), "\n\n")
MARKDOWN = Markup(markdown_escape, ("~~", "~~"), ("**", "**"), "\n\n")
# Matrix's suggested tag list has <del> but not <ins>; <b> is in every list.
MATRIX_HTML = Markup(html_escape, ("<del>", "</del>"), ("<b>", "</b>"), "<br>")
# Google Chat card text understands <s> and <b> (and <br> for line breaks).
CHAT_HTML = Markup(html_escape, ("<s>", "</s>"), ("<b>", "</b>"), "<br>")
# Plain text (notification fallbacks, Matrix ``body``): git's word-diff notation.
PLAIN = Markup(lambda text: text, ("[-", "-]"), ("{+", "+}"), "\n")
