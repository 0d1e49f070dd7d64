"""What the command line says when a command cannot go on: one line, no traceback.

:func:`explain` turns an exception into that line when it is one a user can meet and
act on: a database that cannot be reached, written or read (SQLAlchemy, Alembic), a
storage refusal (``storage.errors``), a file that cannot be read (``OSError``), a
replay case that is wrong. Anything else is a bug: the top level says so in one line
and shows the traceback only under ``--debug``.

The libraries whose errors it words are imported only when the command has loaded
them already: an error of a library never imported cannot have been raised, and
importing SQLAlchemy or Alembic just to find that out would slow every command.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from pydantic import ValidationError

# SQLite's and PostgreSQL's wording, and what to do about it (first match wins).
_DATABASE_HINTS = (
    ("database is locked", "the database is busy (another process writes); try again"),
    ("readonly database", "the database is read-only: check the file's and folder's permissions"),
    ("disk is full", "the disk of the database is full: free some space"),
    ("disk i/o error", "the disk of the database failed to read or write"),
    ("not a database", "the database file is not a SQLite database (or is damaged)"),
    ("malformed", "the database file is damaged: restore it from a backup"),
    ("unable to open database", "cannot open the database file: check its path and rights"),
    ("connection refused", "cannot reach the database server (connection refused)"),
)


def first_line(text: str) -> str:
    """The first non-empty line of ``text``, stripped."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def explain(error: BaseException) -> str | None:
    """The one line for people for an expected error, or None when it is a bug."""
    if isinstance(error, StorageError):
        return first_line(str(error))
    if "tickerwatch.replay" in sys.modules:
        from tickerwatch.replay import CaseError

        if isinstance(error, CaseError):
            return first_line(str(error))
    if "pydantic" in sys.modules:
        from pydantic import ValidationError

        if isinstance(error, ValidationError):
            return settings_problem(error)
    if "sqlalchemy" in sys.modules and (database := _database_problem(error)):
        return database
    if "alembic" in sys.modules:
        from alembic.util.exc import CommandError

        if isinstance(error, CommandError):
            return f"cannot migrate the database: {first_line(str(error))}"
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or first_line(str(error))}"
    return None


def _database_problem(error: BaseException) -> str | None:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(error, DBAPIError):
        reason = first_line(str(error.orig)) if error.orig is not None else first_line(str(error))
        lowered = reason.lower()
        hint = next((h for needle, h in _DATABASE_HINTS if needle in lowered), None)
        return f"{hint} ({reason})" if hint else f"database error: {reason}"
    if isinstance(error, SQLAlchemyError):
        return f"database error: {first_line(str(error))}"
    return None


def settings_problem(error: ValidationError) -> str:
    """Every problem of the settings in one line: ``section.name: what is wrong; ...``."""
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "settings"
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "invalid settings: " + "; ".join(problems)
