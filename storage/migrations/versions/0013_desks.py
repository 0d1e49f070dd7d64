"""Desks: named groups of tickers compared together, some marked as our own
(``storage.desks``).

Revision ID: 0013_desks
Revises: 0011_sink_ids
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_desks"
down_revision: str | Sequence[str] | None = "0011_sink_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("window_minutes", sa.Integer(), nullable=False),
        sa.Column("lead_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk")),
        sa.UniqueConstraint("name", name=op.f("uq_desk_name")),
    )
    op.create_table(
        "desk_member",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_desk_member_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_desk_member_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("desk_id", "ticker_id", name=op.f("pk_desk_member")),
    )
    op.create_index(op.f("ix_desk_member_ticker_id"), "desk_member", ["ticker_id"], unique=False)
    op.create_table(
        "desk_tag",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_desk_tag_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("desk_id", "tag", name=op.f("pk_desk_tag")),
    )


def downgrade() -> None:
    op.drop_table("desk_tag")
    op.drop_index(op.f("ix_desk_member_ticker_id"), table_name="desk_member")
    op.drop_table("desk_member")
    op.drop_table("desk")
