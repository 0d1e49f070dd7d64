"""Matching cost for large tickers, as a ratio to pairwise SequenceMatcher in the same run.

    .venv/bin/python bench/bench_matching.py [--sizes 200 1000 5000] [--repeat 3]

For each size N a synthetic ticker of N entries (one a minute, 100-400 characters of
ticker prose) is known to the differ; the next poll shows it with 5 % of the entries
edited (a typo, a reworded clause or an appended sentence) and 2 % new entries filed
in. Measured: ``diffing.match`` (identity of every entry) and the whole ``diffing.diff``
(matching, classification with word diffs), best of --repeat runs.

The baseline is what a naive differ does: ``difflib.SequenceMatcher(None, a, b).ratio()``
for every (page entry, known entry) pair. It is timed over all pairs for sizes up to
--full-baseline; beyond, over a random sample of pairs and scaled to all N_page × N_known
pairs (the output says so). The run also checks that every unchanged and edited entry
kept its id and every new entry was found new.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diffing import advance, diff, match
from diffing.model import TickerState
from ingest.model import Entry, Order, ParsedPage, TimeSource

ZONE = ZoneInfo("Europe/Berlin")
URL = "https://www.example.test/live/bench"
SYLLABLES = (  # noqa: SIM905  (one readable line of syllables, not 36 list items)
    "ge ver ta ri on ka lo mi ne bahn stadt zug rat vor an ter men heit lich ung "
    "spre cher po li zei gip fel wirt schaft ha fen de le ga ti markt"
).split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def sentence(rng: random.Random) -> str:
    words = [word(rng) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = sentence(rng)
    while len(text) < rng.randint(100, 400):
        text += " " + sentence(rng)
    return text


def edit(rng: random.Random, text: str) -> str:
    kind = rng.randrange(3)
    words = text.split(" ")
    if kind == 0:  # a typo: two letters swapped in one word
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        else:
            words[i] = w + "e"
        return " ".join(words)
    if kind == 1:  # a clause reworded
        i = rng.randrange(max(1, len(words) - 3))
        words[i : i + 3] = [word(rng) for _ in range(3)]
        return " ".join(words)
    return text + " " + sentence(rng)  # an update appended


def entries_at(texts: list[str], minutes: list[int], start: datetime) -> tuple[Entry, ...]:
    out = []
    for position, (text, minute) in enumerate(zip(texts, minutes, strict=True)):
        moment = start - timedelta(minutes=minute)
        out.append(
            Entry(
                position=position,
                text=text,
                time=moment,
                time_label=moment.strftime("%H:%M"),
                time_source=TimeSource.LABEL,
            )
        )
    return tuple(out)


def scenario(n: int, seed: int = 7) -> tuple[TickerState, ParsedPage, dict[str, object]]:
    rng = random.Random(seed)
    start = datetime(2026, 4, 23, 18, 0, tzinfo=ZONE)
    texts = [paragraph(rng) for _ in range(n)]
    minutes = [i * 2 for i in range(n)]  # newest first, one entry every two minutes
    first = ParsedPage(
        url=URL,
        observed_at=start,
        layout="bench",
        headline="Bench",
        entries=entries_at(texts, minutes, start),
        order=Order.NEWEST_FIRST,
    )
    state = advance(
        TickerState(), first, diff(TickerState(), first, body_sha256="1"), body_sha256="1"
    )
    edited = set(rng.sample(range(n), n * 5 // 100))
    new_texts = list(texts)
    for i in edited:
        new_texts[i] = edit(rng, texts[i])
    # New entries filed in: most on top, some late ones between older entries.
    rows: list[tuple[str, int, int | None]] = [
        (t, m, i) for i, (t, m) in enumerate(zip(new_texts, minutes, strict=True))
    ]
    for _ in range(n * 2 // 100):
        spot = 0 if rng.random() < 0.7 else rng.randrange(len(rows))
        rows.insert(spot, (paragraph(rng), rows[spot][1] - 1, None))
    second_at = start + timedelta(minutes=10)
    page = ParsedPage(
        url=URL,
        observed_at=second_at,
        layout="bench",
        headline="Bench",
        entries=entries_at([r[0] for r in rows], [r[1] + 10 for r in rows], second_at),
        order=Order.NEWEST_FIRST,
    )
    ids = [k.entry_id for k in state.entries]
    expected = {pos: (ids[r[2]] if r[2] is not None else None) for pos, r in enumerate(rows)}
    return state, page, {"expected": expected, "edited": len(edited)}


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def baseline(
    page: ParsedPage, state: TickerState, full_up_to: int, sample: int, rng: random.Random
) -> tuple[float, str]:
    a = [e.text for e in page.entries]
    b = [k.version.text for k in state.entries]
    pairs = len(a) * len(b)
    if len(b) <= full_up_to:
        started = time.perf_counter()
        for x in a:
            for y in b:
                difflib.SequenceMatcher(None, x, y).ratio()
        return time.perf_counter() - started, f"all {pairs:,} pairs"
    chosen = [(rng.choice(a), rng.choice(b)) for _ in range(sample)]
    started = time.perf_counter()
    for x, y in chosen:
        difflib.SequenceMatcher(None, x, y).ratio()
    per_pair = (time.perf_counter() - started) / sample
    return per_pair * pairs, f"estimated: {sample:,} sampled × {pairs:,} pairs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full-baseline", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(11)
    print(
        f"{'entries':>7} {'match ms':>9} {'diff ms':>9} {'µs/entry':>9} "
        f"{'SequenceMatcher s':>18} {'ratio':>8}  baseline"
    )
    per_entry = {}
    for n in args.sizes:
        state, page, info = scenario(n)
        found = match(state.entries, page.entries)
        got = {p.position: p.entry_id for p in found.pairs}
        expected = info["expected"]
        assert isinstance(expected, dict)
        wrong = sum(1 for pos, entry_id in expected.items() if got.get(pos) != entry_id)
        if wrong:
            raise SystemExit(f"{n} entries: {wrong} entries matched wrongly")
        t_match = best_of(args.repeat, lambda s=state, p=page: match(s.entries, p.entries))  # type: ignore[misc]
        t_diff = best_of(args.repeat, lambda s=state, p=page: diff(s, p, body_sha256="2"))  # type: ignore[misc]
        t_base, how = baseline(page, state, args.full_baseline, args.sample, rng)
        per_entry[n] = t_match / len(page.entries)
        print(
            f"{n:7d} {t_match * 1000:9.1f} {t_diff * 1000:9.1f} {per_entry[n] * 1e6:9.1f} "
            f"{t_base:18.2f} {t_base / t_match:8.0f}x  {how}"
        )
    sizes = sorted(per_entry)
    if len(sizes) > 1:
        growth = ", ".join(
            f"{a}→{b}: ×{per_entry[b] * b / (per_entry[a] * a):.1f} time for ×{b / a:.0f} entries"
            for a, b in itertools.pairwise(sizes)
        )
        print(f"growth of match time: {growth}")
    print("all unchanged and edited entries kept their ids; new entries were found new")


if __name__ == "__main__":
    main()
