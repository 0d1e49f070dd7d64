"""Plain Core reads for the pages' hot paths: tables by name, statements built once with
bound parameters, rows read on the session's connection.

Measured with ``bench/bench_web.py`` (a 10,000-event ticker, SQLite), the ORM cost a
timeline page far more than SQLite did: loading rows as ORM objects (identity map,
instrumentation) even for plain columns, matching ORM-annotated columns of a new
statement to its cached compilation column by column, and building and hashing
(cache key) a new statement for every call. Reads here select a table's own columns,
build each statement once (:func:`functools.cache`; a ``Select`` is immutable, and the
engine caches its compiled SQL under the statement's key, computed once) and pass the
values as parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, Table
from sqlmodel import Session

from storage.columns import StorageTable

_Ts = TypeVarTuple("_Ts")


def table(name: str) -> Table:
    """A table of the schema by name: its plain columns, not the ORM's annotated ones."""
    return StorageTable.metadata.tables[name]


def core_rows(
    session: Session, query: Select[*_Ts], parameters: Mapping[str, Any] | None = None
) -> Sequence[Row[*_Ts]]:
    """All rows of a Core ``query`` with its bound ``parameters``, read on the session's
    connection (in its transaction), all at once: ``Session.execute`` would pass them
    through the ORM's loading, and fetching them one by one costs a call each."""
    return session.connection().execute(query, parameters).all()
