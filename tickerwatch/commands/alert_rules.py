"""The rules of ``tickerwatch alerts add``: its filter options and the Rules they make.

Lists may be given as repeated options, space- or comma-separated; every value is
checked here, so a typo is a usage error naming the value, never a rule that matches
nothing.
"""

from __future__ import annotations

import argparse

from alerts.model import Rules
from alerts.rules import ALERTED_KINDS
from diffing.model import ChangeKind
from tickerwatch.commands.values import amount, count, row_id

KIND_NAMES = ", ".join(k.value for k in ALERTED_KINDS)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The filter, rate and digest options :func:`from_args` reads."""
    parser.add_argument(
        "--tickers",
        action="extend",
        nargs="+",
        metavar="ID",
        help="only these tickers (ids, space- or comma-separated)",
    )
    parser.add_argument("--tag", action="append", help="only tickers with this tag (repeatable)")
    parser.add_argument(
        "--desks",
        action="extend",
        nargs="+",
        metavar="ID",
        help="story alerts of these desks (ids), whichever ticker was first",
    )
    parser.add_argument(
        "--kinds", action="extend", nargs="+", metavar="KIND", help=f"only these: {KIND_NAMES}"
    )
    parser.add_argument(
        "--keyword",
        action="append",
        help="only changes mentioning it: a whole word or phrase, any case, or re:REGEX "
        "(repeatable: any of them)",
    )
    parser.add_argument(
        "--exclude", action="append", metavar="KEYWORD", help="never changes mentioning it"
    )
    parser.add_argument(
        "--min-edit",
        type=_share,
        metavar="SHARE",
        help="ignore edits changing less of the text (0.05 or 5%%: typo fixes)",
    )
    parser.add_argument("--rate", type=amount, metavar="N", help="at most N messages a minute")
    parser.add_argument(
        "--digest-window", type=amount, metavar="S", help="burst digest window in seconds"
    )
    parser.add_argument(
        "--digest-threshold",
        type=count,
        metavar="N",
        help="changes within the window that make a digest (0: never)",
    )


def _listed(values: list[str] | None) -> list[str]:
    """Values given as repeated options and/or comma-separated."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def _ids(values: list[str] | None, noun: str = "ticker") -> tuple[int, ...]:
    ids = []
    for value in _listed(values):
        try:
            ids.append(row_id(value))
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"not a {noun} id: {value!r} (ids are numbers from 1 to 2^63 - 1)"
            ) from None
    return tuple(ids)


def _kinds(values: list[str] | None) -> tuple[ChangeKind, ...]:
    kinds = []
    for value in _listed(values):
        try:
            kinds.append(ChangeKind(value))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"unknown kind {value!r} (known: {KIND_NAMES})"
            ) from None
    return tuple(kinds)


def _share(value: str) -> float:
    try:
        share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {value!r} (e.g. 0.05 or 5%)") from None
    if not 0 <= share < 1:
        raise argparse.ArgumentTypeError("a minimum edit is a share from 0 to below 1 (or 100%)")
    return share


def from_args(args: argparse.Namespace) -> Rules:
    """The rules the options of :func:`add_options` give (usage errors raised as
    ``argparse.ArgumentTypeError``)."""
    return Rules(
        tickers=_ids(args.tickers),
        tags=tuple(_listed(args.tag)),
        desks=_ids(args.desks, "desk"),
        kinds=_kinds(args.kinds),
        include=tuple(args.keyword or ()),
        exclude=tuple(args.exclude or ()),
        min_edit=args.min_edit or 0.0,
        digest_window_s=args.digest_window,
        digest_threshold=args.digest_threshold,
        rate_per_minute=args.rate,
    )
