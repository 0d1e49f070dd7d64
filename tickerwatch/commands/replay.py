"""``tickerwatch replay CASE_DIR``: a saved case through the live poll pipeline."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from diffing.model import Change
from storage.errors import DuplicateTicker
from tickerwatch import bootstrap
from tickerwatch.commands import values

if TYPE_CHECKING:
    from storage.ports import Store
    from tickerwatch.settings import Settings


def _describe(change: Change) -> str:
    """One change in one line for people: kind, time, headline or the start of the text."""
    shown = change.current or change.previous
    if shown is None:
        return f"{change.kind.value:13} {change.page_headline or ''}"
    when = shown.time.strftime("%H:%M") if shown.time else "--:--"
    words = " ".join((shown.headline or shown.text).split()[:10])
    fields = f" [{', '.join(f.value for f in change.changed)}]" if change.changed else ""
    return f"{change.kind.value:13} {when}  {words}{fields}"


async def _replay_into(store: Store, args: argparse.Namespace, settings: Settings) -> int:
    from diffing.wire import change_as_json, health_as_json
    from tickerwatch.replay import load_case, replay

    case = load_case(Path(args.case))
    policy = bootstrap.poll_policy(settings)
    async for snapshot, report in replay(case, store=store, policy=policy):
        if args.json:
            for change in report.changes:
                line = change_as_json(change, snapshot=snapshot.file)
                print(json.dumps(line, ensure_ascii=False))
            if report.health is not None:
                line = health_as_json(report.health, snapshot=snapshot.file)
                print(json.dumps(line, ensure_ascii=False))
            continue
        print(
            f"{snapshot.file}  {report.outcome.value}"
            + (f"  ({report.error})" if report.error else "")
            + (f"  [{report.truncated} oldest entries cut]" if report.truncated else "")
        )
        for change in report.changes:
            print(f"    {_describe(change)}")
        if report.health is not None:
            print(f"    {'ticker_health':13} {report.health.detail}")
    return 0


def _cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch.replay import CaseError

    try:
        if args.db:
            store = bootstrap.open_store(args.db)
            try:
                return asyncio.run(_replay_into(store, args, settings))
            finally:
                store.close()
        with tempfile.TemporaryDirectory(prefix="tickerwatch-replay-") as folder:
            store = bootstrap.open_store(f"sqlite:///{Path(folder) / 'replay.db'}")
            try:
                return asyncio.run(_replay_into(store, args, settings))
            finally:
                store.close()
    except CaseError as error:
        print(f"tickerwatch: {error}", file=sys.stderr)
        return 2
    except DuplicateTicker as error:
        print(f"tickerwatch: {error} (replay into an empty database)", file=sys.stderr)
        return 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    replay_cmd = commands.add_parser(
        "replay", help="feed a saved case (meta.json + snapshots) through the poll pipeline"
    )
    replay_cmd.add_argument("case", help="a case folder with meta.json and its snapshots")
    replay_cmd.add_argument(
        "--json", action="store_true", help="print one JSON change event per line"
    )
    replay_cmd.add_argument(
        "--db",
        type=values.database_url,
        help="database URL to keep the result in (default: a temporary SQLite file)",
    )
    replay_cmd.set_defaults(handler=_cmd_replay)
