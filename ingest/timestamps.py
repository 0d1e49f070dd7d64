"""Reading time stamps as tickers print them.

Pure functions from strings to :class:`ClockLabel` values (what the label says,
possibly without a date) and to aware datetimes (machine values: ISO 8601 and
epoch seconds or milliseconds). Filling in a missing date is :mod:`ingest.dating`'s
job, because it needs the neighbouring entries.

Formats read: German "14.01 Uhr", "6.21 Uhr", "Update vom 23. April, von 15.26 Uhr",
"Update 25. April, 06.33 Uhr"; English "10:32 BST", "2.15pm", "Posted at 15:05",
"19:02 (IST), Oct 02", "23 Apr 2026 11.17 BST"; French "14h01", "14 h 01";
relative "vor 5 Min.", "3 mins ago", "il y a 5 min".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "januar january janvier jan jänner janv gennaio",
        "februar february février fevrier feb fév fevr févr febbraio",
        "märz maerz march mars mar mär marzo",
        "april avril apr avr aprile",
        "mai may maggio",
        "juni june juin jun giugno",
        "juli july juillet jul juil luglio",
        "august august août aout aug agosto",
        "september septembre sep sept settembre",
        "oktober october octobre oct okt ottobre",
        "november novembre nov",
        "dezember december décembre decembre dec dez dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

# Zone abbreviations tickers print after a clock time. Ambiguous ones resolve to
# the reading a news site in that language means (IST: India, as used by NDTV and
# the Times of India; Irish sites print "IST" rarely and mean +01:00 then).
ZONE_ABBREVIATIONS: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "BST": timedelta(hours=1),
    "WET": timedelta(0),
    "WEST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "MEZ": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "MESZ": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "IST": timedelta(hours=5, minutes=30),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
}

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ZONE_ALT = "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True))

# A date in front of or behind a clock: "25. April", "23.04.2019", "23 Apr 2026",
# "April 25, 2019", "Oct 02".
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})\.?\s*(?P<m1>{_MONTH_ALT})\.?(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\.(?P<m2>\d{{1,2}})\.(?P<y2>\d{{4}}|\d{{2}})?"
    rf"|(?P<m3>{_MONTH_ALT})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y3>\d{{4}}))?)"
)
_CLOCK = (
    r"(?P<h>[01]?\d|2[0-3])\s*(?:[:.]|\s?h\s?)\s*(?P<mi>[0-5]\d)"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?:Uhr|h)\b)?"
    rf"(?:\s*\(?(?P<zone>{_ZONE_ALT})\)?)?"
)
_CLOCK_RE = re.compile(_CLOCK, re.IGNORECASE)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_DATED_CLOCK_RES = (
    re.compile(rf"(?:{_DATE})[,\s]*(?:(?:um|von|at|à|-|–)\s*)*{_CLOCK}", re.IGNORECASE),
    re.compile(rf"{_CLOCK}[,\s]*(?:(?:on|am|le)\s+)?(?:{_DATE})", re.IGNORECASE),
)

# A time label opening a paragraph: optional "Update (vom)" / "Posted at" words, an
# optional date, the clock, then a colon or dash that ends the label.
_LEAD_WORDS = (
    r"(?:(?:\+\+\+\s*)?(?:update|aktualisierung|posted at|mise à jour|maj)\b"
    r"\s*(?:vom|from|du|of)?\s*)?"
)
_LEADING_RE = re.compile(
    rf"^\s*(?P<label>{_LEAD_WORDS}(?:(?:{_DATE})[,\s]*)?(?:(?:um|von|at|à)\s+)?{_CLOCK})"
    r"\s*(?P<sep>[:\-–—|]|\+\+\+)\s*",
    re.IGNORECASE,
)
# Labels a ticker's first entry carries instead of a time.
_FIRST_REPORT_RE = re.compile(
    r"^\s*(?P<label>\((?:Erstmeldung|Erstmeldung vom [^)]*|Original(?:meldung| article| report)?|"
    r"Première publication)\)|Erstmeldung:|Erstmeldung\s*-)\s*",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(
    r"\b(?:vor\s+(?P<de_n>\d+|einer?)\s*(?P<de_u>Sek\w*|Min\w*|Std\w*|Stunden?|Tag(?:en)?)\.?"
    r"|(?P<en_n>\d+|an?|one)\s*(?P<en_u>secs?|seconds?|mins?|minutes?|hrs?|hours?|h|m|days?|d)\.?\s+ago"
    r"|il\s+y\s+a\s+(?P<fr_n>\d+|une?)\s*(?P<fr_u>s|sec\w*|min\w*|h|heures?|jours?))\b"
    r"|\b(?P<now>gerade eben|just now|à l'instant|jetzt)\b",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "t": 86400, "j": 86400}


@dataclass(frozen=True, slots=True)
class ClockLabel:
    """What a printed time label says. Date parts are None when the label has none."""

    hour: int
    minute: int
    raw: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: timedelta | None = None  # from a printed zone abbreviation

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


def _label_from_match(m: re.Match[str], raw: str) -> ClockLabel | None:
    groups = m.groupdict()
    hour, minute = int(groups["h"]), int(groups["mi"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    day = _int(groups.get("d1") or groups.get("d2") or groups.get("d3"))
    month = _month(groups.get("m1") or groups.get("m2") or groups.get("m3"))
    year = _int(groups.get("y1") or groups.get("y2") or groups.get("y3"))
    if year is not None and year < 100:
        year += 2000
    if day is not None and not (1 <= day <= 31 and month is not None and 1 <= month <= 12):
        day = month = year = None
    zone = groups.get("zone")
    offset = ZONE_ABBREVIATIONS.get(zone.upper()) if zone else None
    return ClockLabel(hour, minute, raw.strip(), day, month, year, offset)


def _plausible_clock(m: re.Match[str]) -> bool:
    """Reject "46:44"-style lap times and "2.5"-style decimals that look like clocks."""
    text = m.group(0)
    separator_is_dot = "." in text and ":" not in text
    has_marker = bool(m.group("ampm") or m.group("zone")) or re.search(
        r"Uhr|\dh", text, re.IGNORECASE
    )
    # A bare "12.50" is a clock only when something says so (Uhr, am/pm, a zone)
    # or when the caller knows it stands where a label stands (leading_label).
    return not separator_is_dot or bool(has_marker)


def find_clock(text: str, *, strict: bool = False) -> ClockLabel | None:
    """The first clock label in a short string such as a ``<time>`` element's text.

    With ``strict``, a dotted clock without "Uhr", am/pm or a zone ("12.50") is not
    accepted, because in running text it is as likely a number.
    """
    for dated in _DATED_CLOCK_RES:
        m = dated.search(text)
        if m:
            label = _label_from_match(m, m.group(0))
            if label:
                return label
    for m in _CLOCK_RE.finditer(text):
        if strict and not _plausible_clock(m):
            continue
        # "2023" or "46:44 min" are not clocks: a clock is not glued to other digits.
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 1]
        if before.isdigit() or after.isdigit():
            continue
        label = _label_from_match(m, m.group(0))
        if label:
            date = _DATE_RE.search(text)
            if date and not label.has_date:
                dm = date.groupdict()
                day = _int(dm.get("d1") or dm.get("d2") or dm.get("d3"))
                month = _month(dm.get("m1") or dm.get("m2") or dm.get("m3"))
                year = _int(dm.get("y1") or dm.get("y2") or dm.get("y3"))
                if day and month and 1 <= day <= 31 and 1 <= month <= 12:
                    if year is not None and year < 100:
                        year += 2000
                    label = ClockLabel(
                        label.hour, label.minute, label.raw, day, month, year, label.offset
                    )
            return label
    return None


def leading_label(text: str, *, emphasized: str | None = None) -> LeadingLabel | None:
    """The time label that opens a ticker paragraph, if any.

    ``emphasized`` is the paragraph's leading bold/strong text when it has one: a
    clock alone in bold ("<strong>16.06</strong>") is a label even without a colon.
    """
    m = _LEADING_RE.match(text)
    if m:
        clock = _label_from_match(m, m.group("label"))
        if clock:
            return LeadingLabel(m.group("label").strip(), clock, text[m.end() :])
    m2 = _FIRST_REPORT_RE.match(text)
    if m2:
        return LeadingLabel(m2.group("label").strip(), None, text[m2.end() :])
    if emphasized:
        lead = emphasized.strip().rstrip(":").strip()
        if lead and len(lead) <= 60 and text.lstrip().startswith(emphasized.strip()):
            full = re.fullmatch(rf"{_LEAD_WORDS}(?:(?:{_DATE})[,\s]*)?{_CLOCK}", lead, re.I)
            if full:
                clock = _label_from_match(full, lead)
                if clock:
                    rest = text.lstrip()[len(emphasized.strip()) :].lstrip(" :-–—")
                    return LeadingLabel(lead, clock, rest)
    return None


def parse_date_heading(text: str) -> tuple[int | None, int, int] | None:
    """A heading that names a day: "Dienstag, 27. August 2024", "Donnerstag, 18. 7.",
    "Saturday 3 January 2015". Returns (year or None, month, day)."""
    stripped = text.strip()
    if len(stripped) > 45 or (_CLOCK_RE.search(stripped) and re.search(r"\d[:.]\d\d", stripped)):
        return None
    m = re.fullmatch(
        rf"(?:[A-Za-zÀ-ÿäöüÄÖÜ]+,?\s+)?(?:den\s+)?(?:{_DATE}|(?P<d4>\d{{1,2}})\.\s*(?P<m4>\d{{1,2}})\.)"
        r"\s*(?P<y4>\d{4})?\s*:?",
        stripped,
        re.IGNORECASE,
    )
    if not m:
        return None
    g = m.groupdict()
    day = _int(g.get("d1") or g.get("d2") or g.get("d3") or g.get("d4"))
    month = _month(g.get("m1") or g.get("m2") or g.get("m3") or g.get("m4"))
    year = _int(g.get("y1") or g.get("y2") or g.get("y3") or g.get("y4"))
    if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year is not None and year < 100:
        year += 2000
    return (year, month, day)


def parse_machine_time(value: str | int | float, zone: tzinfo) -> datetime | None:
    """An ISO 8601 string or an epoch number (seconds or milliseconds) as an aware datetime.

    A value without an offset is read in ``zone``. Returns None for anything else.
    """
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if number > 1e11:  # milliseconds: 1e11 s would be the year 5138
            number /= 1000
        if not 1e8 < number < 1e10:
            return None
        return datetime.fromtimestamp(number, UTC)
    text = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
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


def parse_relative(text: str, observed_at: datetime) -> datetime | None:
    """A relative label ("vor 5 Min.", "3 mins ago", "il y a 2 h") as an estimate."""
    m = _RELATIVE_RE.search(text)
    if not m:
        return None
    if m.group("now"):
        return observed_at
    number = m.group("de_n") or m.group("en_n") or m.group("fr_n") or "1"
    unit = (m.group("de_u") or m.group("en_u") or m.group("fr_u") or "m").lower()
    count = int(number) if number.isdigit() else 1
    key = unit[0]
    if unit.startswith(("std", "stund", "heur", "hr", "hour")):
        key = "h"
    elif unit.startswith("sek") or unit.startswith("sec"):
        key = "s"
    seconds = _UNIT_SECONDS.get(key, 60) * count
    return observed_at - timedelta(seconds=seconds)


def is_relative_label(text: str) -> bool:
    """True when the string is only a relative time ("3 mins ago"), which is never entry text."""
    m = _RELATIVE_RE.search(text)
    return m is not None and len(text.strip()) <= len(m.group(0)) + 12
