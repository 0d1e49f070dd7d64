"""A ticker may name its entries with CSS selectors, when discovery reads its page wrong.

Revision ID: 0008_ticker_selectors
Revises: 0006_poll_claim
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_ticker_selectors"
down_revision: str | Sequence[str] | None = "0006_poll_claim"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("selectors", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticker", schema=None) as batch_op:
        batch_op.drop_column("selectors")
