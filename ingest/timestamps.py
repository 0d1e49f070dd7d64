"""Reading time stamps as tickers print them.

Pure functions from strings to :class:`ClockLabel` values (what the label says,
possibly without a date) and to aware datetimes (machine values: ISO 8601 and
epoch seconds or milliseconds). Filling in a missing date is :mod:`ingest.dating`'s
job, because it needs the neighbouring entries.

Formats read, clock labels: German "14.01 Uhr", "Update vom 23. April, von 15.26 Uhr",
"Update vom Dienstag, 27. August, 14.01 Uhr", "Update, 14.01 Uhr", "+++ 22:47 … +++";
English "10:32 BST", "2.15pm", "8:23 a.m.", "2:15 p.m. ET", "Posted at 15:05",
"19:02 (IST), Oct 02"; French "14h01", "14 h 01"; Spanish "14:01 h", "a las 14:01";
Italian "ore 14.01"; Polish "godz. 14:01"; Dutch "14.01 uur", "om 14:01";
Portuguese "às 14h01"; Swedish, Danish, Norwegian "kl. 14.01", Finnish "klo 14.01".
Dates beside them in all eight languages ("30 de mayo de 2020", "30 maja 2020",
"zaterdag 30 mei 2020", "2020-05-30"). Relative labels live in :mod:`ingest.relative`
and are re-exported here.

A date-only machine value ("2020-05-30" in ``<time datetime>``) is not a time:
:func:`parse_machine_time` refuses it and :func:`machine_date` reads it, so that a
reader can put that day on the clock the element prints (:func:`on_day`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

from ingest.relative import is_relative_label, parse_relative
from ingest.timewords import (
    AMBIGUOUS_MONTHS,
    MONTHS,
    WEEKDAYS,
    ZONE_ABBREVIATIONS,
    ZONE_NAMES,
    alternation,
)

__all__ = [
    "MONTHS",
    "ZONE_ABBREVIATIONS",
    "ClockLabel",
    "LeadingLabel",
    "find_clock",
    "is_relative_label",
    "leading_label",
    "machine_date",
    "on_day",
    "parse_date_heading",
    "parse_machine_time",
    "parse_relative",
]

_MONTH_ALT = alternation(MONTHS)
_MONTH_FIRST_ALT = alternation(m for m in MONTHS if m not in AMBIGUOUS_MONTHS)
_ZONE_ALT = alternation([*ZONE_ABBREVIATIONS, *ZONE_NAMES])
_WEEKDAY_ALT = alternation(WEEKDAYS)

# A date in front of or behind a clock: "25. April", "23.04.2019", "23 Apr 2026",
# "30 de mayo de 2020", "April 25, 2019", "Oct 02", "2020-05-30".
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:\.|º|er)?\s*(?:de\s+)?(?P<m1>{_MONTH_ALT})\b\.?"
    rf"(?:,?\s+(?:del?\s+)?(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\.(?P<m2>\d{{1,2}})\.(?P<y2>\d{{4}}|\d{{2}})?"
    rf"|(?P<m3>{_MONTH_FIRST_ALT})\b\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<y3>\d{{4}}))?"
    rf"|(?P<y4>(?:19|20)\d\d)[-/](?P<m4>[01]?\d)[-/](?P<d4>[0-3]?\d)\b"
    # "23/04/2026" day first, as everywhere but the US; "04/23/2026" when only that fits.
    # Without a year only as two and two digits ("14/01 21h30"): "1/2" is a fraction.
    rf"|(?P<d5>[0-3]?\d)/(?P<m5>[0-3]?\d)/(?P<y5>(?:19|20)\d\d)\b"
    rf"|(?P<d6>[0-3]\d)/(?P<m6>[0-3]\d)\b(?!/))"
)
# Words in front of a clock that say it is one: it "ore", pl "godz.", es "a las",
# pt "às", nl "om", de "um", sv/da/no "kl." (klockan, klokken), fi "klo". English "at"
# is not among them ("at 12.50 a share").
_CLOCK_WORDS = frozenset({"ore", "godz", "godz.", "a las", "às", "om", "um", "kl", "kl.", "klo"})
_CLOCK = (
    r"(?:(?P<pre>ore|godz\.?|a\s+las|às|om|um|kl\.?|klo)\s+)?"
    r"(?P<h>[01]?\d|2[0-3])\s*(?P<sep>[:.]|\s?h\s?)\s*(?P<mi>[0-5]\d)(?::[0-5]\d)?"
    # Not "23.04.2019" nor "1.14.015": a clock is not glued to more digits.
    r"(?![.:]?\d)"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?P<suf>Uhr|uur|hs|h)\b)?"
    # Zones are upper case on every site we know; "ist"/"et" are German/French words.
    rf"(?:\s*\(?(?-i:(?P<zone>{_ZONE_ALT}))\b\)?)?"
)
_CLOCK_RE = re.compile(_CLOCK, re.IGNORECASE)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_DATED_CLOCK_RES = (
    re.compile(
        rf"(?:{_DATE})(?:T|[,\s]*)(?:(?:um|von|at|à|alle|o|-|–)\s*)*{_CLOCK}", re.IGNORECASE
    ),
    re.compile(rf"{_CLOCK}[,\s]*(?:(?:on|am|le|el|il|del?)\s+)?(?:{_DATE})", re.IGNORECASE),
)
# Every clock has a digit, a separator and two minute digits: strings without this
# (most strings a reader asks about) are answered without the large patterns.
_CLOCK_HINT_RE = re.compile(r"\d\s*(?:[:.]|h)\s*[0-5]\d", re.IGNORECASE)
# Numbers that look like clocks but are prices, shares or durations.
_NOT_AFTER_CLOCK_RE = re.compile(
    r"\s*(?:%|€|\$|£|eur(?:o|os)?\b|usd\b|zł|pln\b|prozent|percent|"
    r"min(?:s|\.|uten?|utes?|uti|utos)?\b|sek|sec|km\b|kg\b)",
    re.IGNORECASE,
)

# A time label opening a paragraph: an optional "+++", optional "Update (vom)",
# "Erstmeldung vom" or "Posted at" words, an optional date (a weekday may stand before
# it: "Update vom Dienstag, 27. August, 14.01 Uhr"), then the clock.
_LEAD_WORDS = (
    r"(?P<plus>\+\+\+\s*)?"
    r"(?:(?:update|updated|aktualisierung|erstmeldung|posted at|mise à jour|maj|"
    r"aggiornamento|actualización|aktualizacja|atualização|bijgewerkt)\b"
    # "Update, 14.01 Uhr", "Update vom …", "Update von Dienstag, …" (sic, common).
    r",?\s*(?:(?:vom|von|am|from|du|of|del|de|dal|z|van)\s+)?)?"
)
_LABEL_DATE = rf"(?:(?:{_WEEKDAY_ALT})\b,?\s+)?(?:{_DATE})[,\s]*"
_LABEL = rf"{_LEAD_WORDS}(?:{_LABEL_DATE})?(?:(?:um|von|at|à|alle|o)\s+)?{_CLOCK}"
_LEADING_RE = re.compile(
    rf"^\s*(?P<label>{_LABEL})"
    # A colon, dash, bar or "+++" ends the label; after an opening "+++" the space does
    # too, as n-tv prints its entries: "+++ 22:47 Russland meldet … +++".
    r"(?:\s*(?P<sep_end>[:\-–—|]|\+\+\+)\s*|(?(plus)\s+|(?!)))",
    re.IGNORECASE,
)
_EMPHASIZED_RE = re.compile(_LABEL, re.IGNORECASE)
_CLOSING_PLUSES_RE = re.compile(r"\s*\+\+\+\s*$")
# Labels a ticker's first entry carries instead of a time: "(Erstmeldung)",
# "Erstmeldung:", "Erstmeldung vom Dienstag, 27. August:" (with a clock it is a time
# label above).
_FIRST_REPORT_RE = re.compile(
    r"^\s*(?P<label>\((?:Erstmeldung|Erstmeldung vom [^)]*|Original(?:meldung| article| report)?|"
    r"Première publication)\)"
    rf"|Erstmeldung(?:,?\s+(?:vom|von|am)\s+(?:(?:{_WEEKDAY_ALT})\b,?\s*)?(?:{_DATE})?)?"
    r"\s*[:\-–—])\s*",
    re.IGNORECASE,
)
_HEADING_RE = re.compile(
    # An optional weekday ("Dienstag,", "sábado,", "środa"), then the date.
    rf"(?:[^\W\d_]+\.?,?\s+)?(?:den\s+|le\s+|el\s+)?"
    rf"(?:{_DATE}|(?P<d9>\d{{1,2}})\.\s*(?P<m9>\d{{1,2}})\.)"
    r"\s*(?P<y9>\d{4})?\s*:?",
    re.IGNORECASE,
)
_DATE_ONLY_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*|\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*")
# ASCII digits only: str.isdigit() accepts "²", which float() refuses.
_EPOCH_RE = re.compile(r"\s*[0-9]+\s*")
_ISO_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}T\d")


@dataclass(frozen=True, slots=True)
class ClockLabel:
    """What a printed time label says. Date parts are None when the label has none.

    ``offset`` comes from a zone abbreviation with a fixed offset ("BST");
    ``zone_name`` from one whose offset depends on the date ("ET": America/New_York).
    """

    hour: int
    minute: int
    raw: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: timedelta | None = None  # from a printed zone abbreviation
    zone_name: str | None = None  # an IANA zone, from "ET", "PT" and the like

    @property
    def minute_of_day(self) -> int:
        return self.hour * 60 + self.minute

    @property
    def has_date(self) -> bool:
        return self.day is not None and self.month is not None


@dataclass(frozen=True, slots=True)
class LeadingLabel:
    """A label found at the start of a paragraph, and the text after it."""

    raw: str
    clock: ClockLabel | None  # None for "(Erstmeldung)"-style labels
    rest: str


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _month(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return MONTHS.get(value.lower().rstrip("."))


def _date_parts(groups: dict[str, str | None]) -> tuple[int | None, int | None, int | None]:
    """(day, month, year) from a match of ``_DATE``, or Nones when it names no valid day."""
    day: int | None
    month: int | None
    if groups.get("d5") or groups.get("d6"):
        first = int(groups.get("d5") or groups.get("d6") or 0)
        second = int(groups.get("m5") or groups.get("m6") or 0)
        day, month = (second, first) if second > 12 >= first else (first, second)
        year = _int(groups.get("y5"))
    else:
        day = _int(groups.get("d1") or groups.get("d2") or groups.get("d3") or groups.get("d4"))
        month = _month(groups.get("m1") or groups.get("m2") or groups.get("m3") or groups.get("m4"))
        year = _int(groups.get("y1") or groups.get("y2") or groups.get("y3") or groups.get("y4"))
    if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
        return None, None, None
    if year is not None and year < 100:
        year += 2000
    return day, month, year


def _label_from_match(m: re.Match[str], raw: str) -> ClockLabel | None:
    groups = m.groupdict()
    hour, minute = int(groups["h"]), int(groups["mi"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    day, month, year = _date_parts(groups)
    zone = groups.get("zone")
    offset = ZONE_ABBREVIATIONS.get(zone) if zone else None
    zone_name = ZONE_NAMES.get(zone) if zone else None
    return ClockLabel(hour, minute, raw.strip(), day, month, year, offset, zone_name)


def _plausible_clock(m: re.Match[str]) -> bool:
    """Reject "2.50"-style decimals that look like clocks unless something says "time"."""
    if "." not in m.group("sep"):
        return True
    # A bare "12.50" is a clock only when something says so (Uhr, am/pm, a zone,
    # "ore"/"godz.") or when the caller knows it stands where a label stands.
    pre = " ".join((m.group("pre") or "").lower().split())
    return bool(m.group("ampm") or m.group("zone") or m.group("suf") or pre in _CLOCK_WORDS)


def _stands_alone(text: str, m: re.Match[str]) -> bool:
    """False for clock-shaped numbers: "2023", "$14.50", "46:44 min", "3.45 %"."""
    start = m.start("h")
    before = text[start - 1 : start]
    if before.isdigit() or (before and before in "$€£"):
        return False
    if before and before in ".,:" and text[start - 2 : start - 1].isdigit():
        return False  # "1.14.01", "3,14.50": part of a longer number
    after = text[m.end() : m.end() + 1]
    if after.isdigit():
        return False
    return _NOT_AFTER_CLOCK_RE.match(text, m.end()) is None


# Labels repeat across a page ("14:05" in every hour's entry, each read by several
# readers): remembering the short strings already read keeps a page of many thousand
# entries linear in its distinct labels. The result is an immutable value.
@lru_cache(maxsize=16384)
def find_clock(text: str, *, strict: bool = False) -> ClockLabel | None:
    """The first clock label in a short string: a ``<time>`` element's text, a
    ``title``/``aria-label`` value ("Saturday, May 30, 2020 7:03 PM"), a byline.

    A date written beside the clock is read into the label. With ``strict``, a
    dotted clock without "Uhr", am/pm, a zone or a word such as "ore" ("12.50") is
    not accepted, because in running text it is as likely a number.
    """
    if not _CLOCK_HINT_RE.search(text):
        return None
    for dated in _DATED_CLOCK_RES:
        m = dated.search(text)
        if m:
            label = _label_from_match(m, m.group(0))
            if label:
                return label
    for m in _CLOCK_RE.finditer(text):
        if strict and not _plausible_clock(m):
            continue
        if not _stands_alone(text, m):
            continue
        label = _label_from_match(m, m.group(0))
        if label:
            date_match = _DATE_RE.search(text)
            if date_match and not label.has_date:
                day, month, year = _date_parts(date_match.groupdict())
                if day is not None:
                    label = replace(label, day=day, month=month, year=year)
            return label
    return None


def on_day(clock: ClockLabel, day: date) -> ClockLabel:
    """``clock`` on ``day``: how ``<time datetime="2020-05-30">19.03 Uhr</time>`` reads."""
    return replace(clock, day=day.day, month=day.month, year=day.year)


def leading_label(text: str, *, emphasized: str | None = None) -> LeadingLabel | None:
    """The time label that opens a ticker paragraph, if any.

    ``emphasized`` is the paragraph's leading bold/strong text when it has one: a
    clock alone in bold ("<strong>16.06</strong>") is a label even without a colon.
    """
    m = _LEADING_RE.match(text)
    # Without a colon or dash after it, "+++ 14.01" is a label only when it is plainly
    # a clock: "+++ 14.01 Prozent …" is a number.
    if m and (m.group("sep_end") or (_plausible_clock(m) and _stands_alone(text, m))):
        clock = _label_from_match(m, m.group("label"))
        if clock:
            return LeadingLabel(m.group("label").strip(), clock, _rest(m, text[m.end() :]))
    m2 = _FIRST_REPORT_RE.match(text)
    if m2:
        return LeadingLabel(m2.group("label").strip(), None, text[m2.end() :])
    if emphasized:
        lead = emphasized.strip().rstrip(":").strip()
        if lead and len(lead) <= 72 and text.lstrip().startswith(emphasized.strip()):
            full = _EMPHASIZED_RE.fullmatch(lead)
            if full:
                clock = _label_from_match(full, lead)
                if clock:
                    rest = text.lstrip()[len(emphasized.strip()) :].lstrip(" :-–—")
                    return LeadingLabel(lead, clock, _rest(full, rest))
    return None


def _rest(m: re.Match[str], rest: str) -> str:
    """The text after a label; a label opened with "+++" closes with it, no text."""
    return _CLOSING_PLUSES_RE.sub("", rest) if m.group("plus") else rest


def parse_date_heading(text: str) -> tuple[int | None, int, int] | None:
    """A heading that names a day: "Dienstag, 27. August 2024", "Donnerstag, 18. 7.",
    "Saturday 3 January 2015", "sábado, 30 de mayo de 2020", "30 maja 2020".
    Returns (year or None, month, day)."""
    stripped = text.strip()
    if len(stripped) > 45 or (_CLOCK_RE.search(stripped) and re.search(r"\d[:.]\d\d", stripped)):
        return None
    m = _HEADING_RE.fullmatch(stripped)
    if not m:
        return None
    g = m.groupdict()
    if g.get("d9"):
        day, month, year = _int(g["d9"]), _int(g["m9"]), None
        if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
            return None
    else:
        day, month, year = _date_parts(g)
        if day is None or month is None:
            return None
    year = year or _int(g.get("y9"))
    if year is not None and year < 100:
        year += 2000
    return (year, month, day)


def machine_date(value: str | int | float) -> date | None:
    """The day a date-only machine value names ("2020-05-30", "20200530"), else None.

    Full time stamps are :func:`parse_machine_time`'s; a day is not midnight.
    """
    if not isinstance(value, str):
        return None
    m = _DATE_ONLY_RE.fullmatch(value)
    if not m:
        return None
    year, month, day = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_machine_time(value: object, zone: tzinfo) -> datetime | None:
    """An ISO 8601 string or an epoch number (seconds or milliseconds) as an aware datetime.

    A value without an offset is read in ``zone``. A date without a time
    ("2020-05-30") is not a time stamp: None (see :func:`machine_date`). Returns
    None for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None  # JSON hands over objects, lists and null where a date belongs
    if isinstance(value, int | float) or _EPOCH_RE.fullmatch(value):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            return None
        if number > 1e11:  # milliseconds: 1e11 s would be the year 5138
            number /= 1000
        if not 1e8 < number < 1e10:
            return None
        return datetime.fromtimestamp(number, UTC)
    text = value.strip()
    if not _ISO_TIME_RE.match(text) or machine_date(text) is not None:
        return None
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    # Python 3.11 reads "2023-11-02T16:56+00:00" and fractions, but not "+0000".
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed
