"""The ``tickerwatch`` command line: argument parsing and printing only.

Each command reads the settings once, builds what it needs through
:mod:`tickerwatch.bootstrap` and calls into the packages; nothing here decides
anything about tickers. Subcommands live in :mod:`tickerwatch.commands`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from tickerwatch import logs
from tickerwatch.commands import alerts, db, demo, parse, replay, service, tickers, web
from tickerwatch.settings import load_settings

COMMANDS = (tickers, db, parse, replay, service, web, demo, alerts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tickerwatch", description="Watch news live tickers and keep every revision."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"tickerwatch: invalid settings:\n{error}", file=sys.stderr)
        return 2
    logs.configure(settings.log)
    handler = args.handler
    try:
        result: int = handler(args, settings)
    except BrokenPipeError:
        # The reader went away (``tickerwatch list | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
