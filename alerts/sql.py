"""``SqlAlertStore``: the alert store port on SQLModel, for SQLite and PostgreSQL alike.

    alerts = SqlAlertStore(create_engine_for(url))   # the database of the change events
    alerts = SqlAlertStore(engine, changes=store)     # the store on that database, shared

The change events a delivery refers to are read through storage's port
(:meth:`storage.ports.PollStore.changes_by_ids`), never from its tables: by default a
:class:`~storage.SqlStore` on the same engine.

Every method is one transaction (``enqueue`` and ``claim`` read the events in one
more). Writes begin ``IMMEDIATE`` on SQLite, so two claiming
processes take turns; on PostgreSQL the claim locks the lane heads it takes and their
sinks with ``FOR UPDATE SKIP LOCKED``, so concurrent workers pass over each other's work
instead of waiting for it or taking it twice. The queue's hot path (enqueue, claim,
complete) is in :mod:`alerts.sql_queue`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, case, delete, func, or_, update
from sqlmodel import Session, col, select

from alerts import sql_queue
from alerts.errors import DeliveryNotFound, SubscriptionNotFound
from alerts.memory import new_key
from alerts.model import (
    Claim,
    Decision,
    Delivery,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    QueueCounts,
    Subscription,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from alerts.ports import AlertStore
from alerts.rules import check_new_subscription
from alerts.sql_mapping import chunks, delivery_from_row, rules_text, subscription_from_row
from alerts.tables import DeliveryRow, SubscriptionRow
from storage.model import StoredChange
from storage.ports import ChangeReader
from storage.sql import SqlStore

PENDING = DeliveryStatus.PENDING.value
DEAD = DeliveryStatus.DEAD.value
DELIVERED = DeliveryStatus.DELIVERED.value


class SqlAlertStore:
    """Implements :class:`alerts.ports.AlertStore` on an engine made by
    :func:`storage.engine.create_engine_for`, whose database is migrated to head."""

    def __init__(self, engine: Engine, *, changes: ChangeReader | None = None) -> None:
        self._engine = engine
        self._changes = changes if changes is not None else SqlStore(engine)
        self._statements = sql_queue.QueueStatements(engine.dialect.name == "postgresql")
        self._writer = engine.execution_options(sqlite_immediate=True)

    @property
    def engine(self) -> Engine:
        """The engine the store runs on (a wake-up watches its database)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def _read(self) -> Session:
        return Session(self._engine)

    def _write(self) -> Session:
        return Session(self._writer)

    # Subscriptions

    def add_subscription(self, new: NewSubscription, *, created_at: datetime) -> Subscription:
        check_new_subscription(new)
        with self._write() as session, session.begin():
            row = SubscriptionRow(
                kind=new.kind.value,
                name=new.name,
                url=new.url,
                secret=new.secret,
                rules=rules_text(new.rules),
                created_at=created_at,
            )
            session.add(row)
            session.flush()
            session.refresh(row)
            return subscription_from_row(row)

    def subscription(self, subscription_id: SubscriptionId) -> Subscription:
        with self._read() as session, session.begin():
            return subscription_from_row(_subscription(session, subscription_id))

    def subscriptions(self) -> tuple[Subscription, ...]:
        with self._read() as session, session.begin():
            rows = session.exec(select(SubscriptionRow).order_by(col(SubscriptionRow.id)))
            return tuple(subscription_from_row(r) for r in rows)

    def set_enabled(
        self,
        subscription_id: SubscriptionId,
        enabled: bool,
        *,
        at: datetime,
        reason: str | None = None,
    ) -> Subscription:
        with self._write() as session, session.begin():
            row = _subscription(session, subscription_id)
            row.enabled = enabled
            row.disabled_reason = None if enabled else reason
            row.disabled_at = None if enabled else at
            if enabled:
                row.not_before = None
            session.add(row)
            session.flush()
            session.refresh(row)
            return subscription_from_row(row)

    def remove_subscription(self, subscription_id: SubscriptionId) -> None:
        with self._write() as session, session.begin():
            _subscription(session, subscription_id)
            # The database cascades to the sink's deliveries.
            session.execute(
                delete(SubscriptionRow).where(col(SubscriptionRow.id) == subscription_id)
            )

    # The queue

    def enqueue(
        self, items: Sequence[tuple[SubscriptionId, StoredChange]], *, created_at: datetime
    ) -> int:
        if not items:
            return 0
        added = 0
        # Events removed with their ticker since they were read are skipped (their
        # deliveries would refer to nothing).
        events = self._changes.changes_by_ids({change.id for _, change in items}).keys()
        with self._write() as session, session.begin():
            sinks = set(session.exec(select(SubscriptionRow.id)))
            rows = [
                {
                    "key": new_key(),
                    "subscription_id": subscription_id,
                    "change_event_id": change.id,
                    "ticker_id": change.ticker_id,
                    "kind": change.kind.value,
                    "observed_at": change.observed_at,
                    "status": PENDING,
                    "created_at": created_at,
                    "queued_at": created_at,
                    "next_attempt_at": created_at,
                    "attempts": 0,
                }
                for subscription_id, change in items
                if subscription_id in sinks and change.id in events
            ]
            for start in range(0, len(rows), 200):
                statement = self._statements.insert_new(rows[start : start + 200])
                added += len(session.execute(statement).all())
        return added

    def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease_s: float,
        worker: str,
        policy: DeliveryPolicy,
        per_lane: int = 1,
    ) -> tuple[Claim, ...]:
        with self._write() as session, session.begin():
            leased = sql_queue.claim(
                session,
                self._statements,
                now=now,
                limit=limit,
                lease_s=lease_s,
                worker=worker,
                policy=policy,
                per_lane=per_lane,
            )
        changes = self._changes.changes_by_ids({d.change_id for _, ds in leased for d in ds})
        until = now + timedelta(seconds=lease_s)
        claims = []
        for sink, deliveries in leased:
            # A delivery whose event is gone was removed with it (with its ticker).
            kept = tuple(d for d in deliveries if d.change_id in changes)
            if kept:
                found = tuple(changes[d.change_id] for d in kept)
                claims.append(Claim(sink, kept, found, worker, until))
        return tuple(claims)

    def complete(self, decisions: Sequence[Decision]) -> None:
        if not decisions:
            return
        with self._write() as session, session.begin():
            sql_queue.complete(session, self._statements, decisions)

    def release(self, claims: Sequence[Claim]) -> None:
        if not claims:
            return
        with self._write() as session, session.begin():
            sql_queue.release(session, self._statements, claims)

    def retry(self, delivery_ids: Collection[DeliveryId] | None, *, now: datetime) -> int:
        with self._write() as session, session.begin():
            if delivery_ids is None:
                chosen = list(
                    session.exec(select(DeliveryRow).where(col(DeliveryRow.status) == DEAD))
                )
            else:
                chosen = []
                for batch in chunks(delivery_ids):
                    chosen.extend(
                        session.exec(select(DeliveryRow).where(col(DeliveryRow.id).in_(batch)))
                    )
                missing = set(delivery_ids) - {r.id for r in chosen}
                if missing:
                    raise DeliveryNotFound(f"no delivery {min(missing)}")
            ids = {r.id for r in chosen if r.id is not None}
            groups = {r.group_id for r in chosen if r.group_id is not None}
            for batch in chunks(groups):
                query = select(DeliveryRow.id).where(col(DeliveryRow.group_id).in_(batch))
                ids.update(i for i in session.exec(query) if i is not None)
            changed = 0
            for batch in chunks(ids):
                in_batch = col(DeliveryRow.id).in_(batch)
                pending = and_(in_batch, col(DeliveryRow.status) == PENDING)
                # Pending ones are counted before the dead ones turn pending: each once.
                waiting = session.exec(
                    select(func.count()).select_from(DeliveryRow).where(pending)
                ).one()
                session.execute(
                    update(DeliveryRow)
                    .where(pending, col(DeliveryRow.next_attempt_at) > now)
                    .values(next_attempt_at=now)
                )
                dead = session.execute(
                    update(DeliveryRow)
                    .where(in_batch, col(DeliveryRow.status) == DEAD)
                    .values(
                        status=PENDING,
                        attempts=0,
                        queued_at=now,
                        next_attempt_at=now,
                        leased_until=None,
                        leased_by=None,
                    )
                )
                changed += int(waiting) + int(dead.rowcount or 0)  # type: ignore[attr-defined]
            return changed

    def delivery(self, delivery_id: DeliveryId) -> Delivery:
        with self._read() as session, session.begin():
            row = session.get(DeliveryRow, delivery_id)
            if row is None:
                raise DeliveryNotFound(f"no delivery {delivery_id}")
            return delivery_from_row(row)

    def deliveries(
        self,
        *,
        subscription_id: SubscriptionId | None = None,
        failed: bool = False,
        status: DeliveryStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[Delivery, ...]:
        query = select(DeliveryRow)
        if subscription_id is not None:
            query = query.where(col(DeliveryRow.subscription_id) == subscription_id)
        if failed:  # alerts.model.Delivery.failed
            query = query.where(
                or_(
                    col(DeliveryRow.status) == DEAD,
                    and_(col(DeliveryRow.status) == PENDING, col(DeliveryRow.attempts) > 0),
                )
            )
        if status is not None:
            query = query.where(col(DeliveryRow.status) == status.value)
        query = query.order_by(col(DeliveryRow.id).desc()).limit(limit).offset(offset)
        with self._read() as session, session.begin():
            return tuple(delivery_from_row(r) for r in session.exec(query))

    def counts(self) -> Mapping[SubscriptionId, QueueCounts]:
        failing = case((col(DeliveryRow.attempts) > 0, 1), else_=0)
        query = select(
            DeliveryRow.subscription_id, DeliveryRow.status, failing, func.count()
        ).group_by(col(DeliveryRow.subscription_id), col(DeliveryRow.status), failing)
        tally: dict[SubscriptionId, dict[str, int]] = {}
        with self._read() as session, session.begin():
            for subscription_id, status, tried, count in session.exec(query):
                counts = tally.setdefault(SubscriptionId(subscription_id), {})
                counts[status] = counts.get(status, 0) + count
                if status == PENDING and tried:
                    counts["failing"] = counts.get("failing", 0) + count
        return {
            s: QueueCounts(
                pending=c.get(PENDING, 0),
                failing=c.get("failing", 0),
                delivered=c.get(DELIVERED, 0),
                dead=c.get(DEAD, 0),
            )
            for s, c in tally.items()
        }

    def next_due(self) -> datetime | None:
        query = (
            select(func.min(DeliveryRow.next_attempt_at))
            .join(SubscriptionRow, col(SubscriptionRow.id) == col(DeliveryRow.subscription_id))
            .where(col(DeliveryRow.status) == PENDING, col(SubscriptionRow.enabled).is_(True))
        )
        with self._read() as session, session.begin():
            found: datetime | None = session.exec(query).one()
            return found

    def prune(self, *, delivered_before: datetime) -> int:
        with self._write() as session, session.begin():
            result = session.execute(
                delete(DeliveryRow).where(
                    col(DeliveryRow.status) == DELIVERED,
                    col(DeliveryRow.delivered_at) < delivered_before,
                )
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _subscription(session: Session, subscription_id: SubscriptionId) -> SubscriptionRow:
    row = session.get(SubscriptionRow, subscription_id)
    if row is None:
        raise SubscriptionNotFound(f"no alert sink {subscription_id}")
    return row


def _conforms(store: SqlAlertStore) -> AlertStore:
    return store  # mypy checks here that SqlAlertStore implements the port
