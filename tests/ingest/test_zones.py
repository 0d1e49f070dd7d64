"""Deciding a page's zone: the order of evidence, and freshness inference on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ingest.model import TimeEvidence
from ingest.parse import parse_page
from ingest.timestamps import ClockLabel
from ingest.zones import decide_zone, guess_zone, infer_from_freshness, lag_in, printed_offset

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")


def printed(hhmm: str) -> ClockLabel:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return ClockLabel(hour, minute, hhmm)


# (newest printed time, fetch instant in UTC, expected UTC offset in minutes, lag in minutes)
FRESH = [
    ("08:12", datetime(2026, 4, 23, 12, 16, tzinfo=UTC), -240, 4),  # New York, summer
    ("08:12", datetime(2026, 12, 3, 13, 16, tzinfo=UTC), -300, 4),  # New York, winter
    ("14:01", datetime(2026, 4, 23, 12, 5, tzinfo=UTC), 120, 4),  # Berlin, summer
    ("23:58", datetime(2026, 7, 1, 23, 2, tzinfo=UTC), 60, 4),  # London, over midnight
    ("00:03", datetime(2026, 7, 1, 23, 10, tzinfo=UTC), 60, 7),  # London, just after midnight
    ("19:32", datetime(2026, 10, 2, 13, 40, tzinfo=UTC), 360, 8),  # whole hours only
    ("09:00", datetime(2026, 4, 23, 9, 40, tzinfo=UTC), 0, 40),  # forty minutes old
]


@pytest.mark.parametrize(("newest", "fetched", "offset", "lag"), FRESH)
def test_freshness_finds_the_offset_that_makes_the_newest_entry_minutes_old(
    newest: str, fetched: datetime, offset: int, lag: int
) -> None:
    found = infer_from_freshness(printed(newest), fetched)
    assert found is not None
    assert found.zone.utcoffset(fetched) == timedelta(minutes=offset)
    assert found.lag == timedelta(minutes=lag)


def test_freshness_names_the_offset_with_a_preferred_zone() -> None:
    found = infer_from_freshness(
        printed("19:02"), datetime(2026, 10, 2, 13, 40, tzinfo=UTC), preferred=[KOLKATA]
    )
    assert found is not None
    assert found.zone is KOLKATA


def test_freshness_prefers_a_whole_hour_over_a_half_hour_offset() -> None:
    found = infer_from_freshness(printed("09:00"), datetime(2026, 4, 23, 9, 40, tzinfo=UTC))
    assert found is not None
    assert found.zone.utcoffset(None) == timedelta(0)


def test_lag_is_the_short_way_round_the_clock() -> None:
    at = datetime(2026, 4, 23, 22, 5, tzinfo=UTC)  # 00:05 in Berlin
    assert lag_in(BERLIN, printed("23:55"), at) == timedelta(minutes=10)
    assert lag_in(BERLIN, printed("00:20"), at) == timedelta(minutes=-15)


FETCH = datetime(2026, 4, 23, 12, 5, tzinfo=UTC)  # 14:05 in Berlin, 13:05 in London


@pytest.mark.parametrize(
    ("kwargs", "zone", "evidence"),
    [
        # The page's own dates name the zone; the ticker's zone gives it its name.
        (
            {"page_dates": [datetime(2026, 4, 23, 14, 0, tzinfo=timezone(timedelta(hours=2)))]},
            BERLIN,
            TimeEvidence.PAGE,
        ),
        (
            {
                "page_dates": [datetime(2026, 4, 23, 13, 0, tzinfo=timezone(timedelta(hours=1)))],
                "locale": BERLIN,
            },
            LONDON,
            TimeEvidence.PAGE,
        ),
        # "Z" in page metadata is a serialization, not the readers' zone.
        (
            {"page_dates": [datetime(2026, 4, 23, 12, 0, tzinfo=UTC)], "locale": BERLIN},
            BERLIN,
            TimeEvidence.LOCALE,
        ),
        (
            {"ticker": LONDON, "locale": BERLIN, "newest": printed("14:01")},
            LONDON,
            TimeEvidence.TICKER_ZONE,
        ),
        # Freshness confirms the language's zone ...
        ({"locale": BERLIN, "newest": printed("14:01")}, BERLIN, TimeEvidence.FRESHNESS),
        # ... a quiet ticker keeps it ...
        ({"locale": BERLIN, "newest": printed("09:30")}, BERLIN, TimeEvidence.LOCALE),
        # ... and an entry an hour in the future under it overrides it.
        (
            {"locale": BERLIN, "newest": printed("15:01")},
            timezone(timedelta(hours=3)),
            TimeEvidence.FRESHNESS,
        ),
        ({"newest": printed("13:01")}, timezone(timedelta(hours=1)), TimeEvidence.FRESHNESS),
        ({"default": LONDON}, LONDON, TimeEvidence.DEFAULT),
        ({}, ZoneInfo("UTC"), TimeEvidence.DEFAULT),
    ],
)
def test_the_order_of_evidence(kwargs: dict, zone: object, evidence: TimeEvidence) -> None:  # type: ignore[type-arg]
    choice = decide_zone(observed_at=FETCH, **kwargs)
    assert (choice.zone, choice.evidence) == (zone, evidence)
    assert str(choice.zone) in choice.rule


def test_freshness_on_a_clock_far_from_the_page_day_keeps_the_language_zone() -> None:
    long_after = datetime(2026, 1, 1, tzinfo=UTC)  # 01:00 in Berlin; newest printed 12:31
    choice = decide_zone(observed_at=long_after, locale=BERLIN, newest=printed("12:31"))
    assert (choice.zone, choice.evidence) == (BERLIN, TimeEvidence.LOCALE)


def test_printed_offset_from_stated_instants_beside_printed_clocks() -> None:
    at = datetime(2026, 4, 23, 8, 6, tzinfo=UTC)
    pairs = [(at, printed("09:06")), (at + timedelta(minutes=20), printed("09:26"))]
    assert printed_offset(pairs) == (timedelta(hours=1), at)
    choice = decide_zone(observed_at=FETCH, printed=printed_offset(pairs), locale=BERLIN)
    assert (choice.zone, choice.evidence) == (LONDON, TimeEvidence.PAGE)


def test_a_zero_printed_offset_is_no_evidence() -> None:
    """Sites that write local times with a "Z" look like UTC pages: neither says a zone."""
    at = datetime(2026, 4, 23, 8, 6, tzinfo=UTC)
    assert printed_offset([(at, printed("08:06")), (at, printed("08:06"))]) is None
    assert printed_offset([(at, printed("09:06")), (at, printed("10:06"))]) is None


NEW_YORK = ZoneInfo("America/New_York")


def test_a_remembered_offset_goes_before_this_polls_freshness_and_follows_clock_changes() -> None:
    # Confirmed in July at -04:00: New York's offset then, so named New York.
    july = datetime(2026, 7, 20, 13, 0, tzinfo=UTC)
    winter_fetch = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 12:00 in New York
    # The newest entry is hours old: some whole-hour offset would make it look fresh.
    choice = decide_zone(
        observed_at=winter_fetch, newest=printed("09:12"), remembered=(timedelta(hours=-4), july)
    )
    assert choice.zone == NEW_YORK
    assert choice.evidence is TimeEvidence.FRESHNESS
    assert "earlier polls" in choice.rule
    without = decide_zone(observed_at=winter_fetch, newest=printed("09:12"))
    assert without.zone != NEW_YORK


def test_a_remembered_offset_that_puts_the_newest_entry_in_the_future_is_dropped() -> None:
    july = datetime(2026, 7, 20, 13, 0, tzinfo=UTC)
    fetch = datetime(2026, 7, 21, 13, 0, tzinfo=UTC)  # 09:00 in New York, 14:00 in London
    choice = decide_zone(
        observed_at=fetch, newest=printed("13:55"), remembered=(timedelta(hours=-4), july)
    )
    assert choice.zone == timezone(timedelta(hours=1))
    assert "earlier polls" not in choice.rule


def test_a_language_zone_is_not_overruled_by_a_remembered_offset() -> None:
    july = datetime(2026, 7, 20, 13, 0, tzinfo=UTC)
    choice = decide_zone(
        observed_at=FETCH,
        locale=BERLIN,
        newest=printed("14:01"),
        remembered=(timedelta(hours=-4), july),
    )
    assert choice.zone == BERLIN


# (domain, html lang, clock label, zone): pages whose domain or language names the zone.
LOCAL_PAGES = [
    ("exempel.se", "sv", "kl. {h}.{m:02d}", "Europe/Stockholm"),
    ("eksempel.dk", "da", "kl. {h}.{m:02d}", "Europe/Copenhagen"),
    ("eksempel.no", "nb", "kl. {h}.{m:02d}", "Europe/Oslo"),
    ("esimerkki.fi", "fi", "klo {h}.{m:02d}", "Europe/Helsinki"),
    ("exemplo.pt", "pt-PT", "{h}h{m:02d}", "Europe/Lisbon"),
    ("example.com", "pt-BR", "{h}h{m:02d}", "America/Sao_Paulo"),
    ("example.com", "sv-SE", "kl. {h}.{m:02d}", "Europe/Stockholm"),
]


@pytest.mark.parametrize(("domain", "lang", "clock", "zone"), LOCAL_PAGES)
def test_a_page_fetched_hours_after_its_last_entry_keeps_its_local_zone(
    domain: str, lang: str, clock: str, zone: str
) -> None:
    """Freshness cannot place a ticker fetched the morning after its last entry: the
    domain or the page's language names the zone its clocks are printed in."""
    times = [(18, 30), (16, 5), (14, 5), (11, 40)]
    blocks = "".join(
        f'<div class="post"><span class="post-time">{clock.format(h=h, m=m)}</span>'
        f"<p>Update at {h}:{m:02d}, with enough words in it to be a body.</p></div>"
        for h, m in times
    )
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Live</title>'
        f'</head><body><main><h1>Live</h1><div class="posts">{blocks}</div></main></body></html>'
    )
    local = ZoneInfo(zone)
    fetched = datetime(2024, 6, 22, 9, 0, tzinfo=local).astimezone(UTC)
    page = parse_page(html.encode(), url=f"https://www.{domain}/live", observed_at=fetched)
    assert page.zone == zone
    got = [e.time.astimezone(local) for e in page.entries if e.time is not None]
    assert [(t.day, t.hour, t.minute) for t in got] == [(21, h, m) for h, m in times]


@pytest.mark.parametrize(
    ("url", "lang", "zone"),
    [
        ("https://g1.example.com.br/ultimas-noticias/", "pt-BR", "America/Sao_Paulo"),
        ("https://www.example.com/ultimas/", "pt-BR", "America/Sao_Paulo"),
        ("https://www.example.pt/ao-minuto", "pt", "Europe/Lisbon"),
        ("https://www.example.com/ao-minuto", "pt-PT", "Europe/Lisbon"),
    ],
)
def test_portuguese_and_brazilian_pages_have_their_zones(url: str, lang: str, zone: str) -> None:
    # Without it a Brazilian list whose newest clock is hours old took the offset that
    # made it fresh (UTC-5), two hours off.
    assert guess_zone(url, lang) == ZoneInfo(zone)
