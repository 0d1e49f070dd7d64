"""Parse health: noticing that a ticker's page stopped reading right. Pure.

A ticker that gave entries and suddenly gives none, turns into "not a ticker" (consent
wall, error page, a template the readers do not know) or is read by another layout
than before, needs a human to look. :func:`judge_health` compares how the page read
until now (:class:`~diffing.model.ReadingHealth`) with the poll just judged, and names
at most one :class:`~diffing.model.HealthEvent`:

    fresh page, other layout than the last fresh one     LAYOUT_CHANGED
    broken_after-th poll in a row with no ticker on it    NO_ENTRIES / NOT_A_TICKER
    fresh page after such a report                        RECOVERED
    anything else (more broken polls, stale copies,
    unchanged pages, failed fetches)                      nothing

Only a ticker whose last fresh page had entries can break: a ticker that never read
has nothing to lose. :func:`health_after` is how the reading state moves on, the same
rule :func:`diffing.advance.advance` and the stores follow.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from diffing.config import DEFAULT_CONFIG, DiffConfig
from diffing.model import HealthEvent, HealthKind, PollOutcome, ReadingHealth
from ingest.model import ParsedPage


def judge_health(
    before: ReadingHealth,
    page: ParsedPage,
    outcome: PollOutcome,
    *,
    config: DiffConfig = DEFAULT_CONFIG,
) -> HealthEvent | None:
    """The health event of a poll whose page was judged ``outcome``, or None."""
    at = _clock(page.observed_at)
    was = before.entries
    if outcome is PollOutcome.NOT_A_TICKER:
        if was == 0 or before.broken_polls + 1 != config.broken_after:
            return None  # nothing to lose, or reported already, or maybe transient
        if page.not_a_ticker is None:  # a ticker page without entries (diffing.freshness)
            return HealthEvent(
                HealthKind.NO_ENTRIES, f"Layout changed at {at}: 0 entries read, was {was}"
            )
        return HealthEvent(
            HealthKind.NOT_A_TICKER,
            f"Not a ticker at {at}: 0 entries read, was {was} ({page.not_a_ticker})",
        )
    if outcome is not PollOutcome.FRESH:
        return None
    read = len(page.entries)
    if was and before.broken_polls >= config.broken_after:
        polls = _polls(before.broken_polls)
        return HealthEvent(
            HealthKind.RECOVERED,
            f"Reading again at {at}: {_entries(read)} read ({page.layout}), after {polls} "
            "without a ticker",
        )
    if before.layout is not None and page.layout != before.layout:
        return HealthEvent(
            HealthKind.LAYOUT_CHANGED,
            f"Layout changed at {at}: {_entries(read)} read as {page.layout}, "
            f"was {was} as {before.layout}",
        )
    return None


def health_after(before: ReadingHealth, page: ParsedPage, outcome: PollOutcome) -> ReadingHealth:
    """How the page reads after this poll: a fresh page sets layout and entry count and
    ends a broken run; a poll that is not a ticker lengthens it; others change nothing."""
    if outcome is PollOutcome.FRESH:
        return ReadingHealth(layout=page.layout, entries=len(page.entries), broken_polls=0)
    if outcome is PollOutcome.NOT_A_TICKER:
        return replace(before, broken_polls=before.broken_polls + 1)
    return before


def _clock(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M UTC")


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def _polls(count: int) -> str:
    return "1 poll" if count == 1 else f"{count} polls"
