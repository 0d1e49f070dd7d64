"""Story alerts: a change event may be about a desk's story (``competitor_first``,
``we_were_first``), and each one fired is kept with its keys so it fires once.

Revision ID: 0015_story_alerts
Revises: 0014_stories
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_story_alerts"
down_revision: str | Sequence[str] | None = "0014_stories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_COLUMNS = ("desk_id", "story_id", "lead_seen_minutes", "lead_printed_minutes")


def upgrade() -> None:
    # Nullable columns without a default: added in place on both databases.
    op.add_column("change_event", sa.Column("desk_id", sa.Integer(), nullable=True))
    op.add_column("change_event", sa.Column("story_id", sa.BigInteger(), nullable=True))
    op.add_column("change_event", sa.Column("lead_seen_minutes", sa.Float(), nullable=True))
    op.add_column("change_event", sa.Column("lead_printed_minutes", sa.Float(), nullable=True))
    op.create_table(
        "story_alert",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.BigInteger(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("change_event_id", sa.Integer(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_event_id"],
            ["change_event.id"],
            name=op.f("fk_story_alert_change_event_id_change_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_story_alert_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_story_alert_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("desk_id", "story_id", "ticker_id", name=op.f("pk_story_alert")),
        sa.UniqueConstraint(
            "desk_id",
            "ticker_id",
            "entry_id",
            name=op.f("uq_story_alert_desk_id_ticker_id_entry_id"),
        ),
    )
    op.create_index(
        op.f("ix_story_alert_change_event_id"), "story_alert", ["change_event_id"], unique=False
    )
    op.create_index(
        "ix_story_alert_desk_fired", "story_alert", ["desk_id", "fired_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_story_alert_desk_fired", table_name="story_alert")
    op.drop_index(op.f("ix_story_alert_change_event_id"), table_name="story_alert")
    op.drop_table("story_alert")
    for column in reversed(_EVENT_COLUMNS):
        op.drop_column("change_event", column)
