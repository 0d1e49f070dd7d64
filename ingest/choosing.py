"""Which of several readings of one page is the ticker, and what ``--explain`` says of
the others. Pure functions of the readings."""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.copies import drop_copies
from ingest.dating import detect_order
from ingest.layouts.base import RawEntry, Reading
from ingest.model import Candidate, Order

# Readings from structured data, and among them the app state the page's own script renders.
STRUCTURED = ("jsonld", "microdata", "embedded")
APP_STATE = ("embedded",)
# The reading of a list of links that has shown the list is the page's main content.
LINK_LIST = "newsticker"
_NON_WORD = re.compile(r"\W+")


def _timed(reading: Reading) -> int:
    """Time-stamped entries of the reading, a copy of one counted once
    (:func:`ingest.copies.drop_copies`): a pinned copy above the stream is no update."""
    return sum(1 for e in drop_copies(reading.entries) if e.stamp.machine or e.stamp.clock)


def _dom_rank(reading: Reading) -> tuple[int, int, int]:
    """How a rendered reading ranks: distinct timed entries, distinct entries, trust.
    Copies are dropped before counting, so a reading without entry boundaries that
    counts a pinned copy as one more entry does not outrank the block reading that
    shows the same entries once, with their ids."""
    distinct = drop_copies(reading.entries)
    timed = sum(1 for e in distinct if e.stamp.machine or e.stamp.clock)
    return (timed, len(distinct), reading.rank)


def _words(text: str | None) -> str:
    return _NON_WORD.sub(" ", (text or "").lower()).strip()


def _repeats(wider: Reading, listed: Reading) -> bool:
    """Whether every entry of ``listed`` reads again in one of ``wider``'s entries: its
    headline (kicker and all) among that entry's words."""
    seen = [f" {_words(e.headline)} {_words(e.text)} " for e in wider.entries]
    return all(any(f" {_words(e.headline)} " in words for words in seen) for e in listed.entries)


def _adds_beside(other: Reading, listed: Reading) -> bool:
    """Whether ``other`` is a reading of lower trust that repeats every item of the
    newsticker list ``listed`` (and adds entries from beside it)."""
    return (
        listed.layout == LINK_LIST
        and other is not listed
        and other.rank < listed.rank
        and _repeats(other, listed)
    )


def _best_rendered(rendered: list[Reading]) -> Reading | None:
    """The best DOM reading: the most distinct timed entries (:func:`_dom_rank`), except
    over a list of links that has shown it is the page's main content. A reading of
    lower trust that repeats all of its items and has more adds entries from outside
    that list (a box of most-read links beside it), not items the list missed."""
    best = max(rendered, key=_dom_rank, default=None)
    listed = next((r for r in rendered if r.layout == LINK_LIST), None)
    if best is not None and listed is not None and _adds_beside(best, listed):
        return listed
    return best


def _distinct_times(reading: Reading) -> int:
    return len({e.stamp.machine or e.stamp.clock for e in reading.entries} - {None})


def choose(
    readings: list[Reading], previous_layout: str | None = None
) -> tuple[Reading, tuple[str, ...]]:
    """The best of several readings of one page, and why others lost.

    A site profile wins outright. Embedded app state (what the page's own script
    renders) wins when it holds at least the entries the DOM shows: the DOM often
    renders only the first few. JSON-LD and microdata win when they hold about as many
    entries as the page shows; when they hold far more (the whole history behind a
    paginated page) or far fewer (stale markup), the rendered page wins, because what
    a reader sees is what we diff and window. Between DOM readings, more time-stamped
    entries win, copies of one entry counted once (:func:`_dom_rank`), unless that adds
    entries beside a newsticker list's items (:func:`_best_rendered`). The layout read
    on the ticker's last poll (``previous_layout``) is kept while it still reads about
    as many entries, so that a page on the edge between two readings does not flip
    between them from poll to poll; not when it only added entries beside the list.
    """
    readings = [r for r in readings if r.entries]
    fixed = [r for r in readings if r.layout.startswith(("profile:", "selectors"))]
    if fixed:
        return fixed[0], ()
    best, why = _best(readings)
    if previous_layout and previous_layout != best.layout:
        kept = next((r for r in readings if r.layout == previous_layout), None)
        if (
            kept is not None
            and _timed(kept) >= 0.9 * _timed(best)
            and len(kept.entries) >= 2
            and not _adds_beside(kept, best)
        ):
            return kept, (f"kept the {previous_layout} reading of the last poll",)
    return best, why


def _best(readings: list[Reading]) -> tuple[Reading, tuple[str, ...]]:
    structured = [r for r in readings if r.layout in STRUCTURED]
    rendered = [r for r in readings if r.layout not in STRUCTURED]
    best_dom = _best_rendered(rendered)
    best_structured = max(structured, key=lambda r: (len(r.entries), r.rank), default=None)
    if best_structured is None:
        assert best_dom is not None
        return best_dom, ()
    if best_dom is None or _timed(best_dom) < 2:
        return best_structured, ()
    shown, held = len(best_dom.entries), len(best_structured.entries)
    if _distinct_times(best_structured) < min(3, held) <= _distinct_times(best_dom):
        return best_dom, (
            f"{best_structured.layout} gives every update the same time; read the page",
        )
    if abs(held - shown) <= max(2, shown // 10):
        return best_structured, ()
    if best_structured.layout in APP_STATE and held > shown:
        return best_structured, (
            f"{best_structured.layout} holds {held} updates, the page renders {shown}; "
            "read the richer source",
        )
    return best_dom, (
        f"{best_structured.layout} holds {held} updates, the page shows {shown}; read the page",
    )


def report(readings: list[Reading], chosen: Reading) -> tuple[Candidate, ...]:
    """What ``parse --explain`` lists: each reading, and the structures discovery weighed."""
    out: list[Candidate] = []
    for reading in readings:
        if reading.entries and not reading.candidates:
            out.append(
                Candidate(
                    layout=reading.layout,
                    entries=len(reading.entries),
                    timed=_timed(reading),
                    score=float(_timed(reading)),
                    verdict="chosen" if reading is chosen else "another reading won",
                    selector=reading.selector,
                )
            )
        for candidate in reading.candidates:
            if reading is chosen or candidate.verdict != "chosen":
                out.append(candidate)
            else:
                out.append(replace(candidate, verdict="its reading lost to another"))
    return tuple(out)


def newest_kept(entries: list[RawEntry], cap: int) -> list[int]:
    """Indexes of the ``cap`` newest entries, in page order: by machine time where
    entries carry one, else by position from the page's newest end."""
    if len(entries) <= cap:
        return list(range(len(entries)))
    newest_on_top = detect_order([e.stamp for e in entries]) is not Order.OLDEST_FIRST

    def age(index: int) -> tuple[float, int]:
        machine = entries[index].stamp.machine
        position = index if newest_on_top else len(entries) - index
        return (-machine.timestamp() if machine is not None else float("inf"), position)

    return sorted(sorted(range(len(entries)), key=age)[:cap])
