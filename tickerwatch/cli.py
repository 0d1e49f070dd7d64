"""The ``tickerwatch`` command line: argument parsing and printing only.

Each command reads the settings once, builds what it needs through
:mod:`tickerwatch.bootstrap` and calls into the packages; nothing here decides
anything about tickers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from diffing.model import Change
from ingest.model import ParsedPage
from storage.errors import DuplicateTicker
from storage.ports import Store
from tickerwatch import bootstrap
from tickerwatch.events import change_as_json
from tickerwatch.replay import CaseError, load_case, replay
from tickerwatch.settings import Settings, load_settings

_CONTENT_TYPES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown time zone {value!r}") from error


def _aware(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from error
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError("give the time with its UTC offset, e.g. +02:00")
    return parsed


def page_as_json(page: ParsedPage) -> dict[str, Any]:
    """The ``parse --json`` shape: title, layout, not_a_ticker and the entries."""
    return {
        "title": page.headline,
        "layout": page.layout,
        "not_a_ticker": page.not_a_ticker,
        "entries": [
            {
                "id": e.native_id,
                "time": e.time.isoformat() if e.time else None,
                "title": e.headline,
                "text": e.text,
            }
            for e in page.entries
        ],
    }


def _print_page(page: ParsedPage) -> None:
    print(page.headline or "(no headline)")
    if page.not_a_ticker:
        print(f"not a ticker: {page.not_a_ticker}")
        return
    print(
        f"{len(page.entries)} entries · layout {page.layout} · "
        f"{page.order.value} · zone {page.zone}"
    )
    for entry in page.entries:
        when = entry.time.strftime("%Y-%m-%d %H:%M") if entry.time else (entry.time_label or "—")
        words = " ".join(entry.text.split()[:12])
        print(f"\n{when}  {entry.headline or ''}".rstrip())
        print(f"    {words}{' …' if len(entry.text.split()) > 12 else ''}")
        if entry.native_id:
            print(f"    id {entry.native_id}")
    for warning in page.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    observed_at = args.observed_at or datetime.now(UTC)
    source: str = args.source
    if source.startswith(("http://", "https://")):
        try:
            fetched = bootstrap.fetch_once(source, settings)
        except bootstrap.FetchError as error:
            print(f"tickerwatch: {error}", file=sys.stderr)
            return 1
        body, content_type, url = fetched.body, fetched.content_type, args.url or fetched.url
    else:
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as error:
            print(f"tickerwatch: cannot read {source}: {error.strerror}", file=sys.stderr)
            return 2
        content_type = args.content_type or _CONTENT_TYPES.get(path.suffix.lower())
        url = args.url or path.resolve().as_uri()
    page = bootstrap.parse(
        body,
        url=url,
        content_type=args.content_type or content_type,
        observed_at=observed_at,
        zone=args.zone,
        profile=args.profile,
        settings=settings,
    )
    if args.json:
        json.dump(page_as_json(page), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _print_page(page)
    return 0


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
    case = load_case(Path(args.case))
    policy = bootstrap.poll_policy(settings)
    async for snapshot, report in replay(case, store=store, policy=policy):
        if args.json:
            for change in report.changes:
                line = change_as_json(change, snapshot=snapshot.file)
                print(json.dumps(line, ensure_ascii=False))
            continue
        print(
            f"{snapshot.file}  {report.outcome.value}"
            + (f"  ({report.error})" if report.error else "")
        )
        for change in report.changes:
            print(f"    {_describe(change)}")
    return 0


def _cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tickerwatch", description="Watch news live tickers and keep every revision."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="read one page (file or URL) into ticker entries")
    parse.add_argument("source", help="a saved page or an http(s) URL")
    parse.add_argument(
        "--url", help="the page's URL, when SOURCE is a file (domain hints, profiles)"
    )
    parse.add_argument("--zone", type=_zone, help="IANA zone of the page's clock labels")
    parse.add_argument("--profile", help="force a site profile by name")
    parse.add_argument("--content-type", help="override the content type (e.g. text/plain)")
    parse.add_argument(
        "--observed-at", type=_aware, help="when the page was fetched (ISO 8601 with offset)"
    )
    parse.add_argument("--json", action="store_true", help="print JSON instead of text")
    parse.set_defaults(handler=_cmd_parse)

    replay_cmd = commands.add_parser(
        "replay", help="feed a saved case (meta.json + snapshots) through the poll pipeline"
    )
    replay_cmd.add_argument("case", help="a case folder with meta.json and its snapshots")
    replay_cmd.add_argument(
        "--json", action="store_true", help="print one JSON change event per line"
    )
    replay_cmd.add_argument(
        "--db", help="database URL to keep the result in (default: a temporary SQLite file)"
    )
    replay_cmd.set_defaults(handler=_cmd_replay)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"tickerwatch: invalid settings:\n{error}", file=sys.stderr)
        return 2
    handler = args.handler
    result: int = handler(args, settings)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
