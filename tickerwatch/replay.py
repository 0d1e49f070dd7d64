"""Replaying a saved ticker case through the live pipeline.

A case folder holds what successive polls of one ticker returned (``0001.html``, …)
and a ``meta.json`` naming the URL and, per snapshot, ``file``, ``fetched_at`` (ISO 8601
with offset) and ``content_type``. :class:`CaseFetcher` serves the snapshots in order,
as a server would have, with ``fetched_at`` as the clock, and :func:`replay` runs every
one through :func:`tickerwatch.polling.poll_once` against a real store: the same
parse → match → store path a live poll takes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.fetching.model import NO_VALIDATORS, FetchOutcome, FetchResult, Validators
from storage.model import NewTicker
from storage.ports import Store
from tickerwatch.polling import DEFAULT_POLICY, PollPolicy, PollReport, poll_once


class CaseError(Exception):
    """A case folder that cannot be replayed; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    file: str
    path: Path
    fetched_at: datetime
    content_type: str | None


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    url: str
    snapshots: tuple[CaseSnapshot, ...]


def load_case(folder: Path) -> Case:
    """Read ``meta.json`` of a case folder (``CaseError`` when missing or malformed, or
    when a snapshot's ``file`` lies outside the folder)."""
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        url = str(meta["url"])
        snapshots = tuple(
            CaseSnapshot(
                file=str(item["file"]),
                path=folder / str(item["file"]),
                fetched_at=_aware(str(item["fetched_at"])),
                content_type=item.get("content_type"),
            )
            for item in meta["snapshots"]
        )
    except OSError as error:
        raise CaseError(f"{meta_path}: {error.strerror or error}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise CaseError(f"{meta_path}: not a case description ({error})") from error
    if not snapshots:
        raise CaseError(f"{meta_path}: lists no snapshots")
    inside = folder.resolve()
    for snapshot in snapshots:
        # A case may come from anyone: its files stay inside its folder, links resolved.
        if not snapshot.path.resolve().is_relative_to(inside):
            raise CaseError(f"{meta_path}: snapshot {snapshot.file} lies outside the case folder")
        if not snapshot.path.is_file():
            raise CaseError(f"{meta_path}: snapshot {snapshot.file} is missing")
    return Case(name=folder.resolve().name, url=url, snapshots=snapshots)


def _aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"fetched_at {value!r} has no UTC offset")
    return parsed


class CaseFetcher:
    """A :class:`~ingest.fetching.model.Fetcher` that answers the n-th fetch with the
    n-th snapshot of a case. ``current`` is the snapshot served last."""

    def __init__(self, case: Case) -> None:
        self._case = case
        self._next = 0
        self.current: CaseSnapshot | None = None

    @property
    def upcoming(self) -> CaseSnapshot | None:
        """The snapshot the next fetch returns (None when all were served)."""
        snapshots = self._case.snapshots
        return snapshots[self._next] if self._next < len(snapshots) else None

    async def fetch(
        self, url: str, validators: Validators = NO_VALIDATORS, *, ignore_robots: bool = False
    ) -> FetchResult:
        snapshot = self.upcoming
        if snapshot is None:
            raise IndexError("every snapshot of the case was served")
        self._next += 1
        self.current = snapshot
        return FetchResult(
            outcome=FetchOutcome.OK,
            url=url,
            final_url=url,
            fetched_at=snapshot.fetched_at,
            duration_ms=0,
            http_status=200,
            body=snapshot.path.read_bytes(),
            content_type=snapshot.content_type,
        )


async def replay(
    case: Case, *, store: Store, policy: PollPolicy = DEFAULT_POLICY
) -> AsyncIterator[tuple[CaseSnapshot, PollReport]]:
    """Poll the case's snapshots in order into ``store`` and yield each poll's report.

    The ticker is added to the store under the case's URL (a store that watches that
    URL already is refused with ``storage.errors.DuplicateTicker``).
    """
    fetcher = CaseFetcher(case)
    created_at = case.snapshots[0].fetched_at
    ticker = store.add(NewTicker(url=case.url, name=case.name), created_at=created_at)
    while (snapshot := fetcher.upcoming) is not None:
        report = await poll_once(
            ticker,
            fetcher=fetcher,
            store=store,
            clock=lambda at=snapshot.fetched_at: at,  # type: ignore[misc]
            policy=policy,
        )
        yield snapshot, report
