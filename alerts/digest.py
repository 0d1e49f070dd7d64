"""Burst digests: when one ticker yields many changes at once, one message lists them.

Pure. A lane (one sink, one ticker) is sent oldest first; when its oldest pending
delivery is claimed, :func:`burst_size` decides how many of the lane's pending
deliveries go into that one message. Nothing is held back to wait for a burst: a burst
is what is already queued — the changes of one poll (observed together), or those that
piled up while the sink was rate-limited or down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DigestRule:
    """``threshold`` changes observed within ``window_s`` seconds of the first are sent
    as one message of at most ``max_alerts``; a threshold below 2 or an empty window
    sends every change alone."""

    window_s: float
    threshold: int
    max_alerts: int

    @property
    def enabled(self) -> bool:
        return self.threshold >= 2 and self.window_s > 0 and self.max_alerts >= 2


def burst_size(head: datetime, followers: Sequence[datetime], rule: DigestRule) -> int:
    """How many deliveries the message led by ``head`` carries (at least 1).

    ``head`` is the observation time of the lane's oldest pending change, ``followers``
    those of the next pending ones, in lane order (never earlier than ``head``).
    """
    if not rule.enabled:
        return 1
    size = 1
    for observed_at in followers[: rule.max_alerts - 1]:
        if (observed_at - head).total_seconds() > rule.window_s:
            break
        size += 1
    return size if size >= rule.threshold else 1
