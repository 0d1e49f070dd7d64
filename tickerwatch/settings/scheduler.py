"""``[scheduler]``: when tickers are polled."""

from __future__ import annotations

from pydantic import BaseModel


class SchedulerSettings(BaseModel):
    """Cadence, backoff and concurrency of polling."""
