"""The alert outbox: alertable change events not yet handed to alert delivery.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_outbox",
        sa.Column("change_event_id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_event_id"],
            ["change_event.id"],
            name=op.f("fk_alert_outbox_change_event_id_change_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_alert_outbox_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_event_id", name=op.f("pk_alert_outbox")),
    )
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_outbox_ticker_id"), ["ticker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_outbox_ticker_id"))
    op.drop_table("alert_outbox")
