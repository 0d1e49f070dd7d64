"""Whether a database is at the newest schema, answered without loading Alembic.

Every command opens the store, and opening it migrated the database first: Alembic
took most of a second to import and to read its scripts even when there was nothing
to do. :func:`is_current` compares the revisions the database records
(``alembic_version``) with the heads of the shipped scripts, read from their source
text (``revision`` and ``down_revision`` are literals in every script); only when
they differ does :func:`storage.engine.upgrade` run Alembic. Any doubt (no version
table, a database error, a script whose ids are not literals) answers "not current",
so Alembic decides.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

VERSIONS = Path(__file__).resolve().with_name("migrations") / "versions"


def _literal_ids(script: str) -> tuple[str | None, frozenset[str]] | None:
    """``(revision, down revisions)`` assigned at the top of a script, or None when a
    value is not a literal."""
    found: dict[str, object] = {}
    for node in ast.parse(script).body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            try:
                found[target.id] = ast.literal_eval(value)  # type: ignore[arg-type]
            except ValueError:
                return None
    revision, down = found.get("revision"), found.get("down_revision")
    downs = (down,) if isinstance(down, str) else down or ()
    if not isinstance(revision, str) or not isinstance(downs, Iterable):
        return None
    return revision, frozenset(str(d) for d in downs)


def heads_of(scripts: Iterable[str]) -> frozenset[str] | None:
    """The revisions no script revises (Alembic's heads), or None when a script's ids
    cannot be read without running it."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in scripts:
        ids = _literal_ids(script)
        if ids is None:
            return None
        revision, downs = ids
        if revision is not None:
            revisions.add(revision)
        revised |= downs
    return frozenset(revisions - revised)


@functools.cache
def head_revisions() -> frozenset[str] | None:
    """The heads of the scripts shipped in ``storage/migrations/versions``."""
    scripts = sorted(VERSIONS.glob("*.py"))
    return heads_of(p.read_text(encoding="utf-8") for p in scripts if p.name != "__init__.py")


def stored_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database says it is at; empty for a database never migrated."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(row[0]) for row in rows)
    except DBAPIError:  # no such table (or worse: Alembic will say what)
        return frozenset()


def is_current(engine: Engine) -> bool:
    """True when the database at ``engine`` is at every head of the shipped scripts."""
    heads = head_revisions()
    return bool(heads) and stored_revisions(engine) == heads
