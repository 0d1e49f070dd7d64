"""Story matching cost over a day, as a ratio to the poll's own diff in the same run.

    .venv/bin/python bench/bench_stories.py [--tickers 50] [--per-day 500] [--page 100]
                                            [--polls 25] [--repeat 5]

A desk of --tickers tickers, each filing --per-day entries a day (newsticker headline and
a sentence of ticker prose; a third of the day's events are reported by several tickers
in their own words). The day is filed into stories hour by hour with ``stories.place``;
after the first hour (hour 1), once the 12-hour window is full (hour 12) and at the end
of the day (hour 23), the next --polls polls are timed one after another, each from the
state the previous one left (as polling files them): ``place`` of the poll's new entry,
and ``diffing.diff`` of that poll's page (the ticker's newest --page entries, one of them
new) against the ticker's known state, each the best of --repeat (garbage collection
paused, see :func:`best_of`). Printed: the medians
over the polls, their ratio, and how the place time grew over the day. ``place`` only
ever sees the window (``StoryConfig.retain``) and changes the persistent state by what
the poll touches, so from hour 12 on the cost should stay flat however many stories the
day had.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from diffing import advance, diff
from diffing.model import TickerState
from ingest.model import Entry, Order, ParsedPage, TimeSource
from stories import DeskState, StoryEntry, place

DAY = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
URL = "https://www.example.test/news/bench"
SYLLABLES = (  # noqa: SIM905  (one readable line of syllables, not 36 list items)
    "ge ver ta ri on ka lo mi ne bahn stadt zug rat vor an ter men heit lich ung "
    "spre cher po li zei gip fel wirt schaft ha fen de le ga ti markt"
).split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def name(rng: random.Random) -> str:
    return word(rng).capitalize()


def desk_day(tickers: int, per_day: int, seed: int = 5) -> list[StoryEntry]:
    """The day's entries of every ticker, oldest first."""
    rng = random.Random(seed)
    out: list[StoryEntry] = []
    count = dict.fromkeys(range(1, tickers + 1), 0)
    events = tickers * per_day * 2 // 3
    for _ in range(events):
        at = DAY + timedelta(seconds=rng.randrange(86_400))
        names = [name(rng) for _ in range(2)]
        core = [word(rng) for _ in range(4)]
        reporters = rng.sample(range(1, tickers + 1), 3 if rng.random() < 0.25 else 1)
        for ticker in reporters:
            count[ticker] += 1
            wording = rng.sample(core, 3) + [word(rng) for _ in range(3)]
            title = f"{names[0]}: " + " ".join(wording[:4]) + f" {names[1]}"
            text = " ".join(wording + [word(rng) for _ in range(12)]).capitalize() + "."
            seen = at + timedelta(minutes=rng.uniform(0, 40))
            out.append(StoryEntry(ticker, f"t{ticker}-{count[ticker]}", title, text, seen, seen))
    out.sort(key=lambda e: (e.first_seen, e.ticker_id, e.entry_id))
    return out


def page_of(entries: list[StoryEntry], observed_at: datetime) -> ParsedPage:
    rows = sorted(entries, key=lambda e: e.first_seen, reverse=True)
    return ParsedPage(
        url=URL,
        observed_at=observed_at,
        layout="bench",
        headline="Bench",
        entries=tuple(
            Entry(
                position=i,
                text=e.text,
                headline=e.title,
                time=e.first_seen,
                time_label=e.first_seen.strftime("%H:%M"),
                time_source=TimeSource.LABEL,
            )
            for i, e in enumerate(rows)
        ),
        order=Order.NEWEST_FIRST,
    )


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, with the cyclic garbage collector paused while
    they run (as ``timeit`` does): a full collection walks every object of the desk's
    state, and whether one falls into a timed call is chance, which made the hour-23
    median swing by half from one run to the next."""
    gc.collect()
    gc.disable()
    try:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        gc.enable()


@dataclass(frozen=True)
class Measured:
    place: float  # seconds, median over the polls
    diff: float
    stories: int  # in the window when the first timed poll came


def measure_polls(
    day: list[StoryEntry], state: DeskState, polls: list[StoryEntry], page_size: int, repeat: int
) -> tuple[DeskState, Measured]:
    """Time each of ``polls`` (one new entry each, filed one after another as polling
    would) against the state the previous poll left: ``place`` of its entry and
    ``diff`` of its ticker's page; the state after the last one and the medians."""
    stories = len(state.stories)
    placing, diffing = [], []
    for new in polls:
        own = [e for e in day if e.ticker_id == new.ticker_id and e.first_seen < new.first_seen]
        known_page = page_of(own[-page_size:], new.first_seen - timedelta(minutes=1))
        empty = TickerState()
        known = advance(
            empty, known_page, diff(empty, known_page, body_sha256="a"), body_sha256="a"
        )
        poll_page = page_of([*own[-page_size + 1 :], new], new.first_seen)
        placing.append(best_of(repeat, partial(place, state, [new], new.first_seen)))
        diffing.append(best_of(repeat, partial(diff, known, poll_page, body_sha256="b")))
        state, _ = place(state, [new], new.first_seen)
    return state, Measured(statistics.median(placing), statistics.median(diffing), stories)


def measure_day(
    day: list[StoryEntry], hours: tuple[int, ...], polls: int, page_size: int, repeat: int
) -> dict[int, Measured]:
    """File the day hour by hour; at the start of each of ``hours``, time ``polls``
    polls one by one (see :func:`measure_polls`), then go on with the day."""
    state = DeskState()
    results: dict[int, Measured] = {}
    done = 0  # entries of the day filed so far
    for hour in range(max(hours) + 1):
        end = DAY + timedelta(hours=hour)
        if hour in hours:
            timed = day[done : done + polls]
            state, results[hour] = measure_polls(day, state, timed, page_size, repeat)
            done += len(timed)
        batch = [e for e in day[done:] if e.first_seen < end + timedelta(hours=1)]
        state, _ = place(state, batch, end + timedelta(hours=1))
        done += len(batch)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickers", type=int, default=50)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--polls", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    day = desk_day(args.tickers, args.per_day)
    print(f"desk: {args.tickers} tickers, {len(day)} entries in the day")
    results = measure_day(day, (1, 12, 23), args.polls, args.page, args.repeat)
    for hour, got in results.items():
        print(
            f"hour {hour:2d}: {got.stories:6d} stories in the window; "
            f"place {got.place * 1e3:8.2f} ms, diff {got.diff * 1e3:8.2f} ms, "
            f"place/diff {got.place / got.diff:6.2f} (medians of {args.polls} polls)"
        )
    print(
        f"growth of place: hour 1 -> 23 x{results[23].place / results[1].place:.2f} "
        f"(the window filling), hour 12 -> 23 x{results[23].place / results[12].place:.2f} "
        "(window full: the day growing)"
    )


if __name__ == "__main__":
    main()
