"""Choosing the time zone a ticker's clock labels are written in.

Order of evidence (:func:`decide_zone`), strongest first:

1. an offset printed with a time stamp wins for that entry (:mod:`ingest.dating`);
2. the page's own: the offset it prints its times in beside stated instants
   (``<time datetime="…08:06Z">09:06</time>``), else that of its dates
   (``article:modified_time``, JSON-LD);
3. the zone configured for the ticker;
4. freshness: a live ticker's newest entry is minutes old when fetched, so the zone
   that puts the newest printed time just before the fetch instant
   (:func:`infer_from_freshness`);
5. the page's ``lang`` and domain, then the language of its labels ("Uhr" is
   German); then the configured default zone; then UTC.

Freshness confirms the language's zone when they agree, and overrides it only when
the language's zone would put the newest entry up to ``CONTRADICTS`` in the future:
an entry many hours old is a quiet ticker (or a page read long after), not a wrong
zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ingest.model import TimeEvidence
from ingest.timestamps import ClockLabel

_BY_TLD = {
    "de": "Europe/Berlin",
    "at": "Europe/Vienna",
    "ch": "Europe/Zurich",
    "uk": "Europe/London",
    "ie": "Europe/Dublin",
    "fr": "Europe/Paris",
    "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg",
    "it": "Europe/Rome",
    "es": "Europe/Madrid",
    "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw",
    "pt": "Europe/Lisbon",
    "se": "Europe/Stockholm",
    "dk": "Europe/Copenhagen",
    "no": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "br": "America/Sao_Paulo",
    "in": "Asia/Kolkata",
    "au": "Australia/Sydney",
}
_BY_LANG = {
    "de": "Europe/Berlin",
    "de-de": "Europe/Berlin",
    "de-at": "Europe/Vienna",
    "de-ch": "Europe/Zurich",
    "en-gb": "Europe/London",
    "en-ie": "Europe/Dublin",
    "en-in": "Asia/Kolkata",
    "en-us": "America/New_York",
    "fr": "Europe/Paris",
    "fr-fr": "Europe/Paris",
    "fr-ch": "Europe/Zurich",
    "it": "Europe/Rome",
    "pl": "Europe/Warsaw",
    "es": "Europe/Madrid",
    "nl": "Europe/Amsterdam",
    # Bare "pt" is Brazil as often as Portugal: only the regional tag says which.
    "pt-pt": "Europe/Lisbon",
    "pt-br": "America/Sao_Paulo",
    "sv": "Europe/Stockholm",
    "da": "Europe/Copenhagen",
    "nb": "Europe/Oslo",
    "nn": "Europe/Oslo",
    "no": "Europe/Oslo",
    "fi": "Europe/Helsinki",
}
# Hosts under generic TLDs whose readers live in one zone.
_BY_HOST_SUFFIX = {
    "bbc.com": "Europe/London",
    "theguardian.com": "Europe/London",
    "indiatimes.com": "Asia/Kolkata",
    "ndtv.com": "Asia/Kolkata",
}


def guess_zone(url: str, lang: str | None, label_language: str | None = None) -> ZoneInfo | None:
    """The most likely zone of a page's clock labels, or None when nothing hints at one."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, name in _BY_HOST_SUFFIX.items():
        if host == suffix or host.endswith("." + suffix):
            return ZoneInfo(name)
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if tld in _BY_TLD:
        return ZoneInfo(_BY_TLD[tld])
    if lang:
        code = lang.strip().lower().replace("_", "-")
        by_lang = _BY_LANG.get(code) or _BY_LANG.get(code.split("-")[0])
        if by_lang:
            return ZoneInfo(by_lang)
    if label_language and label_language in _BY_LANG:
        return ZoneInfo(_BY_LANG[label_language])
    return None


# Zones tried, after the page's own candidates, to name an offset the page states, so
# that labels dated in another season get that season's offset.
COMMON_ZONES = tuple(
    ZoneInfo(name)
    for name in (
        "Europe/London",
        "Europe/Berlin",
        "Europe/Helsinki",
        "Europe/Moscow",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Asia/Shanghai",
        "Asia/Tokyo",
        "Australia/Sydney",
    )
)
# A live ticker's newest entry is this old at most when fetched, for freshness to
# name a zone the page gives no other hint of; clocks may run this far ahead of ours.
FRESH_LAG = timedelta(minutes=50)
AHEAD = timedelta(minutes=15)
# The language's zone is contradicted when it puts the newest entry this far ahead of
# the fetch at most. Further ahead (or many hours behind) says nothing: on a clock far
# from the page's day (a saved page read later) the printed time is any time of day.
CONTRADICTS = timedelta(hours=3)
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """The zone a page's clock labels are read in, what decided it, and a sentence
    saying so (``ParsedPage.time_rule``)."""

    zone: tzinfo
    evidence: TimeEvidence
    rule: str


