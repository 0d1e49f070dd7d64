"""Text clean-up for display and normalization for comparison.

Two different needs: display text keeps the author's characters and paragraph
breaks (``clean_display``); comparison keys fold everything a reader cannot see
or does not care about — NBSP, soft hyphens, zero-width characters, runs of
whitespace, Unicode composition — so that two polls of an unchanged entry compare
equal (``comparison_key``).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing: soft hyphen, zero-width space/joiners, BOM,
# word joiner. Publishers' CMSs insert and drop them between polls.
# (A regex, not str.translate: translate with a dict walks every character in Python.)
# Control characters (C0 but the whitespace ones, DEL), lone surrogates and the two
# noncharacters XML forbids (U+FFFE, U+FFFF) are dropped in
# the same pass: no reader sees them, lxml refuses them in a tree, PostgreSQL refuses NUL
# and no database encoding holds a surrogate. JSON's "\u0000" and "\ud800" escapes put
# them into strings even after the page's own text was cleaned.
# (Vertical tab and form feed are whitespace to a reader, so display text collapses them
# with the other spaces; only a tree or the store needs them gone.)
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff"
_INVISIBLE = re.compile(f"[\u00ad\u200b\u200c\u200d\u2060\ufeff{_CONTROLS}]")
_UNSAFE = re.compile(f"[{_CONTROLS}\x0b\x0c]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept) and lone
    surrogates: what lxml, the databases and a reader can all take. The edge cleaning for
    text from outside (the decoded page, strings out of JSON) before it reaches a tree or
    the store."""
    return _UNSAFE.sub("", text)


def clean_inline(text: str) -> str:
    """One line of display text: NFC, invisible characters dropped, spaces collapsed."""
    return _collapsed(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)))


def _collapsed(text: str) -> str:
    """Every run of whitespace (NBSP and the other Unicode spaces, line breaks) one space,
    none at the ends. ``str.split`` and a regex's ``\\s`` know the same whitespace
    (``str.isspace``); the split is several times faster than a substitution."""
    return " ".join(text.split())


def join_paragraphs(paragraphs: list[str]) -> str:
    """Display text of paragraphs: each cleaned, empty ones dropped, blank-line separated."""
    return "\n\n".join(p for p in (clean_inline(p) for p in paragraphs) if p)


def clean_display(text: str) -> str:
    """Display text with paragraph breaks kept (blank lines) and everything else collapsed."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    parts = _BLANK_LINES.split(text.replace("\r\n", "\n"))
    return "\n\n".join(p for p in (_collapsed(x) for x in parts) if p)


def word_count(text: str) -> int:
    """How many whitespace-separated words of ``text`` hold a letter ("14:05", "–"
    and "|" are no words)."""
    return sum(1 for word in text.split() if any(c.isalpha() for c in word))


def comparison_key(text: str | None) -> str:
    """The form two texts are compared in: NFKC, invisible characters dropped,
    all whitespace (including NBSP and paragraph breaks) collapsed to one space,
    case kept (a changed capital is an edit a reader sees)."""
    if not text:
        return ""
    return _collapsed(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
