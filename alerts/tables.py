"""The alert tables: sinks and deliveries, in the database that holds the change events.

Subclasses of :class:`storage.columns.StorageTable` (one ``MetaData`` with storage's
tables; migrations ``0005_alerts`` and
``0011_sink_ids``), with storage's conventions: instants are
:class:`~storage.columns.AwareDateTime`, enums are their values as text, lists JSON text.
A delivery refers to its change event and its ticker with ``ON DELETE CASCADE``: removing
a ticker removes its alerts still queued. Rules are one JSON document: they are read
whole, never queried.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field

from storage.columns import AwareDateTime, StorageTable


class SubscriptionRow(StorageTable, table=True):
    __tablename__ = "alert_subscription"
    # AUTOINCREMENT: SQLite would otherwise hand a removed sink's id to the next one, and
    # "sink 3" in an old log or message would name another sink (migration 0011_sink_ids).
    # PostgreSQL's identity sequences never go back.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(16))  # SinkKind value
    name: str = Field(sa_type=Text)
    url: str = Field(sa_type=Text)  # a credential: stored as given, never shown whole
    secret: str | None = Field(default=None, sa_type=Text)
    rules: str = Field(default="{}", sa_type=Text)  # JSON, alerts.sql_mapping.rules_text
    enabled: bool = True
    disabled_reason: str | None = Field(default=None, sa_type=Text)
    disabled_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(sa_type=AwareDateTime)
    not_before: datetime | None = Field(default=None, sa_type=AwareDateTime)


class DeliveryRow(StorageTable, table=True):
    __tablename__ = "alert_delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "change_event_id"),
        # A lane's pending deliveries in change order: the claim's main question.
        Index(
            "ix_alert_delivery_lane", "subscription_id", "ticker_id", "status", "change_event_id"
        ),
        Index("ix_alert_delivery_status_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(64), unique=True)  # the message id sent (webhook-id)
    subscription_id: int = Field(foreign_key="alert_subscription.id", ondelete="CASCADE")
    change_event_id: int = Field(foreign_key="change_event.id", ondelete="CASCADE", index=True)
    ticker_id: int = Field(foreign_key="ticker.id", ondelete="CASCADE", index=True)
    kind: str = Field(sa_type=String(32))  # ChangeKind value, for listings
    observed_at: datetime = Field(sa_type=AwareDateTime)  # the change's, for digests
    status: str = Field(sa_type=String(16))  # DeliveryStatus value
    created_at: datetime = Field(sa_type=AwareDateTime)
    queued_at: datetime = Field(sa_type=AwareDateTime)
    next_attempt_at: datetime = Field(sa_type=AwareDateTime)
    attempts: int = 0
    leased_until: datetime | None = Field(default=None, sa_type=AwareDateTime)
    leased_by: str | None = Field(default=None, sa_type=Text)
    group_id: int | None = None  # the delivery leading its message; no foreign key
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
    delivered_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
