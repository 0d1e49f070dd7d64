"""Relative time labels ("vor 5 Min.", "25 mins ago", "hace 1 hora") as estimates.

A relative label is the last resort for dating an entry: it drifts from poll to
poll, so readers use it only when the page offers no machine value and no clock.
It is resolved against the fetch time (``observed_at``), never the wall clock.

Languages: German, English, French, Spanish, Italian, Polish, Dutch, Portuguese;
both word orders ("vor 5 Min." / "hace 5 minutos" / "há 5 minutos" / "il y a 5 min"
and "5 mins ago" / "5 minuti fa" / "5 minut temu" / "5 minuten geleden").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# A count: digits or the word for "one" ("vor einer Stunde", "an hour ago", "un'ora fa").
_COUNT = r"\d{1,4}|an?|one|ein(?:e[rmn]?)?|une?|una|uno|un'|uma|um|een|jedn[aą]"
_UNIT = (
    r"s|secs?|seconds?|secondes?|secondi|seconden|sek|sekunden?|sekund[ay]?|seg|segundos?"
    r"|m|mins?|minutes?|minuten|minut[iyoa]?|minutos|minuut"
    r"|h|hrs?|hours?|std|stunden?|heures?|horas?|or[ae]|godz|godzin[ya]?|uur"
    r"|d|days?|tag|tagen?|jours?|j|d[ií]as?|giorn[oi]|dni|dzie[nń]|dag|dagen"
)
# One count and unit ("1 hr"), then the smaller ones a compound label adds
# ("1 hr 35 min ago", "vor 1 Std. und 5 Min.", "hace 1 hora y 5 minutos").
_PART = rf"(?:{_COUNT})\s*(?:{_UNIT})\b\.?"
_AMOUNT = rf"{_PART}(?:\s*(?:,|and|und|et|y|e|en|i)?\s*(?:\d{{1,4}})\s*(?:{_UNIT})\b\.?)*"
_PART_RE = re.compile(rf"(?P<n>{_COUNT})\s*(?P<u>{_UNIT})\b")
_RELATIVE_RE = re.compile(
    # Count after the word: de "vor", fr "il y a", es "hace", pt "há".
    rf"\b(?:vor|il\s+y\s+a|hace|há)\s+(?P<pn>{_AMOUNT})"
    # Count before the word: en "ago", it "fa", pl "temu", nl "geleden", pt "atrás".
    rf"|\b(?P<sn>{_AMOUNT})\s+(?:ago|fa|temu|geleden|atr[áa]s)\b"
    # Polish singular needs no count: "godzinę temu", "minutę temu".
    r"|\b(?P<pl>godzin[ęe]|minut[ęe]|sekund[ęe])\s+temu\b"
    r"|(?P<now>\b(?:gerade eben|soeben|jetzt|just now|moments? ago|right now"
    r"|ahora mismo|hace un momento|adesso|proprio ora|poco fa|przed chwil[aą]"
    r"|zojuist|zonet|agora mesmo|há pouco|h[aá] instantes)\b|[àa] l[’']instant\b)",
    # Matched against lower-cased text: case-insensitive matching of this many
    # alternatives costs several times more per string.
)
# Checked in order: "std" (Stunden) before the "s" of seconds.
_UNIT_SECONDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("std", "stund", "h", "or", "godz", "uur"), 3600),
    (("se", "s"), 1),
    (("m",), 60),
    (("t", "d", "j", "g"), 86400),
)


def _seconds_per(unit: str) -> int:
    word = unit.lower()
    if word == "s":
        return 1
    for prefixes, seconds in _UNIT_SECONDS:
        if word.startswith(prefixes):
            return seconds
    return 60


def parse_relative(text: str, observed_at: datetime) -> datetime | None:
    """The time a relative label in ``text`` points to, counted back from ``observed_at``.

    "gerade eben"/"just now"-style words give ``observed_at`` itself. Returns None
    when ``text`` holds no relative label.
    """
    m = _RELATIVE_RE.search(text.lower())
    if not m:
        return None
    if m.group("now"):
        return observed_at
    amount = m.group("pn") or m.group("sn")
    if amount is None:
        return observed_at - timedelta(seconds=_seconds_per(m.group("pl")))
    # Every count-unit part adds up: "1 hr 35 min" is 95 minutes, not 35.
    seconds = sum(
        _seconds_per(part["u"]) * (int(part["n"]) if part["n"].isdigit() else 1)
        for part in _PART_RE.finditer(amount)
    )
    return observed_at - timedelta(seconds=seconds)


def is_relative_label(text: str) -> bool:
    """True when the string is only a relative time ("3 mins ago"), which is never entry text."""
    m = _RELATIVE_RE.search(text.lower())
    return m is not None and len(text.strip()) <= len(m.group(0)) + 12