@dataclass(frozen=True, slots=True)
class Freshness:
    """A zone inferred from freshness: the newest entry was filed ``lag`` before the fetch."""

    zone: tzinfo
    lag: timedelta


def lag_in(zone: tzinfo, newest: ClockLabel, observed_at: datetime) -> timedelta:
    """How long before the fetch the newest printed time lies, read in ``zone``, the
    short way round the clock (negative: after the fetch)."""
    local = observed_at.astimezone(zone)
    minutes = (local.hour * 60 + local.minute - newest.minute_of_day) % _MINUTES_PER_DAY
    if minutes > _MINUTES_PER_DAY // 2:
        minutes -= _MINUTES_PER_DAY
    return timedelta(minutes=minutes)


def _fresh(lag: timedelta) -> bool:
    return -AHEAD <= lag <= FRESH_LAG


def _named(offset: timedelta, at: datetime, candidates: Sequence[tzinfo]) -> tzinfo:
    for zone in candidates:
        if at.astimezone(zone).utcoffset() == offset:
            return zone
    return timezone(offset)


def infer_from_freshness(
    newest: ClockLabel, observed_at: datetime, *, preferred: Sequence[tzinfo] = ()
) -> Freshness | None:
    """The zone that makes the newest printed time a few minutes old at ``observed_at``.

    ``preferred`` zones (the page's language and domain) are tried first; then every
    whole-hour offset, the smallest lag first (one always fits: the window is wider
    than an hour, so half-hour zones such as India's come only from ``preferred``).
    An offset is named by a preferred zone when one has it at that instant. None when
    no zone puts the newest entry within ``FRESH_LAG`` before the fetch (``AHEAD``
    after it).
    """
    for zone in preferred:
        lag = lag_in(zone, newest, observed_at)
        if _fresh(lag):
            return Freshness(zone, lag)
    found = [
        (lag, offset)
        for offset in (timedelta(hours=h) for h in range(-12, 15))
        if _fresh(lag := lag_in(timezone(offset), newest, observed_at))
    ]
    if not found:
        return None
    # The smallest lag that is not in the future, else the least ahead.
    lag, offset = min(found, key=lambda item: (item[0] < timedelta(0), abs(item[0])))
    return Freshness(_named(offset, observed_at, preferred), lag)


def printed_offset(
    pairs: Sequence[tuple[datetime, ClockLabel]],
) -> tuple[timedelta, datetime] | None:
    """The offset a page prints its times in, from stated instants shown beside a printed
    clock (``<time datetime="…08:06Z">09:06</time>``): the offset most pairs agree on,
    with the instant of one of them (to name a zone at), when at least two thirds agree
    on a whole quarter hour. Pairs that agree on zero are left out: a site writing its
    local times with a "Z" looks just like one printing UTC. None without agreement."""
    votes: dict[timedelta, list[datetime]] = {}
    for instant, clock in pairs:
        utc = instant.astimezone(UTC)
        minutes = (clock.minute_of_day - (utc.hour * 60 + utc.minute)) % _MINUTES_PER_DAY
        if minutes > _MINUTES_PER_DAY // 2:
            minutes -= _MINUTES_PER_DAY
        # A zero offset is no evidence: many sites write local times with a "Z".
        if minutes and minutes % 15 == 0 and -12 * 60 <= minutes <= 14 * 60:
            votes.setdefault(timedelta(minutes=minutes), []).append(instant)
    if not votes:
        return None
    offset, instants = max(votes.items(), key=lambda item: len(item[1]))
    if 3 * len(instants) < 2 * sum(len(v) for v in votes.values()):
        return None
    return offset, instants[0]


def _stated_offset(value: datetime) -> timedelta | None:
    """The offset a page date was written with; None when it was read without one."""
    if isinstance(value.tzinfo, ZoneInfo):
        return None
    return value.utcoffset()


