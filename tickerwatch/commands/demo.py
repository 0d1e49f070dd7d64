"""``tickerwatch demo``: the service watching the bundled ticker evolve on loopback."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickerwatch.settings import Settings


def _step(text: str) -> float:
    value = float(text)
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError("between 1 and 600 seconds")
    return value


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch.demo import DemoOptions, run_demo

    options = DemoOptions(
        step_s=args.step, keep_running=args.keep_running, web=not args.no_web, database_url=args.db
    )
    return asyncio.run(run_demo(settings, options, sys.stdout))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="watch the bundled Kim–Putin ticker change on 127.0.0.1: polls, changes, web UI",
    )
    demo.add_argument(
        "--step", type=_step, default=4.0, help="seconds each saved version stays live (4)"
    )
    demo.add_argument(
        "--keep-running", action="store_true", help="keep serving the UI after the last version"
    )
    demo.add_argument("--no-web", action="store_true", help="do not serve the web UI")
    demo.add_argument("--db", metavar="URL", help="keep the database here (default: temporary)")
    demo.set_defaults(handler=_cmd_demo)
