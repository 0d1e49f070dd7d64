"""Full-text search over entry revisions: the ``fts_revision`` index and its triggers.

The index follows ``entry_revision`` by triggers, in the transaction that writes a
revision, so it can neither lag behind nor miss a revision a concurrent writer commits
late; revisions deleted with their ticker leave it the same way.

- SQLite: an FTS5 table with ``entry_revision`` as its external content (headline and
  text are not stored twice), ``unicode61`` words with accents kept.
- PostgreSQL: a table of ``tsvector`` documents (``simple`` configuration: no stemming,
  no stop words, as on SQLite) with a GIN index, one row per revision, deleted with it.
  ASCII punctuation becomes a space first, so ``Kim-Panne`` and ``14.01`` are read as
  two words each, as FTS5 reads them.

Both are ``fts_*`` objects that no model declares (``storage.schema.include_object``).
Existing revisions are indexed on upgrade.

Revision ID: 0004_search
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_search"
down_revision: str | Sequence[str] | None = "0003_ticker_robots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UPGRADE = (
    """
    CREATE VIRTUAL TABLE fts_revision USING fts5(
        headline, text,
        content='entry_revision', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER fts_revision_insert AFTER INSERT ON entry_revision BEGIN
        INSERT INTO fts_revision (rowid, headline, text)
        VALUES (new.id, new.headline, new.text);
    END
    """,
    """
    CREATE TRIGGER fts_revision_delete AFTER DELETE ON entry_revision BEGIN
        INSERT INTO fts_revision (fts_revision, rowid, headline, text)
        VALUES ('delete', old.id, old.headline, old.text);
    END
    """,
    """
    CREATE TRIGGER fts_revision_update AFTER UPDATE OF headline, text ON entry_revision BEGIN
        INSERT INTO fts_revision (fts_revision, rowid, headline, text)
        VALUES ('delete', old.id, old.headline, old.text);
        INSERT INTO fts_revision (rowid, headline, text)
        VALUES (new.id, new.headline, new.text);
    END
    """,
    "INSERT INTO fts_revision (fts_revision) VALUES ('rebuild')",
)

_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS fts_revision_update",
    "DROP TRIGGER IF EXISTS fts_revision_delete",
    "DROP TRIGGER IF EXISTS fts_revision_insert",
    "DROP TABLE IF EXISTS fts_revision",
)

# The document of a revision: headline and text, ASCII punctuation read as spaces.
_PG_DOCUMENT = (
    "to_tsvector('simple', regexp_replace(coalesce({row}.headline, '') || ' ' || {row}.text, "
    "'[[:punct:]]+', ' ', 'g'))"
)

_PG_UPGRADE = (
    """
    CREATE TABLE fts_revision (
        revision_id integer PRIMARY KEY
            REFERENCES entry_revision (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX fts_revision_document ON fts_revision USING gin (document)",
    f"""
    CREATE FUNCTION fts_revision_index() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO fts_revision (revision_id, document)
        VALUES (NEW.id, {_PG_DOCUMENT.format(row="NEW")})
        ON CONFLICT (revision_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER fts_revision_index
    AFTER INSERT OR UPDATE OF headline, text ON entry_revision
    FOR EACH ROW EXECUTE FUNCTION fts_revision_index()
    """,
    f"""
    INSERT INTO fts_revision (revision_id, document)
    SELECT r.id, {_PG_DOCUMENT.format(row="r")} FROM entry_revision AS r
    """,
)

_PG_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS fts_revision_index ON entry_revision",
    "DROP FUNCTION IF EXISTS fts_revision_index()",
    "DROP TABLE IF EXISTS fts_revision",
)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(_PG_UPGRADE)
    else:
        raise NotImplementedError(f"no full-text index for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(_SQLITE_DOWNGRADE if dialect == "sqlite" else _PG_DOWNGRADE)