def _minutes(lag: timedelta) -> str:
    minutes = int(lag.total_seconds() // 60)
    if abs(minutes) >= 120:
        return f"{abs(minutes) // 60} h {'before' if minutes >= 0 else 'after'}"
    return f"{abs(minutes)} min {'before' if minutes >= 0 else 'after'}"


def decide_zone(
    *,
    observed_at: datetime,
    ticker: ZoneInfo | None = None,
    printed: tuple[timedelta, datetime] | None = None,
    page_dates: Sequence[datetime] = (),
    newest: ClockLabel | None = None,
    locale: ZoneInfo | None = None,
    default: ZoneInfo | None = None,
    remembered: tuple[timedelta, datetime] | None = None,
) -> ZoneChoice:
    """The zone for a page's labels without an offset of their own, by the order in
    the module docstring. ``printed`` is the offset the page prints beside its stated
    instants (:func:`printed_offset`); ``page_dates`` the page's own dates (modified first);
    ``newest`` the newest entry's printed label; ``locale`` the zone of the page's
    language or domain (:func:`guess_zone`); ``default`` the configured fallback;
    ``remembered`` the offset freshness gave on the ticker's earlier polls, confirmed by
    two of them, and an instant it held at: without a language zone it goes before this
    poll's own freshness, which a quiet ticker's old newest entry cannot decide (some
    offset always makes it look fresh), unless it puts the newest entry in the future.
    It is named by a common zone that had it then, so that it follows clock changes."""
    named = [z for z in (ticker, locale, default) if z is not None]
    if printed is not None:
        printed_as, at = printed
        zone = _named(printed_as, at, (*named, *COMMON_ZONES))
        shown = at.astimezone(zone).strftime("%H:%M")
        return ZoneChoice(
            zone,
            TimeEvidence.PAGE,
            f"zone {zone} from the page's printed times: {shown} printed for"
            f" {at.astimezone(UTC):%H:%M} UTC",
        )
    for value in page_dates:
        offset = _stated_offset(value)
        if offset is None:
            continue
        zone = _named(offset, value, (*named, *COMMON_ZONES))
        if offset == timedelta(0) and zone not in named:
            continue  # "Z" is how many sites serialize any time: not the readers' zone
        stamp = value.isoformat(timespec="minutes")
        return ZoneChoice(
            zone, TimeEvidence.PAGE, f"zone {zone} from the page's own dates: {stamp}"
        )
    if ticker is not None:
        return ZoneChoice(ticker, TimeEvidence.TICKER_ZONE, f"zone {ticker} set for this ticker")
    preferred = [z for z in (locale, default) if z is not None]
    if newest is not None:
        for zone in preferred:
            lag = lag_in(zone, newest, observed_at)
            if _fresh(lag):
                return ZoneChoice(
                    zone,
                    TimeEvidence.FRESHNESS,
                    f"zone {zone} ({'language and domain' if zone is locale else 'default'})"
                    f" confirmed by freshness: newest entry {_minutes(lag)} the fetch",
                )
            if not -CONTRADICTS <= lag < -AHEAD:
                return _fallback(zone, locale, "")
        if remembered is not None and not preferred:
            zone = _named(remembered[0], remembered[1], COMMON_ZONES)
            lag = lag_in(zone, newest, observed_at)
            if lag >= -AHEAD:
                return ZoneChoice(
                    zone,
                    TimeEvidence.FRESHNESS,
                    f"zone {zone} inferred from freshness on earlier polls:"
                    f" newest entry {_minutes(lag)} the fetch",
                )
        found = infer_from_freshness(newest, observed_at)
        if found is not None:
            return ZoneChoice(
                found.zone,
                TimeEvidence.FRESHNESS,
                f"zone {found.zone} inferred from freshness:"
                f" newest entry {_minutes(found.lag)} the fetch",
            )
    if preferred:
        return _fallback(preferred[0], locale, "")
    utc = ZoneInfo("UTC")
    return ZoneChoice(utc, TimeEvidence.DEFAULT, "no zone stated or inferable: UTC")


def _fallback(zone: ZoneInfo, locale: ZoneInfo | None, why: str) -> ZoneChoice:
    if zone is locale:
        return ZoneChoice(
            zone, TimeEvidence.LOCALE, f"zone {zone} from the page's language and domain{why}"
        )
    return ZoneChoice(zone, TimeEvidence.DEFAULT, f"zone {zone} configured as the default{why}")
