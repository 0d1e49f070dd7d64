"""Polls of a :class:`tests.storage.builders.Feed` as the story filer gets them."""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest.model import Entry
from storage.model import PollId
from tests.storage.builders import START, Feed
from tickerwatch.polling import PollReport


def at(minutes: float) -> datetime:
    """``minutes`` after the feeds' start."""
    return START + timedelta(minutes=minutes)


def polled(feed: Feed, minute: float, *entries: Entry) -> PollReport:
    """A fresh poll of ``feed`` at ``minute`` showing ``entries``, recorded through the
    real differ, and its report."""
    feed.now = at(minute)
    verdict = feed.poll(*entries)
    return PollReport(feed.ticker_id, PollId(1), at(minute), verdict.outcome, verdict.changes)
