"""Alert sinks and the durable queue of their deliveries (``alerts.tables``).

Revision ID: 0005_alerts
Revises: 0004_search
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_alerts"
down_revision: str | Sequence[str] | None = "0004_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscription")),
    )
    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("change_event_id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.Text(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_event_id"],
            ["change_event.id"],
            name=op.f("fk_alert_delivery_change_event_id_change_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscription.id"],
            name=op.f("fk_alert_delivery_subscription_id_alert_subscription"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_alert_delivery_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_delivery")),
        sa.UniqueConstraint("key", name=op.f("uq_alert_delivery_key")),
        sa.UniqueConstraint(
            "subscription_id",
            "change_event_id",
            name=op.f("uq_alert_delivery_subscription_id_change_event_id"),
        ),
    )
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_delivery_change_event_id"), ["change_event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_delivery_delivered_at"), ["delivered_at"], unique=False
        )
        batch_op.create_index(
            "ix_alert_delivery_lane",
            ["subscription_id", "ticker_id", "status", "change_event_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_alert_delivery_status_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_delivery_ticker_id"), ["ticker_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alert_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_delivery_ticker_id"))
        batch_op.drop_index("ix_alert_delivery_status_due")
        batch_op.drop_index("ix_alert_delivery_lane")
        batch_op.drop_index(batch_op.f("ix_alert_delivery_delivered_at"))
        batch_op.drop_index(batch_op.f("ix_alert_delivery_change_event_id"))
    op.drop_table("alert_delivery")
    op.drop_table("alert_subscription")
