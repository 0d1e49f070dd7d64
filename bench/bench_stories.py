"""Story matching cost over a day, as a ratio to the poll's own diff in the same run.

    .venv/bin/python bench/bench_stories.py [--tickers 50] [--per-day 500] [--page 100]
                                            [--repeat 5]

A desk of --tickers tickers, each filing --per-day entries a day (newsticker headline and
a sentence of ticker prose; a third of the day's events are reported by several tickers
in their own words). The day is filed into stories hour by hour with ``stories.place``;
at the start of the day (hour 1), once the 12-hour window is full (hour 12) and at the
end of the day (hour 23) one poll of one ticker is timed: ``place`` of that poll's new
entry, and ``diffing.diff`` of that poll's page (the ticker's newest --page entries, one
of them new) against the ticker's known state, best of --repeat. Printed: both times,
their ratio, and how the place time grew over the day. ``place`` only ever sees the
window (``StoryConfig.retain``) and changes the persistent state by what the poll
touches, so from hour 12 on the cost should stay flat however many stories the day had.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def measure_at(
    day: list[StoryEntry], hour: int, page_size: int, repeat: int
) -> tuple[float, float, int]:
    """(place seconds, diff seconds, stories in the state) for one poll at ``hour``."""
    cut = DAY + timedelta(hours=hour)
    state = DeskState()
    for h in range(hour):
        end = DAY + timedelta(hours=h + 1)
        batch = [e for e in day if end - timedelta(hours=1) <= e.first_seen < end]
        state, _ = place(state, batch, end)
    new = next(e for e in day if e.first_seen >= cut)
    own = [e for e in day if e.ticker_id == new.ticker_id and e.first_seen < new.first_seen]
    known_page = page_of(own[-page_size:], new.first_seen - timedelta(minutes=1))
    known = advance(
        TickerState(), known_page, diff(TickerState(), known_page, body_sha256="a"), body_sha256="a"
    )
    poll_page = page_of([*own[-page_size + 1 :], new], new.first_seen)
    placing = best_of(repeat, lambda: place(state, [new], new.first_seen))
    diffing = best_of(repeat, lambda: diff(known, poll_page, body_sha256="b"))
    return placing, diffing, len(state.stories)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickers", type=int, default=50)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    day = desk_day(args.tickers, args.per_day)
    print(f"desk: {args.tickers} tickers, {len(day)} entries in the day")
    results = {}
    for hour in (1, 12, 23):
        placing, diffing, stories = measure_at(day, hour, args.page, args.repeat)
        results[hour] = placing
        print(
            f"hour {hour:2d}: {stories:6d} stories in the window; place {placing * 1e3:8.2f} ms, "
            f"diff {diffing * 1e3:8.2f} ms, place/diff {placing / diffing:6.2f}"
        )
    print(
        f"growth of place: hour 1 -> 23 x{results[23] / results[1]:.2f} (the window filling), "
        f"hour 12 -> 23 x{results[23] / results[12]:.2f} (window full: the day growing)"
    )


if __name__ == "__main__":
    main()
