"""Alembic's environment for the storage schema.

Used by :func:`storage.engine.upgrade`, which passes either the URL (``sqlalchemy.url``)
or an open connection (``config.attributes["connection"]``). Always online: there is no
offline SQL generation. SQLite gets batch mode, since it cannot alter most of a table
in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.engine import create_engine_for
from storage.schema import include_object, metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    config = context.config
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        run(given)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("storage migrations need sqlalchemy.url or a connection")
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("storage migrations run online only (storage.engine.upgrade)")
main()
