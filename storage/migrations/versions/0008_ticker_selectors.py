"""A ticker may name its entries with CSS selectors, when discovery reads its page wrong.

Revision ID: 0008_ticker_selectors
Revises: 0007_time_evidence
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_ticker_selectors"
down_revision: str | Sequence[str] | None = "0007_time_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ticker", sa.Column("selectors", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), not a batch table copy: copying
    # the ticker table drops it, which cascades into the search index's triggers on a
    # database with data ("database table is locked").
    op.drop_column("ticker", "selectors")
