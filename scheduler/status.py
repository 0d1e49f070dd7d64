"""What ``tickerwatch status`` shows per ticker: a pure view of stored facts.

:func:`ticker_status` turns a ticker, its last poll, its entry count and its last
parse-health event into a :class:`TickerStatus`; the command gathers those from the
store and prints the result as text (:func:`status_lines`) or JSON
(:func:`status_as_json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from diffing.model import HealthKind, PollOutcome
from scheduler.cadence import CadencePolicy, Circuit, circuit_state
from storage.model import StoredChange, StoredPoll, Ticker

# Outcomes that need no explaining; every other one is shown with the reason stored with
# its poll (why the page read no ticker, was a stale copy, or could not be fetched).
PLAIN_OUTCOMES = frozenset({PollOutcome.FRESH.value, PollOutcome.UNCHANGED.value})


def outcome_reason(outcome: str, error: str | None) -> str | None:
    """The stored reason worth showing next to a poll's outcome (a value), or None."""
    return error if error and outcome not in PLAIN_OUTCOMES else None


@dataclass(frozen=True, slots=True)
class TickerStatus:
    """One ticker's scheduling state. ``overdue_s`` is how long its poll has been due
    (0 when not due yet, None when unscheduled or paused). ``health`` is the last
    parse-health event's kind and ``health_detail`` its message (None: none yet);
    ``truncated`` the entries the entry cap dropped on the last poll."""

    ticker_id: int
    name: str
    url: str
    paused: bool
    interval_seconds: int
    last_poll_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    next_poll_at: datetime | None
    overdue_s: float | None
    error_streak: int
    circuit: Circuit
    entries: int
    health: HealthKind | None = None
    health_detail: str | None = None
    health_at: datetime | None = None
    truncated: int = 0

    @property
    def last_reason(self) -> str | None:
        """Why the last poll came out as it did, when its outcome needs a reason."""
        if self.last_outcome is None:
            return None
        return outcome_reason(self.last_outcome, self.last_error)

    @property
    def parse_broken(self) -> bool:
        """True while the page reads no ticker (since a reported breakage)."""
        return self.health is not None and self.health.broken


def ticker_status(
    ticker: Ticker,
    last_poll: StoredPoll | None,
    entries: int,
    policy: CadencePolicy,
    *,
    now: datetime,
    health: StoredChange | None = None,
) -> TickerStatus:
    """``health`` is the ticker's last ``TICKER_HEALTH`` event (``PollStore.parse_health``)."""
    overdue: float | None = None
    if ticker.next_poll_at is not None and not ticker.paused:
        overdue = max(0.0, (now - ticker.next_poll_at).total_seconds())
    return TickerStatus(
        ticker_id=ticker.id,
        name=ticker.name,
        url=ticker.url,
        paused=ticker.paused,
        interval_seconds=ticker.interval_seconds,
        last_poll_at=last_poll.started_at if last_poll else None,
        last_outcome=last_poll.outcome.value if last_poll else None,
        last_error=last_poll.error if last_poll else None,
        next_poll_at=ticker.next_poll_at,
        overdue_s=overdue,
        error_streak=ticker.error_streak,
        circuit=circuit_state(ticker.error_streak, policy),
        entries=entries,
        health=health.health if health is not None else None,
        health_detail=health.detail if health is not None else None,
        health_at=health.observed_at if health is not None else None,
        truncated=last_poll.truncated if last_poll else 0,
    )


def status_as_json(status: TickerStatus) -> dict[str, Any]:
    def instant(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": status.ticker_id,
        "name": status.name,
        "url": status.url,
        "paused": status.paused,
        "interval_seconds": status.interval_seconds,
        "last_poll_at": instant(status.last_poll_at),
        "last_outcome": status.last_outcome,
        "last_error": status.last_error,
        "next_poll_at": instant(status.next_poll_at),
        "overdue_seconds": status.overdue_s,
        "error_streak": status.error_streak,
        "circuit": status.circuit.value,
        "entries": status.entries,
        "parse_health": {
            "ok": not status.parse_broken,
            "last_event": status.health.value if status.health else None,
            "detail": status.health_detail,
            "at": instant(status.health_at),
        },
        "truncated": status.truncated,
    }


def status_lines(status: TickerStatus, *, now: datetime) -> list[str]:
    """Three lines for people: name and state, URL, last and next poll; a fourth when the
    page's parse health calls for a look (broken, or read by a new layout)."""
    if status.paused:
        state = "paused"
    elif status.circuit is Circuit.OPEN:
        state = f"CIRCUIT OPEN after {_failed_polls(status.error_streak)} in a row"
    elif status.circuit is Circuit.BACKING_OFF:
        state = f"backing off after {_failed_polls(status.error_streak)}"
    else:
        state = f"every {status.interval_seconds} s at most"
    if status.last_poll_at is None:
        last = "never polled"
    else:
        last = f"last poll {_clock(status.last_poll_at)} {status.last_outcome}"
        if status.last_reason:
            last += f" ({status.last_reason})"
    if status.paused or status.next_poll_at is None:
        upcoming = "no poll scheduled"
    elif status.overdue_s:
        upcoming = f"next poll due since {_clock(status.next_poll_at)} ({status.overdue_s:.0f} s)"
    else:
        wait = (status.next_poll_at - now).total_seconds()
        upcoming = f"next poll {_clock(status.next_poll_at)} (in {wait:.0f} s)"
    counts = "1 entry" if status.entries == 1 else f"{status.entries} entries"
    if status.truncated:
        counts += f" ({status.truncated} oldest cut by the entry cap on the last poll)"
    lines = [
        f"{status.ticker_id:>4}  {status.name}  [{state}]",
        f"      {status.url}",
        f"      {last} · {upcoming} · {counts}",
    ]
    if status.parse_broken:
        lines.append(f"      PARSE HEALTH BAD: {status.health_detail}")
    elif status.health is HealthKind.LAYOUT_CHANGED:
        lines.append(f"      parse health: {status.health_detail}")
    return lines


def _failed_polls(count: int) -> str:
    return "1 failed poll" if count == 1 else f"{count} failed polls"


def _clock(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S %Z")
