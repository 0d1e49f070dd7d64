"""``tickerwatch replay CASE_DIR``: a saved case through the live poll pipeline.

``tickerwatch replay CASE_A CASE_B … --stories``: several cases as one desk, and the
stories they share (:mod:`tickerwatch.story_replay`)."""

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
    from tickerwatch.bootstrap import Database
    from tickerwatch.desking import StoryFiler
    from tickerwatch.replay import Case
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


async def _replay_into(database: Database, args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch.replay import load_case

    cases = [load_case(Path(folder)) for folder in args.case]
    if args.stories:
        return await _replay_stories(database, cases, args, settings)
    if len(cases) > 1:
        print("tickerwatch: several cases replay as one desk: add --stories", file=sys.stderr)
        return 2
    return await _replay_one(database.store(), cases[0], args, settings, database.story_filer())


async def _replay_one(
    store: Store, case: Case, args: argparse.Namespace, settings: Settings, filer: StoryFiler
) -> int:
    from diffing.wire import change_as_json, health_as_json
    from tickerwatch.replay import replay

    policy = bootstrap.poll_policy(settings)
    async for snapshot, report in replay(case, store=store, policy=policy):
        await asyncio.to_thread(filer.file, report)
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


async def _replay_stories(
    database: Database, cases: list[Case], args: argparse.Namespace, settings: Settings
) -> int:
    from tickerwatch.story_replay import (
        replay_polls,
        shared_stories,
        start_desk,
        story_as_json,
    )

    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        print("tickerwatch: the case folders need distinct names", file=sys.stderr)
        return 2
    if args.own is not None and Path(args.own).name not in names:
        print(f"tickerwatch: --own {args.own!r} names none of the cases", file=sys.stderr)
        return 2
    own = Path(args.own).name if args.own is not None else None
    store = database.store()
    desk = start_desk(cases, store=store, desks=database.desks(), own=own)
    policy = bootstrap.poll_policy(settings)
    async for case, snapshot, report in replay_polls(
        cases, desk, store=store, filer=database.story_filer(), policy=policy
    ):
        if not args.json:
            print(f"{case.name}/{snapshot.file}  {report.outcome.value}")
    shared = shared_stories(database.stories(), desk.desk_id)
    for story in shared:
        line = story_as_json(story, desk.names)
        if args.json:
            print(json.dumps(line, ensure_ascii=False))
            continue
        print(
            f"story {line['story']}: first {line['first_by_seen']} by "
            f"{line['lead_minutes']['seen']} min (seen), {line['first_by_printed']} by "
            f"{line['lead_minutes']['printed']} min (printed)"
        )
        for entry in line["entries"]:
            print(f"    {entry['ticker']:20} {entry['first_seen'][:16]}  {entry['title'][:60]}")
    return 0


def _cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch.replay import CaseError

    try:
        if args.db:
            with bootstrap.open_database(args.db) as database:
                return asyncio.run(_replay_into(database, args, settings))
        with tempfile.TemporaryDirectory(prefix="tickerwatch-replay-") as folder:
            url = f"sqlite:///{Path(folder) / 'replay.db'}"
            with bootstrap.open_database(url) as database:
                return asyncio.run(_replay_into(database, args, settings))
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
    replay_cmd.add_argument(
        "case",
        nargs="+",
        help="a case folder with meta.json and its snapshots (several with --stories)",
    )
    replay_cmd.add_argument(
        "--json",
        action="store_true",
        help="print one JSON change event per line (with --stories: one story per line)",
    )
    replay_cmd.add_argument(
        "--stories",
        action="store_true",
        help="replay the cases as one desk, polls interleaved by fetched_at, and print "
        "the stories two or more of them share",
    )
    replay_cmd.add_argument(
        "--own", metavar="CASE", help="with --stories: the case that is our own ticker"
    )
    replay_cmd.add_argument(
        "--db",
        type=values.database_url,
        help="database URL to keep the result in (default: a temporary SQLite file)",
    )
    replay_cmd.set_defaults(handler=_cmd_replay)
