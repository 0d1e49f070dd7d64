"""An index on change events by kind and ticker: each ticker's last parse-health event,
which the dashboard and every timeline page show, is found in it instead of by reading
all of a database's events (bench/bench_web.py: 4.5 ms of a 10,000-event ticker's
timeline page).

Revision ID: 0017_page_indexes
Revises: 0016_body_deltas
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017_page_indexes"
down_revision: str | Sequence[str] | None = "0016_body_deltas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_change_event_kind_ticker",
        "change_event",
        ["kind", "ticker_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_change_event_kind_ticker", table_name="change_event")
