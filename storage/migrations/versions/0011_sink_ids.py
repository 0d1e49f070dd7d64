"""Alert sink ids are never given out twice: ``alert_subscription`` on SQLite gets
``AUTOINCREMENT`` (``alerts.tables.SubscriptionRow``).

Without it SQLite hands the id of the newest sink, once removed, to the next one, and
"sink 3" in a log line or a message sent earlier would name another sink. PostgreSQL's
identity sequences never go back: nothing to do there.

SQLite cannot add ``AUTOINCREMENT`` to a table in place, so the sink table is copied. Its
deliveries go out of the way first and come back after: they refer to it with
``ON DELETE CASCADE``, and dropping the old sink table would delete them (the migration
runs in a transaction, where ``PRAGMA foreign_keys`` cannot be switched off). The
delivery table is recreated from its own stored DDL, so it comes back exactly as it was.

Revision ID: 0011_sink_ids
Revises: 0009_parse_health
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_sink_ids"
down_revision: str | Sequence[str] | None = "0009_parse_health"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP = "_alert_delivery_keep"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    ddl = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'alert_delivery' "
            "AND sql IS NOT NULL ORDER BY type DESC"  # the table before its indexes
        )
    ]
    op.execute(f"CREATE TABLE {KEEP} AS SELECT * FROM alert_delivery")
    op.drop_table("alert_delivery")
    with op.batch_alter_table(
        "alert_subscription", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    for statement in ddl:
        op.execute(statement)
    op.execute(f"INSERT INTO alert_delivery SELECT * FROM {KEEP}")
    op.drop_table(KEEP)


def downgrade() -> None:
    # The schema before this revision works unchanged on a sink table with AUTOINCREMENT
    # (it only stops SQLite from reusing ids): nothing to take back.
    pass
