"""``tickerwatch add|edit|list|pause|resume|remove``: the watched tickers.

``add`` looks before it saves: it fetches the page once as polling will
(:mod:`tickerwatch.lookup`), prints what it read, and refuses to save a page that is
not a ticker, that the fetch policy blocks or that cannot be fetched, unless
``--force``. ``--no-check`` saves without fetching (offline set-up). ``edit`` checks
new selectors against the live page the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.check import LookRequest
from ingest.layouts.profile_table import PROFILES
from storage import DuplicateTicker, InvalidValue, NewTicker, TickerId, TickerNotFound
from storage.model import Ticker, default_name
from tickerwatch import bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands import selector_args, values
from tickerwatch.commands.failing import fail
from tickerwatch.lookup import look

if TYPE_CHECKING:
    from tickerwatch.settings import Settings

DEFAULT_INTERVAL_S = 300
interval = values.interval  # kept under its old name for importers


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown time zone {value!r}") from error
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
        "selectors": asdict(ticker.selectors) if ticker.selectors else None,
        "created_at": ticker.created_at.isoformat(),
    }


def _counted(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _checked(request: LookRequest, settings: Settings, *, force: bool) -> bool:
    """Fetch and read the page once, print what came of it; True when saving may go on."""
    check = asyncio.run(look(request, settings))
    print(check.summary)
    if check.page is not None and check.ok:
        for warning in check.page.warnings:
            print(f"warning: {warning}")
    if check.hint:
        print(f"  to change this: {check.hint}")
    if check.ok:
        return True
    if force:
        print("saving anyway (--force)")
        return True
    fail("not saved: add --force to save it anyway, or --no-check to skip the check")
    return False


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    if args.profile and args.profile not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        return fail(f"unknown profile {args.profile!r} (known: {known})")
    try:
        selectors = selector_args.selectors_of(args)
    except ValueError as error:
        return fail(str(error))
    store = bootstrap.store_for(settings)
    try:
        if any(t.url == args.url for t in store.list()):
            return fail(f"a ticker watches {args.url} already")
        if args.ignore_robots is not None and not args.ignore_robots.strip():
            return fail("overriding robots.txt needs a reason")
        request = LookRequest(
            args.url,
            zone=args.zone,
            profile=args.profile,
            selectors=selectors,
            ignore_robots=args.ignore_robots is not None,
        )
        if not args.no_check and not _checked(request, settings, force=args.force):
            return 1
        ticker = store.add(
            NewTicker(
                url=args.url,
                name=args.name or default_name(args.url),
                interval_seconds=args.interval or DEFAULT_INTERVAL_S,
                zone=args.zone,
                profile=args.profile,
                tags=tuple(args.tag or ()),
                robots_override=args.ignore_robots,
                selectors=selectors,
            ),
            created_at=utc_now(),
        )
    except (DuplicateTicker, InvalidValue) as error:
        return fail(str(error))
    finally:
        store.close()
    print(
        f"added ticker {ticker.id}: {ticker.name} ({ticker.url}), every {ticker.interval_seconds} s"
    )
    return 0


def _cmd_edit(args: argparse.Namespace, settings: Settings) -> int:
    store = bootstrap.store_for(settings)
    try:
        ticker = store.get(TickerId(args.id))
        base = None if args.clear_selectors else ticker.selectors
        try:
            selectors = selector_args.selectors_of(args, base)
        except ValueError as error:
            return fail(str(error))
        if selectors != ticker.selectors and selectors is not None and not args.no_check:
            request = LookRequest(
                ticker.url,
                zone=ticker.zone,
                profile=ticker.profile,
                selectors=selectors,
                ignore_robots=ticker.robots_override is not None,
            )
            if not _checked(request, settings, force=args.force):
                return 1
        if args.name is not None and args.name.strip() != ticker.name:
            ticker = store.rename(ticker.id, args.name.strip())
        if args.interval is not None and args.interval != ticker.interval_seconds:
            ticker = store.set_interval(ticker.id, args.interval)
        if selectors != ticker.selectors:
            ticker = store.set_selectors(ticker.id, selectors)
    except (TickerNotFound, InvalidValue) as error:
        return fail(str(error))
    finally:
        store.close()
    shown = selector_args.as_options(ticker.selectors) if ticker.selectors else "discovery"
    print(f"ticker {ticker.id}: {ticker.name}, every {ticker.interval_seconds} s, reads {shown}")
    return 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    store = bootstrap.store_for(settings)
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
        store = bootstrap.store_for(settings)
        try:
            for ticker_id in args.ids:
                ticker = store.set_paused(TickerId(ticker_id), paused)
                print(f"{'paused' if paused else 'resumed'} ticker {ticker.id}: {ticker.name}")
        except TickerNotFound as error:
            return fail(str(error))
        finally:
            store.close()
        return 0

    return handler


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = bootstrap.store_for(settings)
    try:
        ticker = store.get(TickerId(args.id))
        if not args.yes:
            stats = store.stats(ticker.id)
            return fail(
                f"removing ticker {ticker.id} ({ticker.name}) deletes "
                f"{_counted(stats.polls, 'poll')}, "
                f"{_counted(stats.entries, 'entry', 'entries')} and "
                f"{_counted(stats.changes, 'change')}; add --yes to confirm"
            )
        store.remove(ticker.id)
    except TickerNotFound as error:
        return fail(str(error))
    finally:
        store.close()
    print(f"removed ticker {ticker.id}: {ticker.name}")
    return 0


def _check_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"{what} even when the page is not read as a ticker, is blocked or fails",
    )
    parser.add_argument(
        "--no-check",
        action="store_true",
        help=f"{what} without fetching the page first (offline)",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = commands.add_parser("add", help="watch a live-ticker page")
    add.add_argument("url", type=values.http_url, help="the ticker page's http(s) URL")
    add.add_argument("--name", help="a name for people (default: from the URL)")
    add.add_argument(
        "--interval", type=interval, help="poll interval: 90, 90s, 5m, 1h, 1d (1 s to 7 days)"
    )
    add.add_argument("--zone", type=_zone, help="IANA zone of the page's clock labels")
    add.add_argument("--profile", help=f"a site profile: {', '.join(sorted(PROFILES))}")
    add.add_argument("--tag", action="append", help="a tag for alert rules (repeatable)")
    add.add_argument(
        "--ignore-robots",
        metavar="REASON",
        help="do not honour robots.txt for this ticker, for the reason given",
    )
    selector_args.add_arguments(add)
    _check_arguments(add, "save")
    add.set_defaults(handler=_cmd_add)

    edit = commands.add_parser("edit", help="change a ticker's name, interval or selectors")
    edit.add_argument("id", type=values.row_id, metavar="ID")
    edit.add_argument("--name", help="a new name")
    edit.add_argument(
        "--interval", type=interval, help="poll interval: 90, 90s, 5m, 1h, 1d (1 s to 7 days)"
    )
    selector_args.add_arguments(edit)
    edit.add_argument(
        "--clear-selectors",
        action="store_true",
        help="drop the ticker's selectors (read the page by discovery again)",
    )
    _check_arguments(edit, "save new selectors")
    edit.set_defaults(handler=_cmd_edit)

    listing = commands.add_parser("list", help="the watched tickers")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_list)

    for name, paused in (("pause", True), ("resume", False)):
        command = commands.add_parser(name, help=f"{name} polling of tickers")
        command.add_argument("ids", type=values.row_id, nargs="+", metavar="ID")
        command.set_defaults(handler=_set_paused(paused))

    remove = commands.add_parser("remove", help="stop watching a ticker and delete its history")
    remove.add_argument("id", type=values.row_id, metavar="ID")
    remove.add_argument("--yes", action="store_true", help="confirm the deletion")
    remove.set_defaults(handler=_cmd_remove)
