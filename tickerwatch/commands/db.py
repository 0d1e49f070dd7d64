"""``tickerwatch db upgrade|current``: the database schema (Alembic migrations)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tickerwatch.commands import values

if TYPE_CHECKING:
    from tickerwatch.settings import Settings


def _cmd_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from alembic import command

    from storage import upgrade
    from storage.engine import alembic_config

    url = args.url or settings.storage.resolved_url()
    upgrade(url)
    command.current(alembic_config(url))
    return 0


def _cmd_current(args: argparse.Namespace, settings: Settings) -> int:
    from alembic import command

    from storage.engine import alembic_config

    command.current(alembic_config(args.url or settings.storage.resolved_url()))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="the database schema")
    actions = db.add_subparsers(dest="db_command", required=True)
    for name, handler, text in (
        ("upgrade", _cmd_upgrade, "migrate the database to the newest schema"),
        ("current", _cmd_current, "show the schema revision of the database"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument(
            "--url",
            type=values.database_url,
            help="database URL (default: storage.database_url)",
        )
        action.set_defaults(handler=handler)
