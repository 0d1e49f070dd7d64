"""The forms entry texts are compared in.

Two polls of an unchanged entry must compare equal although publishers' CMSs add and
drop NBSPs, soft hyphens, zero-width characters and runs of whitespace between polls,
and compose umlauts differently (NFC vs NFD). :func:`text_key` folds exactly those
away and keeps everything a reader sees, case included: a changed capital is an edit.
:func:`fuzzy_key` also folds case, for similarity scoring only.
"""

from __future__ import annotations

import unicodedata

# Characters that render as nothing: soft hyphen, zero-width space/joiners, word
# joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Word-level comparison starts its private alphabet past the BMP so that the encoded
# strings never contain surrogates.
_FIRST_WORD_CODE = 0x10000


def text_key(text: str | None) -> str:
    """``text`` in comparison form: NFKC, invisible characters dropped, all whitespace
    (NBSP and paragraph breaks included) collapsed to one space, stripped; "" for None."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    # str.split() splits at every Unicode whitespace and drops the ends: several
    # times faster than a regular expression on 5,000-entry pages.
    return " ".join(text.split())


def fuzzy_key(text: str | None) -> str:
    """:func:`text_key` case-folded: the form similarity scores are computed on."""
    return text_key(text).casefold()


def words(text: str | None) -> list[str]:
    """The words of ``text`` in comparison form (split at whitespace, case kept)."""
    key = text_key(text)
    return key.split(" ") if key else []


class WordCodec:
    """Encodes word lists as strings, one character per distinct word.

    RapidFuzz's string metrics then work at word level (an LCS or an edit script
    over words) at the speed of its character code. One codec must encode every side
    that is compared, so that equal words get equal characters.
    """

    __slots__ = ("_codes",)

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def encode(self, tokens: list[str]) -> str:
        codes = self._codes
        out = []
        for token in tokens:
            code = codes.get(token)
            if code is None:
                code = chr(_FIRST_WORD_CODE + len(codes))
                codes[token] = code
            out.append(code)
        return "".join(out)
