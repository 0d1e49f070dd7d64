"""A clock a test sets by hand: pure code takes the clock as an argument, tests pass this."""

from __future__ import annotations

from datetime import datetime, timedelta


class SetClock:
    """Says ``now`` until the test changes it (by assignment or :meth:`advance`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float = 5) -> None:
        self.now += timedelta(minutes=minutes)
