"""The initial schema: tickers, polls, raw bodies, snapshots, entries, revisions, changes.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "raw_body",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("codec", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stored_size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_raw_body")),
    )
    op.create_table(
        "ticker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("profile", sa.Text(), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("error_streak", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticker")),
        sa.UniqueConstraint("url", name=op.f("uq_ticker_url")),
    )
    op.create_index(op.f("ix_ticker_next_poll_at"), "ticker", ["next_poll_at"], unique=False)

    op.create_table(
        "entry",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("native_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticker_id"], ["ticker.id"], name=op.f("fk_entry_ticker_id_ticker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry")),
    )
    op.create_index(
        "ix_entry_ticker_status", "entry", ["ticker_id", "status", "last_seen"], unique=False
    )

    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("bytes", sa.Integer(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_sha256"], ["raw_body.sha256"], name=op.f("fk_poll_body_sha256_raw_body")
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"], ["ticker.id"], name=op.f("fk_poll_ticker_id_ticker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll")),
        sa.UniqueConstraint("ticker_id", "started_at", name=op.f("uq_poll_ticker_id_started_at")),
    )
    op.create_index(op.f("ix_poll_body_sha256"), "poll", ["body_sha256"], unique=False)

    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("layout", sa.Text(), nullable=False),
        sa.Column("page_headline", sa.Text(), nullable=True),
        sa.Column("teaser", sa.Text(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("not_a_ticker", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("placements", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["poll.id"], name=op.f("fk_snapshot_poll_id_poll"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_snapshot_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
        sa.UniqueConstraint("poll_id", name=op.f("uq_snapshot_poll_id")),
    )
    op.create_index(
        "ix_snapshot_ticker_observed", "snapshot", ["ticker_id", "observed_at"], unique=False
    )

    op.create_table(
        "entry_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_offset", sa.Integer(), nullable=True),
        sa.Column("time_label", sa.Text(), nullable=True),
        sa.Column("time_source", sa.String(length=16), nullable=False),
        sa.Column("native_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_entry_revision_entry_id_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_entry_revision_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_revision")),
    )
    op.create_index(
        "ix_entry_revision_entry_observed",
        "entry_revision",
        ["entry_id", "observed_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_entry_revision_snapshot_id"), "entry_revision", ["snapshot_id"], unique=False
    )

    op.create_table(
        "change_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=True),
        sa.Column("changed", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("word_ops", sa.Text(), nullable=False),
        sa.Column("previous_revision_id", sa.Integer(), nullable=True),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("page_headline", sa.Text(), nullable=True),
        sa.Column("previous_page_headline", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["current_revision_id"],
            ["entry_revision.id"],
            name=op.f("fk_change_event_current_revision_id_entry_revision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_change_event_entry_id_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["poll.id"], name=op.f("fk_change_event_poll_id_poll"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["previous_revision_id"],
            ["entry_revision.id"],
            name=op.f("fk_change_event_previous_revision_id_entry_revision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_change_event_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_change_event_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_event")),
    )
    op.create_index(
        op.f("ix_change_event_current_revision_id"),
        "change_event",
        ["current_revision_id"],
        unique=False,
    )
    op.create_index(
        "ix_change_event_entry_observed", "change_event", ["entry_id", "observed_at"], unique=False
    )
    op.create_index(op.f("ix_change_event_poll_id"), "change_event", ["poll_id"], unique=False)
    op.create_index(
        op.f("ix_change_event_previous_revision_id"),
        "change_event",
        ["previous_revision_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_change_event_snapshot_id"), "change_event", ["snapshot_id"], unique=False
    )
    op.create_index(
        "ix_change_event_ticker_observed",
        "change_event",
        ["ticker_id", "observed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_change_event_ticker_observed", table_name="change_event")
    op.drop_index(op.f("ix_change_event_snapshot_id"), table_name="change_event")
    op.drop_index(op.f("ix_change_event_previous_revision_id"), table_name="change_event")
    op.drop_index(op.f("ix_change_event_poll_id"), table_name="change_event")
    op.drop_index("ix_change_event_entry_observed", table_name="change_event")
    op.drop_index(op.f("ix_change_event_current_revision_id"), table_name="change_event")

    op.drop_table("change_event")
    op.drop_index(op.f("ix_entry_revision_snapshot_id"), table_name="entry_revision")
    op.drop_index("ix_entry_revision_entry_observed", table_name="entry_revision")

    op.drop_table("entry_revision")
    op.drop_index("ix_snapshot_ticker_observed", table_name="snapshot")

    op.drop_table("snapshot")
    op.drop_index(op.f("ix_poll_body_sha256"), table_name="poll")

    op.drop_table("poll")
    op.drop_index("ix_entry_ticker_status", table_name="entry")

    op.drop_table("entry")
    op.drop_index(op.f("ix_ticker_next_poll_at"), table_name="ticker")

    op.drop_table("ticker")
    op.drop_table("raw_body")
