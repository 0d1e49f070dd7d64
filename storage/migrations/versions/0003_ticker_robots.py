"""A ticker may stop honouring robots.txt, and says why.

Revision ID: 0003_ticker_robots
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_ticker_robots"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("robots_override", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticker", schema=None) as batch_op:
        batch_op.drop_column("robots_override")
