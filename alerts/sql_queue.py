"""The queue's hot path in SQL: enqueue, claim and complete, as Core statements.

Built once per store (:class:`QueueStatements`) with bound parameters, so a claim or a
completion costs the database's work and little of SQLAlchemy's; each function runs in
the caller's transaction (:class:`alerts.sql.SqlAlertStore` opens it: ``IMMEDIATE`` on
SQLite). On PostgreSQL the claim locks the lane heads it reads and their sinks with
``FOR UPDATE SKIP LOCKED``: a concurrent worker passes over them instead of waiting or
taking them too.

A lane's head is found by grouping the pending deliveries by sink and ticker (the
``ix_alert_delivery_lane`` index); a head is claimable when it is due, not leased, and
its sink enabled and not paused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.lanes import choose, digest_members, followers_to_read, next_messages
from alerts.model import (
    Claim,
    Decision,
    Delivery,
    DeliveryId,
    DeliveryStatus,
    Subscription,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from alerts.sql_mapping import delivery_from_row, subscription_from_row
from alerts.tables import DeliveryRow, SubscriptionRow
from storage.columns import AwareDateTime

DELIVERY: Table = DeliveryRow.metadata.tables["alert_delivery"]
SINK: Table = SubscriptionRow.metadata.tables["alert_subscription"]
PENDING = DeliveryStatus.PENDING.value
D, S = DELIVERY.c, SINK.c
Leased = tuple[Subscription, tuple[Delivery, ...]]


def _instant(name: str) -> Any:
    return bindparam(name, type_=AwareDateTime())


class QueueStatements:
    """The statements of one dialect, with bound parameters."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        now = bindparam("now", type_=AwareDateTime())
        lanes = (
            select(D.subscription_id, D.ticker_id, func.min(D.change_event_id).label("head"))
            .where(D.status == PENDING)
            .group_by(D.subscription_id, D.ticker_id)
            .subquery()
        )
        heads = (
            select(DELIVERY)
            .join(
                lanes,
                and_(
                    lanes.c.subscription_id == D.subscription_id,
                    lanes.c.ticker_id == D.ticker_id,
                    lanes.c.head == D.change_event_id,
                ),
            )
            .join(SINK, S.id == D.subscription_id)
            .where(
                D.status == PENDING,
                D.next_attempt_at <= now,
                or_(D.leased_until.is_(None), D.leased_until <= now),
                S.enabled.is_(True),
                or_(S.not_before.is_(None), S.not_before <= now),
            )
            .order_by(D.change_event_id)
            .limit(bindparam("limit"))
        )
        sinks = select(SINK).where(S.id.in_(bindparam("ids", expanding=True)))
        if postgres:
            heads = heads.with_for_update(skip_locked=True, of=DELIVERY)
            # A sink another worker is claiming for is passed over: its pace is moving.
            sinks = sinks.with_for_update(skip_locked=True)
        self.heads = heads
        self.sinks = sinks
        self.group = (
            select(DELIVERY)
            .where(D.group_id == bindparam("group"), D.status == PENDING)
            .order_by(D.change_event_id)
        )
        self.followers = (
            select(DELIVERY)
            .where(
                D.subscription_id == bindparam("sink"),
                D.ticker_id == bindparam("ticker"),
                D.status == PENDING,
                D.change_event_id > bindparam("after"),
            )
            .order_by(D.change_event_id)
            .limit(bindparam("limit"))
        )
        self.lease = (
            update(DELIVERY)
            .where(D.id.in_(bindparam("ids", expanding=True)))
            .values(
                group_id=bindparam("group"),
                leased_until=_instant("until"),
                leased_by=bindparam("worker"),
            )
        )
        self.release = (
            update(DELIVERY)
            .where(
                D.id.in_(bindparam("ids", expanding=True)),
                D.status == PENDING,
                D.leased_by == bindparam("lease"),
            )
            .values(leased_until=None, leased_by=None)
        )
        self.pace = update(SINK).where(S.id == bindparam("sink")).values(not_before=_instant("at"))
        outcome = {
            "status": bindparam("status"),
            "attempts": D.attempts + 1,
            "next_attempt_at": _instant("next_at"),
            "leased_until": None,
            "leased_by": None,
            "last_status": bindparam("http_status"),
            "last_error": bindparam("error"),
            "delivered_at": _instant("delivered_at"),
        }
        mine = and_(D.id.in_(bindparam("ids", expanding=True)), D.status == PENDING)
        self.delivered = update(DELIVERY).where(mine).values(**outcome)
        self.failed = (
            update(DELIVERY).where(mine, D.leased_by == bindparam("lease")).values(**outcome)
        )
        self.pause = (
            update(SINK)
            .where(
                S.id == bindparam("sink"),
                or_(S.not_before.is_(None), S.not_before < _instant("until")),
            )
            .values(not_before=_instant("until"))
        )
        self.disable = (
            update(SINK)
            .where(S.id == bindparam("sink"), S.enabled.is_(True))
            .values(enabled=False, disabled_reason=bindparam("reason"), disabled_at=_instant("at"))
        )

    def insert_new(self, rows: list[dict[str, Any]]) -> Any:
        """Insert deliveries, skipping (sink, change event) pairs queued before."""
        dialect_insert = postgresql.insert if self.postgres else sqlite.insert
        return (
            dialect_insert(DELIVERY)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["subscription_id", "change_event_id"])
            .returning(D.id)
        )


