"""The verdict on a looked-at page, in the words ``add`` and the UI print."""

from datetime import UTC, datetime, timedelta, timezone

from ingest.check import Verdict, judge
from ingest.model import Entry, EntrySelectors, ParsedPage

NOW = datetime(2026, 4, 23, 16, 0, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))


def page(**fields: object) -> ParsedPage:
    return ParsedPage(url="https://x.test/live", observed_at=NOW, **fields)  # type: ignore[arg-type]


def test_read_names_count_layout_and_newest_time() -> None:
    entries = (
        Entry(0, "b", time=datetime(2026, 4, 23, 17, 5, tzinfo=CEST)),
        Entry(1, "a", time=datetime(2026, 4, 23, 14, 1, tzinfo=CEST)),
    )
    check = judge("u", page(layout="blocks", entries=entries), selectors=None)
    assert check.ok
    assert check.summary == "read 2 entries (layout blocks, newest 17:05)"
    utc = judge("u", page(layout="blocks", entries=entries), selectors=None, zone=UTC)
    assert utc.summary == "read 2 entries (layout blocks, newest 15:05)"
    old = (Entry(0, "a", time=datetime(2026, 4, 20, 9, 0, tzinfo=UTC)),)
    assert judge("u", page(layout="text", entries=old), selectors=None).summary == (
        "read 1 entry (layout text, newest 2026-04-20 09:00)"
    )


def test_not_a_ticker_says_why() -> None:
    check = judge("u", page(layout="none", not_a_ticker="consent wall"), selectors=None)
    assert check.verdict is Verdict.NOT_A_TICKER
    assert check.summary == "not a ticker: consent wall"
    assert check.hint


def test_selectors_that_read_nothing_are_no_success_even_when_discovery_reads() -> None:
    warning = "the entry selector 'li.x' matches nothing on the page"
    read_by_discovery = page(layout="blocks", entries=(Entry(0, "a"),), warnings=(warning,))
    check = judge("u", read_by_discovery, selectors=EntrySelectors(entry="li.x"))
    assert check.verdict is Verdict.SELECTORS_MISSED
    assert check.summary == (
        f"the selectors read nothing: {warning}; discovery reads 1 entry (layout blocks)"
    )
