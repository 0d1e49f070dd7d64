"""A removed sink's id is never given to another sink: in every adapter, and in a SQLite
database made before migration ``0011_sink_ids`` once it is upgraded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from alerts.alert import SinkKind
from alerts.model import NewSubscription, SubscriptionId
from alerts.ports import AlertStore
from alerts.sql import SqlAlertStore
from storage import SqlStore, create_engine_for, sqlite_url, upgrade
from storage.engine import alembic_config
from tests.alerts.conftest import Stores
from tests.storage.builders import Feed, entry

HOOK = "https://receiver.example.org/hooks/abc123"
AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _add(alerts: AlertStore, name: str) -> SubscriptionId:
    new = NewSubscription(SinkKind.WEBHOOK, HOOK, name)
    return alerts.add_subscription(new, created_at=AT).id


def test_a_removed_sinks_id_is_never_given_again(stores: Stores) -> None:
    first = _add(stores.alerts, "first")
    newest = _add(stores.alerts, "newest")
    stores.alerts.remove_subscription(newest)
    again = _add(stores.alerts, "again")
    assert first < newest < again


def test_the_migration_keeps_sinks_and_deliveries_and_stops_reusing_ids(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path / "old.db")
    # Sinks, polls and deliveries are recorded by today's stores, then the schema goes
    # back to what it was before 0011 (every later migration's downgrade keeps the rows).
    upgrade(url)
    store = SqlStore(create_engine_for(url))
    alerts = SqlAlertStore(create_engine_for(url))
    try:
        kept, removed = _add(alerts, "kept"), _add(alerts, "removed")
        Feed(store, "gipfel").poll(entry("Erste Meldung."), entry("Zweite Meldung."))
        events = store.outbox(limit=100)
        alerts.enqueue([(kept, e) for e in events], created_at=AT)
        alerts.remove_subscription(removed)
    finally:
        alerts.close()
        store.close()
    command.downgrade(alembic_config(url), "0009_parse_health")
    before = _delivery_rows(url)
    assert len(before) == len(events) == 2

    upgrade(url)
    engine = create_engine_for(url)
    with engine.connect() as connection:
        ddl = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'alert_subscription'")
        ).scalar_one()
        indexes = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'alert_delivery'")
        ).scalar_one()
    engine.dispose()
    assert "AUTOINCREMENT" in ddl
    assert indexes > 1, "the delivery table came back with its indexes"
    alerts = SqlAlertStore(create_engine_for(url))
    try:
        assert _delivery_rows(url) == before
        assert len(alerts.deliveries()) == 2
        assert [s.id for s in alerts.subscriptions()] == [kept]
        # An id freed before the upgrade may be given once more (no record of it is
        # left); from then on none is.
        following = _add(alerts, "following")
        alerts.remove_subscription(following)
        assert _add(alerts, "last") > following > kept
        alerts.remove_subscription(kept)
        assert alerts.deliveries() == (), "the cascade to the deliveries still holds"
    finally:
        alerts.close()


def _delivery_rows(url: str) -> list[tuple[object, ...]]:
    """The delivery table as stored (read without today's store: the schema may be old)."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(text("SELECT * FROM alert_delivery ORDER BY id"))
            ]
    finally:
        engine.dispose()
