"""``HostLimiter``: politeness per host, shared by every fetch of one fetcher.

Two rules per host name: at most ``max_concurrency`` requests in flight (an
asyncio semaphore), and request *starts* at least ``min_interval_s`` apart. A
request reserves its start time when it gets a slot (the later of now and the
previous reservation plus the interval) and sleeps until then, holding the slot.
Clock and sleep are injected, so tests drive it with a fake clock that advances
only when the fake sleep is awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class _Host:
    semaphore: asyncio.Semaphore
    next_start: datetime | None = None
    users: int = 0  # holding or waiting for a slot


class HostLimiter:
    """Per-host concurrency and spacing. Not thread-safe; one event loop.

    Hosts are keyed by the name as given (the fetcher passes the lower-case URL
    host). Idle hosts whose spacing has elapsed are forgotten, so the table stays
    as small as the set of hosts currently being polled.
    """

    def __init__(
        self, *, max_concurrency: int, min_interval_s: float, clock: Clock, sleep: Sleep
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if min_interval_s < 0:
            raise ValueError("min_interval_s must not be negative")
        self._max_concurrency = max_concurrency
        self._interval = timedelta(seconds=min_interval_s)
        # At most max_concurrency reservations are pending, so no honest wait is
        # longer than this. It keeps a wall clock stepped backwards (NTP) from
        # stalling a host for the size of the step.
        self._max_wait_s = min_interval_s * max_concurrency
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of ``host``'s slots, entered no sooner than the spacing allows."""
        state = self._hosts.get(host)
        if state is None:
            self._forget_idle()
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._max_concurrency))
        state.users += 1
        try:
            async with state.semaphore:
                now = self._clock()
                start = now if state.next_start is None else max(now, state.next_start)
                # Reserve before sleeping: no await between reading and writing.
                state.next_start = start + self._interval
                wait_s = min((start - now).total_seconds(), self._max_wait_s)
                if wait_s > 0:
                    await self._sleep(wait_s)
                yield
        finally:
            state.users -= 1

    def in_flight(self, host: str) -> int:
        """Requests holding or waiting for a slot of ``host`` (for tests and metrics)."""
        state = self._hosts.get(host)
        return 0 if state is None else state.users

    def _forget_idle(self) -> None:
        now = self._clock()
        idle = [
            name
            for name, state in self._hosts.items()
            if state.users == 0 and (state.next_start is None or state.next_start <= now)
        ]
        for name in idle:
            del self._hosts[name]
