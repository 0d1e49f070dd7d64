"""The ticker half of :class:`storage.memory.MemoryStore`: tickers, schedules, poll claims.

Kept apart from the polls and their changes only for size; the store is one object with
one lock over both (see :mod:`storage.memory`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime

from diffing.model import ChangeKind
from ingest.model import EntrySelectors
from storage.errors import DuplicateTicker, TickerNotFound
from storage.memory_tables import MemoryTables
from storage.model import NewTicker, Ticker, TickerId, TurnStart
from storage.validate import (
    check_instant,
    check_interval,
    check_name,
    check_new_ticker,
    check_robots_override,
    check_selectors,
    check_tags,
    stored_instant,
)


class MemoryTickers:
    """The tickers, their schedules and poll claims of a :class:`MemoryStore`
    (:class:`storage.ports.TickerRepository` and :class:`storage.ports.TurnStore`); the
    lock and the tables are the store's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claims: dict[TickerId, tuple[str, datetime]] = {}  # poll claims: token, until
        self._t = MemoryTables()

    def close(self) -> None:
        pass

    # TickerRepository

    def add(self, ticker: NewTicker, *, created_at: datetime) -> Ticker:
        check_new_ticker(ticker, created_at)
        with self._lock:
            if any(t.url == ticker.url for t in self._t.tickers.values()):
                raise DuplicateTicker(f"a ticker watches {ticker.url} already")
            ticker_id = TickerId(next(self._t.ticker_ids))
            stored = Ticker(
                id=ticker_id,
                url=ticker.url,
                name=ticker.name,
                interval_seconds=ticker.interval_seconds,
                zone=ticker.zone,
                profile=ticker.profile,
                paused=ticker.paused,
                tags=ticker.tags,
                created_at=stored_instant(created_at),
                next_poll_at=_instant(ticker.next_poll_at),
                error_streak=0,
                robots_override=ticker.robots_override,
                selectors=ticker.selectors,
            )
            self._t.tickers[ticker_id] = stored
            return stored

    def get(self, ticker_id: TickerId) -> Ticker:
        with self._lock:
            return self._ticker(ticker_id)

    def list(self) -> tuple[Ticker, ...]:
        with self._lock:
            return tuple(self._t.tickers.values())

    def set_paused(self, ticker_id: TickerId, paused: bool) -> Ticker:
        return self._update(ticker_id, lambda t: replace(t, paused=paused))

    def set_interval(self, ticker_id: TickerId, interval_seconds: int) -> Ticker:
        check_interval(interval_seconds)
        return self._update(ticker_id, lambda t: replace(t, interval_seconds=interval_seconds))

    def rename(self, ticker_id: TickerId, name: str) -> Ticker:
        check_name(name)
        return self._update(ticker_id, lambda t: replace(t, name=name))

    def set_tags(self, ticker_id: TickerId, tags: Sequence[str]) -> Ticker:
        check_tags(tags)
        return self._update(ticker_id, lambda t: replace(t, tags=tuple(tags)))

    def set_robots_override(self, ticker_id: TickerId, reason: str | None) -> Ticker:
        check_robots_override(reason)
        return self._update(ticker_id, lambda t: replace(t, robots_override=reason))

    def set_selectors(self, ticker_id: TickerId, selectors: EntrySelectors | None) -> Ticker:
        check_selectors(selectors)
        return self._update(ticker_id, lambda t: replace(t, selectors=selectors))

    def set_next_poll_at(
        self, ticker_id: TickerId, at: datetime | None, *, release: str | None = None
    ) -> Ticker:
        check_instant(at, "next_poll_at")
        with self._lock:
            return self._schedule(ticker_id, at, release)

    def _schedule(self, ticker_id: TickerId, at: datetime | None, release: str | None) -> Ticker:
        ticker = replace(self._ticker(ticker_id), next_poll_at=_instant(at))
        self._t.tickers[ticker_id] = ticker
        held = self._claims.get(ticker_id)
        if release is not None and held is not None and held[0] == release:
            del self._claims[ticker_id]
        return ticker

    def claim_poll(
        self, ticker_id: TickerId, *, token: str, now: datetime, until: datetime
    ) -> bool:
        check_instant(now, "now")
        check_instant(until, "until")
        with self._lock:
            self._ticker(ticker_id)
            return self._claim(ticker_id, token, now, until)

    def _claim(self, ticker_id: TickerId, token: str, now: datetime, until: datetime) -> bool:
        held = self._claims.get(ticker_id)
        if held is not None and held[1] > now:
            return False
        self._claims[ticker_id] = (token, until)
        return True

    def claim_turn(
        self,
        ticker_id: TickerId,
        *,
        token: str,
        now: datetime,
        until: datetime,
        change_kinds: Collection[ChangeKind] | None = None,
    ) -> TurnStart:
        check_instant(now, "now")
        check_instant(until, "until")
        with self._lock:
            ticker = self._ticker(ticker_id)
            claimed = self._claim(ticker_id, token, now, until)
            return self._t.turn_start(ticker, claimed=claimed, change_kinds=change_kinds)

    def remove(self, ticker_id: TickerId) -> None:
        with self._lock:
            self._ticker(ticker_id)
            self._t.remove_ticker(ticker_id)
            self._claims.pop(ticker_id, None)

    # helpers

    def _ticker(self, ticker_id: TickerId) -> Ticker:
        ticker = self._t.tickers.get(ticker_id)
        if ticker is None:
            raise TickerNotFound(f"no ticker {ticker_id}")
        return ticker

    def _update(self, ticker_id: TickerId, change: Callable[[Ticker], Ticker]) -> Ticker:
        with self._lock:
            ticker = change(self._ticker(ticker_id))
            self._t.tickers[ticker_id] = ticker
            return ticker


def _instant(value: datetime | None) -> datetime | None:
    return stored_instant(value) if value is not None else None