def claim(
    session: Session,
    statements: QueueStatements,
    *,
    now: datetime,
    limit: int,
    lease_s: float,
    worker: str,
    policy: DeliveryPolicy,
    per_lane: int = 1,
) -> list[Leased]:
    """The lane heads (with their digest members, and up to ``per_lane`` messages of a
    lane in all) leased to ``worker``, with their sinks: :meth:`alerts.ports.AlertStore.claim`
    without the change events, which the store reads through storage's port once this
    transaction is committed."""
    until = now + timedelta(seconds=lease_s)
    rows = session.execute(statements.heads, {"now": now, "limit": limit})
    heads = [delivery_from_row(r) for r in rows]
    if not heads:
        return []
    ids = sorted({h.subscription_id for h in heads})
    found = session.execute(statements.sinks, {"ids": ids})
    sinks: Mapping[SubscriptionId, Subscription] = {
        s.id: s for s in (subscription_from_row(r) for r in found)
    }
    paired = [(h, sinks[h.subscription_id]) for h in heads if h.subscription_id in sinks]
    leased: list[Leased] = []
    for head, subscription in choose(paired, now=now, limit=limit, policy=policy):
        members = _members(session, statements, head, subscription, policy)
        run = [
            members,
            *_run(session, statements, members[-1], subscription, policy, now, per_lane),
        ]
        interval = policy.interval_s(subscription)
        if interval > 0:
            paced = now + timedelta(seconds=interval)
            session.execute(statements.pace, {"sink": subscription.id, "at": paced})
            subscription = replace(subscription, not_before=paced)
        for message in run:
            group = DeliveryId(message[0].group_id or message[0].id)
            session.execute(
                statements.lease,
                {"ids": [m.id for m in message], "group": group, "until": until, "worker": worker},
            )
            stamped = tuple(replace(m, group_id=group, leased_until=until) for m in message)
            leased.append((subscription, stamped))
    return leased


def _run(
    session: Session,
    statements: QueueStatements,
    last: Delivery,
    subscription: Subscription,
    policy: DeliveryPolicy,
    now: datetime,
    per_lane: int,
) -> list[tuple[Delivery, ...]]:
    """The lane's messages after the one ending with ``last`` that the claim takes too."""
    wanted = followers_to_read(subscription, policy, per_lane - 1)
    if wanted <= 0:
        return []
    rows = session.execute(
        statements.followers,
        {
            "sink": last.subscription_id,
            "ticker": last.ticker_id,
            "after": last.change_id,
            "limit": wanted,
        },
    )
    rest = [delivery_from_row(r) for r in rows]
    return next_messages(
        rest, subscription, policy, now=now, most=per_lane - 1, complete=len(rest) < wanted
    )


def release(session: Session, statements: QueueStatements, claims: Sequence[Claim]) -> None:
    """See :meth:`alerts.ports.AlertStore.release`."""
    for claim in claims:
        session.execute(statements.release, {"ids": list(claim.ids), "lease": claim.lease})


def _members(
    session: Session,
    statements: QueueStatements,
    head: Delivery,
    subscription: Subscription,
    policy: DeliveryPolicy,
) -> tuple[Delivery, ...]:
    if head.group_id is not None:
        rows = session.execute(statements.group, {"group": head.group_id})
        return tuple(delivery_from_row(r) for r in rows)
    rule = policy.digest(subscription)
    if not rule.enabled:
        return (head,)
    rows = session.execute(
        statements.followers,
        {
            "sink": head.subscription_id,
            "ticker": head.ticker_id,
            "after": head.change_id,
            "limit": rule.max_alerts - 1,
        },
    )
    followers = [delivery_from_row(r) for r in rows]
    return digest_members(head, followers, subscription, policy)


def complete(session: Session, statements: QueueStatements, decisions: Sequence[Decision]) -> None:
    """See :meth:`alerts.ports.AlertStore.complete`."""
    for decision in decisions:
        delivered = decision.status is DeliveryStatus.DELIVERED
        session.execute(
            statements.delivered if delivered else statements.failed,
            {
                "ids": list(decision.delivery_ids),
                "lease": decision.lease,
                "status": decision.status.value,
                "next_at": decision.next_attempt_at,
                "http_status": decision.http_status,
                "error": decision.error,
                "delivered_at": decision.at if delivered else None,
            },
        )
        if decision.pause_until is not None:
            session.execute(
                statements.pause,
                {"sink": decision.subscription_id, "until": decision.pause_until},
            )
        if decision.disable is not None:
            session.execute(
                statements.disable,
                {"sink": decision.subscription_id, "reason": decision.disable, "at": decision.at},
            )
