"""A change event says what a parse-health event reported (its kind and its words), and
a poll how many entries the parser's entry cap dropped.

Revision ID: 0009_parse_health
Revises: 0008_ticker_selectors
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_parse_health"
down_revision: str | Sequence[str] | None = "0008_ticker_selectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=True))
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("truncated", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    for table, column in (
        ("poll", "truncated"),
        ("change_event", "detail"),
        ("change_event", "health"),
    ):
        _drop_column(table, column)


def _drop_column(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # In place: batch mode would copy and drop the table, and dropping a table that
        # others refer to ON DELETE CASCADE empties them while foreign keys are on.
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column(column)
