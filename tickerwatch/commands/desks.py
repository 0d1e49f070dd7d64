"""``tickerwatch desk add|list|show|edit|remove``: desks, the tickers compared together
(``desk stories|record``: :mod:`tickerwatch.commands.desk_stories`).

A desk is named by its name or its id (``storage.desks.find_desk``). Members are ticker
ids, ``--own`` for our own newsroom's tickers and ``--ticker`` for the competitors';
``--tag`` / ``--own-tag`` take in every ticker carrying the tag, now and later.
Whatever the store refuses (unknown ticker, a name taken, no members) ends as one line
on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from storage.desks import (
    DEFAULT_LEAD_MINUTES,
    DEFAULT_WINDOW_MINUTES,
    Desk,
    DuplicateDesk,
    NewDesk,
    desk_tickers,
    edited,
    find_desk,
)
from storage.errors import InvalidValue, NotFound
from storage.model import Ticker, TickerId
from tickerwatch import bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands import desk_stories, values
from tickerwatch.commands.failing import fail

if TYPE_CHECKING:
    from storage.desks_sql import SqlDeskStore
    from storage.sql import SqlStore
    from tickerwatch.settings import Settings


@contextmanager
def _stores(settings: Settings) -> Iterator[tuple[SqlStore, SqlDeskStore]]:
    """The ticker store (migrated first) and the desk store of the configured database."""
    with bootstrap.database_for(settings) as database:
        yield database.store(), database.desks()


def desk_as_json(desk: Desk, tickers: tuple[Ticker, ...]) -> dict[str, Any]:
    """The desk as stored, and its tickers as they stand now (tags resolved)."""
    return {
        "id": desk.id,
        "name": desk.name,
        "window_minutes": desk.window_minutes,
        "lead_minutes": desk.lead_minutes,
        "created_at": desk.created_at.isoformat(),
        "members": [{"ticker_id": m.ticker_id, "own": m.own} for m in desk.members],
        "tags": [{"tag": t.tag, "own": t.own} for t in desk.tags],
        "tickers": [
            {"id": t.ticker.id, "name": t.ticker.name, "own": t.own, "via": list(t.via)}
            for t in desk_tickers(desk, tickers)
        ],
    }


def _minutes(count: int) -> str:
    return f"{count // 60} h" if count and count % 60 == 0 else f"{count} min"


def _describe(desk: Desk, tickers: tuple[Ticker, ...]) -> str:
    lines = [
        f"{desk.id:>4}  {desk.name}  (stories within {_minutes(desk.window_minutes)}, "
        f"competitor first after {_minutes(desk.lead_minutes)})"
    ]
    resolved = desk_tickers(desk, tickers)
    for label, own in (("own", True), ("competitors", False)):
        named = [f"{t.ticker.id} {t.ticker.name}" for t in resolved if t.own is own]
        lines.append(f"      {label}: {', '.join(named) if named else '-'}")
    if desk.tags:
        tags = ", ".join(f"{t.tag} (own)" if t.own else t.tag for t in desk.tags)
        lines.append(f"      tags: {tags}")
    if not any(t.own for t in resolved):
        lines.append("      no own ticker: no competitor-first alerts")
    return "\n".join(lines)


def _ids(values_: list[int] | None) -> list[TickerId]:
    return [TickerId(v) for v in values_ or ()]


def _contradiction(args: argparse.Namespace) -> str | None:
    """What names one ticker or tag both as own and as a competitor's, if anything."""
    both = set(_ids(args.own)) & set(_ids(args.ticker))
    if both:
        return f"ticker {min(both)} is named both --own and --ticker"
    tags = set(args.own_tag or ()) & set(args.tag or ())
    if tags:
        return f"tag {min(tags)!r} is named both --own-tag and --tag"
    return None


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    problem = _contradiction(args)
    if problem:
        return fail(problem)
    own, competitors = _ids(args.own), _ids(args.ticker)
    desk = edited(
        NewDesk(
            args.name.strip(),
            window_minutes=DEFAULT_WINDOW_MINUTES if args.window is None else args.window,
            lead_minutes=DEFAULT_LEAD_MINUTES if args.lead is None else args.lead,
        ),
        own=own,
        competitors=competitors,
        own_tags=args.own_tag or (),
        tags=args.tag or (),
    )
    with _stores(settings) as (store, desks):
        try:
            added = desks.add(desk, created_at=utc_now())
        except (DuplicateDesk, InvalidValue, NotFound) as error:
            return fail(str(error))
        print(f"added desk {added.id}: {added.name}")
        print(_describe(added, store.list()))
    return 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    with _stores(settings) as (store, desks):
        listed, tickers = desks.list(), store.list()
    if args.json:
        json.dump(
            [desk_as_json(d, tickers) for d in listed], sys.stdout, ensure_ascii=False, indent=2
        )
        print()
        return 0
    if not listed:
        print("no desks yet: tickerwatch desk add NAME --own ID --ticker ID")
    for desk in listed:
        print(_describe(desk, tickers))
    return 0


