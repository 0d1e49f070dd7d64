"""Alembic on the shipped migrations, for an installed package (no alembic.ini needed)::

    python -m storage.migrations upgrade  URL [REVISION]    # default: heads
    python -m storage.migrations downgrade URL [REVISION]   # default: -1
    python -m storage.migrations current  URL
    python -m storage.migrations check    URL               # models and migrations agree?
    python -m storage.migrations revision URL -m MESSAGE    # autogenerate; tidy by hand

The URL is always given on the command line: storage reads no environment.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from alembic import command

from storage.engine import alembic_config


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storage.migrations", description="Alembic on tickerwatch's schema."
    )
    parser.add_argument("command", choices=["upgrade", "downgrade", "current", "check", "revision"])
    parser.add_argument("url", help="SQLAlchemy URL of the database")
    parser.add_argument("revision", nargs="?", help="target revision (upgrade, downgrade)")
    parser.add_argument("-m", "--message", help="message of a new revision")
    args = parser.parse_args(argv)
    config = alembic_config(args.url)
    if args.command == "upgrade":
        command.upgrade(config, args.revision or "heads")
    elif args.command == "downgrade":
        command.downgrade(config, args.revision or "-1")
    elif args.command == "current":
        command.current(config)
    elif args.command == "check":
        command.check(config)
    else:
        if not args.message:
            parser.error("revision needs -m MESSAGE")
        command.revision(config, message=args.message, autogenerate=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
