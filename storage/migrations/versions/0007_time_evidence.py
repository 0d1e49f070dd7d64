"""A revision keeps what placed its printed time on the time line (ingest.model.TimeEvidence).

Revisions stored before this know no evidence: "none", which the differ treats like any
inferred time (compared by the printed wall clock, never by the instant).

Revision ID: 0007_time_evidence
Revises: 0006_poll_claim
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_time_evidence"
down_revision: str | Sequence[str] | None = "0006_poll_claim"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry_revision") as batch:
        batch.add_column(
            sa.Column("time_evidence", sa.String(length=16), nullable=False, server_default="none")
        )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL), not a batch table
    # copy: copying entry_revision drops it, which cascades into the change events that
    # refer to its rows.
    op.drop_column("entry_revision", "time_evidence")