def _cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    with _stores(settings) as (store, desks):
        try:
            desk = find_desk(desks, args.desk)
        except NotFound as error:
            return fail(str(error))
        tickers = store.list()
    if args.json:
        json.dump(desk_as_json(desk, tickers), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(_describe(desk, tickers))
    return 0


def _cmd_edit(args: argparse.Namespace, settings: Settings) -> int:
    problem = _contradiction(args)
    if problem:
        return fail(problem)
    with _stores(settings) as (store, desks):
        try:
            desk = find_desk(desks, args.desk)
            changed = edited(
                desk.definition(),
                own=_ids(args.own),
                competitors=_ids(args.ticker),
                drop=_ids(args.drop),
                own_tags=args.own_tag or (),
                tags=args.tag or (),
                drop_tags=args.drop_tag or (),
            )
            unknown = sorted(set(_ids(args.drop)) - {m.ticker_id for m in desk.members})
            if unknown:
                return fail(f"ticker {unknown[0]} is not a member of desk {desk.name!r}")
            missing = sorted(set(args.drop_tag or ()) - {t.tag for t in desk.tags})
            if missing:
                return fail(f"desk {desk.name!r} has no tag {missing[0]!r}")
            changed = NewDesk(
                args.name.strip() if args.name is not None else changed.name,
                changed.members,
                changed.tags,
                changed.window_minutes if args.window is None else args.window,
                changed.lead_minutes if args.lead is None else args.lead,
            )
            desk = desks.update(desk.id, changed)
        except (DuplicateDesk, InvalidValue, NotFound) as error:
            return fail(str(error))
        print(_describe(desk, store.list()))
    return 0


def _cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    with _stores(settings) as (_, desks):
        try:
            desk = find_desk(desks, args.desk)
            if not args.yes:
                return fail(
                    f"removing desk {desk.id} ({desk.name}) forgets its members and "
                    "settings (its tickers stay); add --yes to confirm"
                )
            desks.remove(desk.id)
        except NotFound as error:
            return fail(str(error))
    print(f"removed desk {desk.id}: {desk.name}")
    return 0


def _member_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--own", type=values.row_id, action="append", metavar="ID", help="our own ticker"
    )
    parser.add_argument(
        "--ticker", type=values.row_id, action="append", metavar="ID", help="a competitor"
    )
    parser.add_argument("--tag", action="append", help="every ticker with this tag, as competitors")
    parser.add_argument("--own-tag", action="append", help="every ticker with this tag, as own")
    parser.add_argument(
        "--window",
        type=values.minutes,
        help=f"how far apart one story's entries may be: 90m, 6h "
        f"(default {DEFAULT_WINDOW_MINUTES // 60}h)",
    )
    parser.add_argument(
        "--lead",
        type=values.minutes,
        help=f"how long our tickers may lag a competitor before it counts as first "
        f"(default {DEFAULT_LEAD_MINUTES}m)",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    desk = commands.add_parser("desk", help="desks: tickers compared together, own marked")
    actions = desk.add_subparsers(dest="desk_command", required=True)

    add = actions.add_parser("add", help="a new desk")
    add.add_argument("name", help="the desk's name (unique)")
    _member_arguments(add)
    add.set_defaults(handler=_cmd_add)

    listing = actions.add_parser("list", help="every desk with its tickers")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_list)

    show = actions.add_parser("show", help="one desk with its tickers")
    show.add_argument("desk", metavar="NAME|ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_cmd_show)

    edit = actions.add_parser(
        "edit",
        help="add, drop or re-mark members; rename; change the settings",
        description="--own/--ticker add a ticker or re-mark a member as own/competitor.",
    )
    edit.add_argument("desk", metavar="NAME|ID")
    edit.add_argument("--name", help="a new name")
    _member_arguments(edit)
    edit.add_argument(
        "--drop", type=values.row_id, action="append", metavar="ID", help="take a ticker out"
    )
    edit.add_argument("--drop-tag", action="append", metavar="TAG", help="take a tag out")
    edit.set_defaults(handler=_cmd_edit)

    remove = actions.add_parser("remove", help="forget a desk (its tickers stay)")
    remove.add_argument("desk", metavar="NAME|ID")
    remove.add_argument("--yes", action="store_true", help="confirm")
    remove.set_defaults(handler=_cmd_remove)

    desk_stories.register(actions)
