"""The sample message ``tickerwatch alerts test`` sends: a made-up new entry. Pure."""

from __future__ import annotations

import uuid
from datetime import datetime

from alerts.alert import Alert, Message
from diffing.model import ChangeKind, EntryVersion
from ingest.model import TimeSource
from storage.model import PollId, Revision, RevisionId, SnapshotId, StoredChange, TickerId

SAMPLE_TICKER = "tickerwatch test"
SAMPLE_HEADLINE = "Test alert"
SAMPLE_TEXT = (
    "This is a test alert from tickerwatch. If you can read it, this sink works: changes "
    "of the tickers its rules select will arrive here."
)


def sample_message(now: datetime, *, source_url: str = "https://tickerwatch.invalid/") -> Message:
    """One "new entry" alert observed at ``now``, under a fresh message id."""
    version = EntryVersion(
        text=SAMPLE_TEXT,
        headline=SAMPLE_HEADLINE,
        time=now,
        time_label=f"{now:%H:%M}",
        time_source=TimeSource.MACHINE,
    )
    revision = Revision(
        id=RevisionId(0),
        entry_id="sample",
        snapshot_id=SnapshotId(0),
        observed_at=now,
        version=version,
    )
    change = StoredChange(
        id=0,
        ticker_id=TickerId(0),
        poll_id=PollId(0),
        snapshot_id=SnapshotId(0),
        observed_at=now,
        kind=ChangeKind.ADDED,
        entry_id="sample",
        changed=(),
        similarity=None,
        word_ops=(),
        previous=None,
        current=revision,
        page_headline=None,
        previous_page_headline=None,
    )
    alert = Alert(change, SAMPLE_TICKER, source_url, None)
    return Message(f"msg_test_{uuid.uuid4().hex}", (alert,))
