"""``tickerwatch parse SOURCE``: read one page (a file or a URL) into its entries.

A URL is fetched through the poller's fetcher and policy (:mod:`tickerwatch.lookup`),
so the SSRF guard and robots.txt apply as they do to polling. ``--explain`` shows why
the page was read the way it was (:mod:`tickerwatch.explain`); the selector options try
per-ticker selectors on the page before they are set with ``add`` or ``edit``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.fetching.model import FetchOutcome
from ingest.model import ParsedPage
from tickerwatch import bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands import selector_args
from tickerwatch.explain import explain_lines
from tickerwatch.lookup import blocked_hint, fetch_page

if TYPE_CHECKING:
    from tickerwatch.settings import Settings

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
    """The ``parse --json`` shape: title, layout, not_a_ticker, incomplete and the entries."""
    return {
        "title": page.headline,
        "layout": page.layout,
        "not_a_ticker": page.not_a_ticker,
        "incomplete": page.incomplete,
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
        if page.incomplete:  # the likelier cause; a ticker page says it among its warnings
            print(f"page incomplete: {page.incomplete}")
        return
    read = len(page.entries)
    print(
        f"{read} entr{'y' if read == 1 else 'ies'} · layout {page.layout} · "
        f"{page.order.value} · zone {page.zone}"
    )
    if page.time_rule:
        print(f"times: {page.time_rule}")
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
    try:
        selectors = selector_args.selectors_of(args)
    except ValueError as error:
        print(f"tickerwatch: {error}", file=sys.stderr)
        return 1
    observed_at = args.observed_at
    source: str = args.source
    if source.startswith(("http://", "https://")):
        fetched = asyncio.run(fetch_page(source, settings))
        if fetched.outcome is not FetchOutcome.OK or fetched.body is None:
            print(f"tickerwatch: {source}: {fetched.error}", file=sys.stderr)
            hint = blocked_hint(fetched.error or "")
            if fetched.outcome is FetchOutcome.BLOCKED and hint:
                print(f"  to change this: {hint}", file=sys.stderr)
            return 1
        body, content_type = fetched.body, fetched.content_type
        url = args.url or fetched.final_url
        observed_at = observed_at or fetched.fetched_at
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
        observed_at=observed_at or utc_now(),
        zone=args.zone,
        profile=args.profile,
        settings=settings,
        selectors=selectors,
        # Without a fetch time, a saved page is dated by the dates it states itself.
        date_from_page=args.observed_at is None and not source.startswith(("http://", "https://")),
    )
    if args.explain:
        print("\n".join(explain_lines(page, selectors)))
    elif args.json:
        json.dump(page_as_json(page), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _print_page(page)
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parse.add_argument(
        "--explain",
        action="store_true",
        help="show the structures considered, their scores, the time rule and the selectors",
    )
    selector_args.add_arguments(parse)
    parse.set_defaults(handler=_cmd_parse)
