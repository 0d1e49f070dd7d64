"""The forms entry texts are compared in.

Two polls of an unchanged entry must compare equal although publishers' CMSs add and
drop NBSPs, soft hyphens, zero-width characters and runs of whitespace between polls,
compose umlauts differently (NFC vs NFD) and swap quotation mark styles („…“, “…”, «…»,
"…"). :func:`text_key` folds exactly those away and keeps everything else a reader
sees, case included: a changed capital is an edit. The words a diff shows
(:func:`words`) keep the author's quotation marks.
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


# Quotation marks a CMS (its typography filter, the template of the day) swaps between
# polls: „…“, “…”, «…», "…" and their single forms say the same; comparison folds each
# family onto its ASCII mark, while the words a diff shows keep the author's.
_QUOTE_FOLD = str.maketrans(
    dict.fromkeys("\u201e\u201c\u201d\u201f\u00ab\u00bb\u2033\u301d\u301e", '"')
    | dict.fromkeys("\u201a\u2018\u2019\u201b\u2039\u203a\u2032", "'")
)


def _shown(text: str | None) -> str:
    """``text`` as a reader sees it: NFKC, invisible characters dropped, all whitespace
    (NBSP and paragraph breaks included) collapsed to one space, stripped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    # str.split() splits at every Unicode whitespace and drops the ends: several
    # times faster than a regular expression on 5,000-entry pages.
    return " ".join(text.split())


def text_key(text: str | None) -> str:
    """``text`` in comparison form: as a reader sees it (NFKC, invisible characters
    dropped, whitespace collapsed, stripped) with its quotation marks folded to ASCII;
    "" for None."""
    return _shown(text).translate(_QUOTE_FOLD)


def fuzzy_key(text: str | None) -> str:
    """:func:`text_key` case-folded: the form similarity scores are computed on."""
    return text_key(text).casefold()


def words(text: str | None) -> list[str]:
    """The words of ``text`` as a reader sees them (split at whitespace, case and
    quotation marks kept); :class:`WordCodec` compares them in comparison form."""
    shown = _shown(text)
    return shown.split(" ") if shown else []


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
            key = token.translate(_QUOTE_FOLD)  # „so“ and "so" are one word
            code = codes.get(key)
            if code is None:
                code = chr(_FIRST_WORD_CODE + len(codes))
                codes[key] = code
            out.append(code)
        return "".join(out)
