"""The ``tickerwatch`` command line: argument parsing and printing only.

Each command reads the settings once, builds what it needs through
:mod:`tickerwatch.bootstrap` and calls into the packages; nothing here decides
anything about tickers. Subcommands live in :mod:`tickerwatch.commands`.

Start-up is paid on every command, so this module and the command modules import only
argument parsing at their top; the settings (pydantic) once the command line is
parsed, and each handler what it uses (``--help`` loads no database, web or parser
library; tests/pipeline/test_cli_imports.py holds that).

Whatever goes wrong ends as one line on stderr and a non-zero exit: 2 for a bad
command line or bad settings, 1 for a command that failed (:mod:`tickerwatch.failures`
words it). ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from tickerwatch import failures
from tickerwatch.commands import alerts, db, demo, desks, parse, replay, service, tickers, web

if TYPE_CHECKING:
    from tickerwatch.settings import Settings

COMMANDS = (tickers, db, parse, replay, service, web, demo, alerts, desks)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (argparse's own prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tickerwatch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _Version(argparse.Action):
    """``--version``, which reads the installed version only when asked: argparse's own
    wants the text up front, and importlib.metadata would slow every command."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        print(f"tickerwatch {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tickerwatch", description="Watch news live tickers and keep every revision."
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback when a command fails"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    return parser


def _say(message: str) -> None:
    print(f"tickerwatch: {message}", file=sys.stderr)


def _settings(debug: bool) -> Settings | int:
    from tickerwatch.settings import config_path, load_settings

    try:
        return load_settings()
    except ValueError as error:  # pydantic's ValidationError, tomllib's TOMLDecodeError
        if debug:
            traceback.print_exc()
        message = failures.explain(error)
        _say(
            message
            or f"{config_path()} is not a valid TOML file: {failures.first_line(str(error))}"
        )
        return 2
    except OSError as error:
        _say(f"cannot read the settings: {failures.explain(error)}")
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = _settings(args.debug)
    if isinstance(settings, int):
        return settings
    from tickerwatch import logs

    logs.configure(settings.log)
    handler = args.handler
    try:
        result: int = handler(args, settings)
    except BrokenPipeError:
        # The reader went away (``tickerwatch list | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130  # the shell's code for "ended by SIGINT"; the user knows why
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        message = failures.explain(error)
        if message is None:
            hint = "" if args.debug else " (run with --debug for the traceback)"
            message = f"unexpected {type(error).__name__}: {failures.first_line(str(error))}{hint}"
        _say(message)
        return 1
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
