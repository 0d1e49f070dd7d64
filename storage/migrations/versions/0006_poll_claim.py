"""A ticker being polled says by whom and until when, so no two processes poll it at once.

Revision ID: 0006_poll_claim
Revises: 0005_alerts
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_poll_claim"
down_revision: str | Sequence[str] | None = "0005_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poll_claim",
        sa.Column("ticker_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticker_id"],
            ["ticker.id"],
            name=op.f("fk_poll_claim_ticker_id_ticker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticker_id", name=op.f("pk_poll_claim")),
    )


def downgrade() -> None:
    op.drop_table("poll_claim")
