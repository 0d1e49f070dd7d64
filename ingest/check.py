"""What a look at a ticker page found, before the ticker is saved: a value and its words.

``tickerwatch add``, ``edit`` and the UI's ticker form fetch the page once and show the
result before anything is stored. The fetching is the shell's (``tickerwatch.lookup``);
turning a parsed page into a verdict and one line of text is pure and lives here, so
the command line and the UI say the same thing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, tzinfo

from ingest.model import EntrySelectors, ParsedPage


@dataclass(frozen=True, slots=True)
class LookRequest:
    """A page to look at, with the ticker's own reading options."""

    url: str
    zone: str | None = None
    profile: str | None = None
    selectors: EntrySelectors | None = None
    ignore_robots: bool = False


class Verdict(enum.Enum):
    """How a look at a page ended; only ``READ`` lets a ticker be saved without force."""

    READ = "read"
    NOT_A_TICKER = "not_a_ticker"
    SELECTORS_MISSED = "selectors_missed"  # the ticker's selectors read nothing
    INVALID_SELECTORS = "invalid_selectors"
    BLOCKED = "blocked"  # the fetch policy refused the URL (SSRF guard, robots.txt)
    FETCH_FAILED = "fetch_failed"


@dataclass(frozen=True, slots=True)
class PageCheck:
    """One look at a page. ``summary`` is one line for people; ``hint`` says what to
    change when the verdict is not ``READ`` and something can be changed; ``page`` is
    the parsed page when one was fetched."""

    url: str
    verdict: Verdict
    summary: str
    page: ParsedPage | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.READ


def newest_time(page: ParsedPage) -> datetime | None:
    times = [e.time for e in page.entries if e.time is not None]
    return max(times) if times else None


def _clock(moment: datetime, zone: tzinfo | None, observed_at: datetime) -> str:
    local = moment.astimezone(zone) if zone is not None else moment
    if local.date() == observed_at.astimezone(local.tzinfo).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def judge(
    url: str, page: ParsedPage, *, selectors: EntrySelectors | None, zone: tzinfo | None = None
) -> PageCheck:
    """The verdict on a parsed page: entries read (with which layout, newest when), not
    a ticker (why), or selectors that read nothing (what discovery reads instead).
    The newest time is shown in ``zone``, else at the offset the page gave it."""
    if selectors is not None and page.layout != "selectors":
        why = next((w for w in page.warnings if "selector" in w), "they read no entries")
        fallback = (
            f"not a ticker without them either: {page.not_a_ticker}"
            if page.not_a_ticker
            else f"discovery reads {_entries(page)} (layout {page.layout})"
        )
        return PageCheck(
            url,
            Verdict.SELECTORS_MISSED,
            f"the selectors read nothing: {why}; {fallback}",
            page,
            hint="adjust the selectors (tickerwatch parse URL --explain shows the page's "
            "structures)",
        )
    if page.not_a_ticker is not None:
        return PageCheck(
            url,
            Verdict.NOT_A_TICKER,
            f"not a ticker: {page.not_a_ticker}",
            page,
            hint="name its entries with selectors (tickerwatch parse URL --explain)",
        )
    newest = newest_time(page)
    when = f", newest {_clock(newest, zone, page.observed_at)}" if newest else ", no times"
    return PageCheck(url, Verdict.READ, f"read {_entries(page)} (layout {page.layout}{when})", page)


def _entries(page: ParsedPage) -> str:
    return "1 entry" if len(page.entries) == 1 else f"{len(page.entries)} entries"
