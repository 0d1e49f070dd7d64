"""The pure readers behind the parameter bounds: instants, form numbers, intervals,
zones and the session checks, each with the hostile value that once made a 500."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from storage.model import MAX_ID, MAX_INTERVAL_SECONDS
from web.auth import Gatekeeper
from web.forms import FormError, form_id, interval_seconds, zone_name
from web.timefmt import EARLIEST, LATEST, BadInstant, parse_http_date, parse_instant

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: OverflowError before
        "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
        "0001-01-01T00:00",  # in Berlin: before year 1 in UTC
        "0001-01-01T12:00Z",  # representable, but not in every zone
        "9999-12-31T00:00Z",
    ],
)
def test_instants_outside_the_range_are_refused(text: str) -> None:
    with pytest.raises(BadInstant, match="out of range"):
        parse_instant(text, BERLIN)


def test_the_ends_of_the_range_are_read() -> None:
    assert parse_instant("0001-01-02T00:00Z", BERLIN) == EARLIEST
    assert parse_instant("9999-12-30T00:00+00:00", BERLIN) == LATEST
    assert parse_instant("2019-04-24T14:30", BERLIN) == datetime(2019, 4, 24, 12, 30, tzinfo=UTC)


def test_http_dates_outside_the_range_are_refused() -> None:
    with pytest.raises(BadInstant, match="out of range"):
        parse_http_date("Fri, 31 Dec 9999 23:00:00 GMT")


@pytest.mark.parametrize("text", ["0", "-1", str(MAX_ID + 1), "9" * 5000, "²", "١٢", "1e3", "x"])
def test_form_numbers_are_ascii_digits_in_range(text: str) -> None:
    with pytest.raises(FormError):
        form_id(text)


def test_form_numbers_read() -> None:
    assert form_id(" 12 ") == 12
    assert form_id(str(MAX_ID)) == MAX_ID
    assert form_id("") is None
    with pytest.raises(FormError):
        form_id("11", at_most=10)


@pytest.mark.parametrize("text", ["inf", "nan", "1e400", str(2**63), "367d", "0.5", "-5m"])
def test_intervals_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(FormError):
        interval_seconds(text)


def test_intervals_up_to_the_bound_are_read() -> None:
    assert interval_seconds("5m") == 300
    assert interval_seconds(str(MAX_INTERVAL_SECONDS)) == MAX_INTERVAL_SECONDS


def test_a_zone_name_too_long_for_a_file_is_unknown() -> None:
    with pytest.raises(FormError, match="unknown time zone"):
        zone_name("x" * 20_000)


def test_non_ascii_session_cookies_and_csrf_tokens_are_refused() -> None:
    gate = Gatekeeper(token="t" * 32, session_seconds=3600)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert not gate.session_valid("1.n.ü", now=now)
    assert not gate.session_valid("².n.mac", now=now)
    cookie = gate.new_session(now=now, nonce="n")
    assert gate.session_valid(cookie, now=now)
    assert not gate.csrf_valid(cookie, "ü")
    assert gate.csrf_valid(cookie, gate.csrf_token(cookie))
