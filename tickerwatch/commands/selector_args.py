"""The ``--entry-selector`` … ``--id-selector`` options that ``add``, ``edit`` and
``parse`` share, and reading them into :class:`~ingest.model.EntrySelectors`."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from ingest.model import EntrySelectors

# option suffix → EntrySelectors field
FIELDS = {
    "entry": "entry",
    "time": "time",
    "headline": "headline",
    "body": "body",
    "id": "native_id",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "entry selectors (CSS), for pages whose entries discovery misreads"
    )
    group.add_argument("--entry-selector", metavar="CSS", help="the entry blocks on the page")
    group.add_argument("--time-selector", metavar="CSS", help="an entry's time, in its block")
    group.add_argument("--headline-selector", metavar="CSS", help="an entry's headline")
    group.add_argument(
        "--body-selector", metavar="CSS", help="an entry's body (default: the block)"
    )
    group.add_argument(
        "--id-selector",
        metavar="CSS|@ATTR",
        help="an entry's id: @attr of the block, CSS@attr, or an element's id or text",
    )


def given(args: argparse.Namespace) -> dict[str, str]:
    """The selector options set on the command line, by EntrySelectors field."""
    found = {field: getattr(args, f"{option}_selector") for option, field in FIELDS.items()}
    return {k: v for k, v in found.items() if v is not None}


def selectors_of(
    args: argparse.Namespace, base: EntrySelectors | None = None
) -> EntrySelectors | None:
    """``base`` with the options given laid over it (a blank option unsets that field);
    raises ``ValueError`` with the reason when the result cannot be used."""
    options = given(args)
    if not options:
        return base
    values = {k: (v.strip() or None) for k, v in options.items()}
    entry = values.get("entry", base.entry if base else None)
    if entry is None:
        raise ValueError(
            "--entry-selector is needed: the other selectors are relative to an entry block"
        )
    merged = {**(asdict(base) if base is not None else {}), **values}
    chosen = EntrySelectors(
        entry=entry,
        time=merged.get("time"),
        headline=merged.get("headline"),
        body=merged.get("body"),
        native_id=merged.get("native_id"),
    )
    from ingest.layouts.selectors import selector_problems  # lxml, cssselect

    problems = selector_problems(chosen)
    if problems:
        raise ValueError("; ".join(problems))
    return chosen


def as_options(selectors: EntrySelectors) -> str:
    """The selectors as command-line options, quoted for a POSIX shell."""
    parts = []
    for option, field in FIELDS.items():
        value = getattr(selectors, field)
        if value is not None:
            parts.append(f"--{option}-selector {shell_quote(value)}")
    return " ".join(parts)


def shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"
