"""Story merges: a story that a later entry showed to report the same event as an
older one is merged into it, and its id is kept as pointing there.

Revision ID: 0018_story_merges
Revises: 0017_page_indexes
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_story_merges"
down_revision: str | Sequence[str] | None = "0017_page_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_merge",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.BigInteger(), nullable=False),
        sa.Column("into_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_story_merge_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("desk_id", "story_id", name=op.f("pk_story_merge")),
    )


def downgrade() -> None:
    op.drop_table("story_merge")
