"""``tickerwatch add|list|pause|resume|remove``: the watched tickers."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.layouts.profiles import PROFILES
from storage import DuplicateTicker, InvalidValue, NewTicker, TickerId, TickerNotFound
from storage.model import Ticker, default_name
from tickerwatch import bootstrap
from tickerwatch.settings import Settings

_UNITS = {"s": 1, "m": 60, "h": 3600}
DEFAULT_INTERVAL_S = 300


def interval(value: str) -> int:
    """``90``, ``90s``, ``5m`` or ``1h`` as seconds (at least one)."""
    text = value.strip().lower()
    unit = _UNITS.get(text[-1:])
    number = text[:-1] if unit else text
    try:
        seconds = int(float(number) * (unit or 1))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not an interval: {value!r} (e.g. 90, 90s, 5m)"
        ) from error
    if seconds < 1:
        raise argparse.ArgumentTypeError("an interval must be at least one second")
    return seconds


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown time zone {value!r}") from error
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def ticker_as_json(ticker: Ticker) -> dict[str, Any]:
    return {
        "id": ticker.id,
        "name": ticker.name,
        "url": ticker.url,
        "interval_seconds": ticker.interval_seconds,
        "zone": ticker.zone,
        "profile": ticker.profile,
        "tags": list(ticker.tags),
        "paused": ticker.paused,
        "next_poll_at": ticker.next_poll_at.isoformat() if ticker.next_poll_at else None,
        "error_streak": ticker.error_streak,
        "robots_override": ticker.robots_override,
        "created_at": ticker.created_at.isoformat(),
    }


def _fail(message: str) -> int:
    print(f"tickerwatch: {message}", file=sys.stderr)
    return 1


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    if args.profile and args.profile not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        return _fail(f"unknown profile {args.profile!r} (known: {known})")
    store = bootstrap.open_store(settings.storage.resolved_url())
    try:
        ticker = store.add(
            NewTicker(
                url=args.url,
                name=args.name or default_name(args.url),
                interval_seconds=args.interval or DEFAULT_INTERVAL_S,
                zone=args.zone,
                profile=args.profile,
                tags=tuple(args.tag or ()),
                robots_override=args.ignore_robots,
            ),
            created_at=datetime.now(UTC),
        )
    except (DuplicateTicker, InvalidValue) as error:
        return _fail(str(error))
    finally:
        store.close()
    print(
        f"added ticker {ticker.id}: {ticker.name} ({ticker.url}), every {ticker.interval_seconds} s"
    )
    return 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    store = bootstrap.open_store(settings.storage.resolved_url())
    try:
        tickers = store.list()
    finally:
        store.close()
    if args.json:
        json.dump([ticker_as_json(t) for t in tickers], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not tickers:
        print("no tickers yet: tickerwatch add URL")
    for ticker in tickers:
        state = "paused" if ticker.paused else f"every {ticker.interval_seconds} s"
        tags = f"  [{', '.join(ticker.tags)}]" if ticker.tags else ""
        print(f"{ticker.id:>4}  {ticker.name}  ({state}){tags}\n      {ticker.url}")
    return 0


def _set_paused(paused: bool) -> Any:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        store = bootstrap.open_store(settings.storage.resolved_url())
        try:
            for ticker_id in args.ids:
                ticker = store.set_paused(TickerId(ticker_id), paused)
                print(f"{'paused' if paused else 'resumed'} ticker {ticker.id}: {ticker.name}")
        except TickerNotFound as error:
            return _fail(str(error))
        finally:
            store.close()
        return 0

    return handler


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = bootstrap.open_store(settings.storage.resolved_url())
    try:
        ticker = store.get(TickerId(args.id))
        if not args.yes:
            stats = store.stats(ticker.id)
            return _fail(
                f"removing ticker {ticker.id} ({ticker.name}) deletes {stats.polls} polls, "
                f"{stats.entries} entries and {stats.changes} changes; add --yes to confirm"
            )
        store.remove(ticker.id)
    except TickerNotFound as error:
        return _fail(str(error))
    finally:
        store.close()
    print(f"removed ticker {ticker.id}: {ticker.name}")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = commands.add_parser("add", help="watch a live-ticker page")
    add.add_argument("url", type=_url, help="the ticker page's http(s) URL")
    add.add_argument("--name", help="a name for people (default: from the URL)")
    add.add_argument("--interval", type=interval, help="poll interval: 90, 90s, 5m, 1h")
    add.add_argument("--zone", type=_zone, help="IANA zone of the page's clock labels")
    add.add_argument("--profile", help=f"a site profile: {', '.join(sorted(PROFILES))}")
    add.add_argument("--tag", action="append", help="a tag for alert rules (repeatable)")
    add.add_argument(
        "--ignore-robots",
        metavar="REASON",
        help="do not honour robots.txt for this ticker, for the reason given",
    )
    add.set_defaults(handler=_cmd_add)

    listing = commands.add_parser("list", help="the watched tickers")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_list)

    for name, paused in (("pause", True), ("resume", False)):
        command = commands.add_parser(name, help=f"{name} polling of tickers")
        command.add_argument("ids", type=int, nargs="+", metavar="ID")
        command.set_defaults(handler=_set_paused(paused))

    remove = commands.add_parser("remove", help="stop watching a ticker and delete its history")
    remove.add_argument("id", type=int, metavar="ID")
    remove.add_argument("--yes", action="store_true", help="confirm the deletion")
    remove.set_defaults(handler=_cmd_remove)
