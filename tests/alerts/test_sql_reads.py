"""The SQL alert store reads the change events of its deliveries through storage's port
(``changes_by_ids``), in a transaction of its own: a ticker removed in between takes its
events and queued deliveries with it, and the claim leaves them out instead of failing."""

from __future__ import annotations

from collections.abc import Collection

from alerts.alert import SinkKind
from alerts.sql import SqlAlertStore
from storage import SqlStore, create_engine_for
from storage.model import StoredChange, TickerId
from tests.alerts.conftest import POLICY, START, Stores

HOOK = "https://receiver.example.org/hooks/abc123"


class RemovingFirst:
    """Storage's change reader, after removing one ticker: the removal that lands
    between the claim's transaction and the read of its events."""

    def __init__(self, store: SqlStore, ticker_id: TickerId) -> None:
        self.store = store
        self.ticker_id = ticker_id

    def changes_by_ids(self, change_ids: Collection[int]) -> dict[int, StoredChange]:
        self.store.remove(self.ticker_id)
        return self.store.changes_by_ids(change_ids)


def test_a_claim_leaves_out_the_events_of_a_ticker_removed_meanwhile(
    sqlite_stores: Stores,
) -> None:
    sink = sqlite_stores.subscribe(SinkKind.WEBHOOK, HOOK)
    kept = sqlite_stores.add_entries("t1", 1)
    gone = sqlite_stores.add_entries("t2", 1)
    sqlite_stores.alerts.enqueue([(sink.id, c) for c in kept + gone], created_at=START)
    assert isinstance(sqlite_stores.store, SqlStore)
    assert sqlite_stores.url
    racing = SqlAlertStore(
        create_engine_for(sqlite_stores.url),
        changes=RemovingFirst(sqlite_stores.store, gone[0].ticker_id),
    )
    try:
        claims = racing.claim(now=START, limit=10, lease_s=30, worker="w1", policy=POLICY)
    finally:
        racing.close()
    assert [c.changes for c in claims] == [tuple(kept)]
    assert [d.change_id for d in sqlite_stores.alerts.deliveries()] == [kept[0].id]


def test_enqueue_skips_events_removed_since_they_were_read(sqlite_stores: Stores) -> None:
    sink = sqlite_stores.subscribe(SinkKind.WEBHOOK, HOOK)
    kept = sqlite_stores.add_entries("t1", 1)
    gone = sqlite_stores.add_entries("t2", 1)
    sqlite_stores.store.remove(gone[0].ticker_id)
    added = sqlite_stores.alerts.enqueue([(sink.id, c) for c in kept + gone], created_at=START)
    assert added == 1
