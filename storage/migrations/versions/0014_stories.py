"""Stories: each desk's stories and their members, as story matching filed them
(``storage.story_store``).

Revision ID: 0014_stories
Revises: 0013_desks
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_stories"
down_revision: str | Sequence[str] | None = "0013_desks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_desk",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("next_story_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_story_desk_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("desk_id", name=op.f("pk_story_desk")),
    )
    op.create_table(
        "story",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tickers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_story_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("desk_id", "id", name=op.f("pk_story")),
    )
    op.create_index("ix_story_desk_id_start", "story", ["desk_id", "start"], unique=False)
    op.create_table(
        "story_member",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.BigInteger(), nullable=False),
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("printed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_offset", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id", "story_id"],
            ["story.desk_id", "story.id"],
            name=op.f("fk_story_member_desk_id_story"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_story_member_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "desk_id", "story_id", "ticker_id", "entry_id", name=op.f("pk_story_member")
        ),
    )
    op.create_index(op.f("ix_story_member_ticker_id"), "story_member", ["ticker_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_story_member_ticker_id"), table_name="story_member")
    op.drop_table("story_member")
    op.drop_index("ix_story_desk_id_start", table_name="story")
    op.drop_table("story")
    op.drop_table("story_desk")
