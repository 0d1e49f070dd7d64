"""``tickerwatch desk stories|record``: a desk's stories, and who was first how often.

``desk stories NAME|ID`` lists the desk's stories newest first, each with the ticker
that had it first and by how many minutes, on both clocks (the page's printed time and
the poll that first saw the entry). ``desk record NAME|ID`` counts, per ticker of the
desk, the shared stories it was first in, its median lead and the stories it missed.
``--since`` / ``--until`` take an ISO 8601 date or time (UTC when it names no offset)
or an age such as ``90m``, ``24h``, ``7d``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from storage.desks import Desk, desk_tickers, find_desk
from storage.errors import NotFound
from tickerwatch import bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands.failing import fail

if TYPE_CHECKING:
    from storage.desks_sql import SqlDeskStore
    from storage.sql import SqlStore
    from storage.story_store_sql import SqlStoryStore
    from stories import Story, TickerRecord
    from tickerwatch.settings import Settings

_AGE = re.compile(r"^\s*(\d{1,6})\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
# Stories read per query for a record.
_PAGE = 500


def instant(value: str, *, now: datetime | None = None) -> datetime:
    """An argparse type: an ISO 8601 date or time (UTC unless it names an offset) or an
    age before now (``90m``, ``24h``, ``7d``)."""
    age = _AGE.match(value)
    if age:
        return (now or utc_now()) - timedelta(**{_UNITS[age[2]]: int(age[1])})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not a time: {value!r} (an ISO 8601 time, or an age like 24h or 7d)"
        ) from error
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@contextmanager
def _stores(settings: Settings) -> Iterator[tuple[SqlStore, SqlDeskStore, SqlStoryStore]]:
    with bootstrap.database_for(settings) as database:
        yield database.store(), database.desks(), database.stories()


def _lead(minutes: float | None) -> str:
    return "alone" if minutes is None else f"{minutes:+.0f} min"


def _story_line(story: Story, names: dict[int, str]) -> str:
    from stories import Basis, story_leads

    leads = story_leads(story)
    first = min(story.members, key=lambda m: (m.when, m.ticker_id))
    title = " ".join((first.title or first.text).split()[:12])
    return (
        f"{story.id:>6}  {story.start:%Y-%m-%d %H:%M}  {len(story.tickers)} tickers  "
        f"first seen: {names.get(leads.first(Basis.SEEN), '?')} "
        f"({_lead(leads.lead_minutes(Basis.SEEN))}), printed: "
        f"{names.get(leads.first(Basis.PRINTED), '?')} "
        f"({_lead(leads.lead_minutes(Basis.PRINTED))})  {title}"
    )


def _cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    from tickerwatch.story_replay import story_as_json

    with _stores(settings) as (store, desks, stories):
        try:
            desk = find_desk(desks, args.desk)
        except NotFound as error:
            return fail(str(error))
        found = stories.recent(
            desk.id,
            since=args.since,
            until=args.until,
            min_tickers=args.min_tickers,
            limit=args.limit,
        )
        names: dict[int, str] = {t.id: t.name for t in store.list()}
    for story in found:
        if args.json:
            line = story_as_json(story, names) | {"start": story.start.isoformat()}
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(_story_line(story, names))
    if not found and not args.json:
        print(f"no stories on desk {desk.name!r} in that period")
    return 0


def _record_json(record: TickerRecord, desk_ticker: dict[str, Any]) -> dict[str, Any]:
    return desk_ticker | {
        "stories": record.stories,
        "first": record.first,
        "missed": record.missed,
        "share_first": record.share_first,
        "median_lead_minutes": record.median_lead_minutes,
        "median_delta_minutes": record.median_delta_minutes,
    }


def _record(desk: Desk, store: SqlStore, stories: SqlStoryStore, args: argparse.Namespace) -> int:
    from stories import Basis, desk_record

    until = args.until or utc_now()
    since = args.since or until - timedelta(days=7)
    shared: list[Story] = []
    while batch := stories.recent(
        desk.id, since=since, until=until, min_tickers=2, limit=_PAGE, offset=len(shared)
    ):
        shared.extend(batch)
    on_desk = desk_tickers(desk, store.list())
    basis = Basis(args.basis)
    records = desk_record(
        shared, [t.ticker.id for t in on_desk], start=since, end=until, basis=basis
    )
    if args.json:
        for record, ticker in zip(records, on_desk, strict=True):
            about = {"ticker_id": ticker.ticker.id, "ticker": ticker.ticker.name, "own": ticker.own}
            print(json.dumps(_record_json(record, about), ensure_ascii=False))
        return 0
    print(
        f"desk {desk.name!r}, {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC, "
        f"{len(shared)} shared stories, first by the {basis.value} time"
    )
    for record, ticker in zip(records, on_desk, strict=True):
        share = "-" if record.share_first is None else f"{record.share_first:.0%}"
        lead = record.median_lead_minutes
        print(
            f"  {ticker.ticker.name[:30]:30} {'own ' if ticker.own else '    '}"
            f"first {record.first:>4}/{record.stories:<4} ({share:>4})  "
            f"median lead {'-' if lead is None else f'{lead:.0f} min':>7}  "
            f"missed {record.missed}"
        )
    return 0


def _cmd_record(args: argparse.Namespace, settings: Settings) -> int:
    with _stores(settings) as (store, desks, stories):
        try:
            desk = find_desk(desks, args.desk)
        except NotFound as error:
            return fail(str(error))
        return _record(desk, store, stories, args)


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``desk stories`` and ``desk record``, beside the other ``desk`` actions."""
    from tickerwatch.commands import values

    listing = actions.add_parser("stories", help="the desk's stories, newest first, who was first")
    listing.add_argument("desk", metavar="NAME|ID")
    listing.add_argument("--since", type=instant, help="stories starting at or after this")
    listing.add_argument("--until", type=instant, help="stories starting before this")
    listing.add_argument(
        "--min-tickers", type=values.count, default=1, help="reported by at least this many"
    )
    listing.add_argument("--limit", type=values.count, default=50, help="at most this many")
    listing.add_argument("--json", action="store_true", help="one JSON story per line")
    listing.set_defaults(handler=_cmd_stories)

    record = actions.add_parser(
        "record", help="per ticker: share of shared stories first, median lead, missed"
    )
    record.add_argument("desk", metavar="NAME|ID")
    record.add_argument("--since", type=instant, help="from (default: 7 days before --until)")
    record.add_argument("--until", type=instant, help="to (default: now)")
    record.add_argument(
        "--basis",
        choices=("seen", "printed"),
        default="seen",
        help="which clock says first: the poll that saw it (default) or the printed time",
    )
    record.add_argument("--json", action="store_true", help="one JSON ticker per line")
    record.set_defaults(handler=_cmd_record)
