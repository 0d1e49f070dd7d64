"""Generated desks: several tickers reporting the same events in their own words.

``generate_desk(seed, language)`` draws a day of events (``phrasebook.KINDS``) and lets
each ticker of the desk report some of them: in its own style (newsticker headline
with kicker and one sentence; live-blog entry with a long body, often without a
headline; bare headline), with its own choice of wording, at its own lag, with its
own printed-time habit (some print a time a few minutes before they publish), some
with an update entry later and some with an edit. Some events only one ticker has.
Deterministic for a seed. The truth is each entry's event.

``Desk.polls()`` gives what each poll of each ticker would feed story matching: the
new entries it saw and the edited ones, with the poll's time.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from stories import StoryEntry
from tests.stories.phrasebook import FILLER, KINDS, NAMES

DAY_START = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
STYLES = ("newsticker", "liveblog", "headline")
KIND_SPACING = timedelta(hours=3)
_PERSON_KINDS = frozenset({"resign", "trial", "election"})


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: str
    at: datetime
    slots: dict[str, str]


@dataclass(frozen=True, slots=True)
class Reported:
    """One generated entry, the event it reports, and its edit if it gets one."""

    entry: StoryEntry
    event: int
    edit: StoryEntry | None = None
    edit_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class Desk:
    language: str
    tickers: tuple[int, ...]
    events: tuple[Event, ...]
    reported: tuple[Reported, ...]
    poll_times: dict[int, tuple[datetime, ...]]

    def polls(self) -> list[tuple[datetime, int, list[StoryEntry]]]:
        """(poll time, ticker, entries new or edited at that poll), in time order."""
        due: dict[tuple[datetime, int], list[StoryEntry]] = defaultdict(list)
        for r in self.reported:
            due[(r.entry.first_seen, r.entry.ticker_id)].append(r.entry)
            if r.edit is not None and r.edit_seen is not None:
                due[(r.edit_seen, r.entry.ticker_id)].append(r.edit)
        return [(at, ticker, due[(at, ticker)]) for at, ticker in sorted(due)]

    def event_of(self) -> dict[tuple[int, str], int]:
        return {r.entry.key: r.event for r in self.reported}


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return text.format(**slots)


def _slots(
    rng: random.Random, language: str, used: set[tuple[str, str]], kind: str, *, people: bool
) -> dict[str, str] | None:
    # Two events of one kind never share their main name (two storms "Nadia" on one
    # day would be one storm to any reader): None when the kind's names ran out. With
    # ``people`` False, nor do two events whose main name is a person's, whatever
    # their kinds: a pool of two dozen names otherwise gives most desks someone who
    # wins an election in one town and is sentenced in another on the same day.
    for _ in range(200):
        slots = {name: rng.choice(pool[language]) for name, pool in NAMES.items()}
        main = (
            slots["storm"]
            if kind == "storm"
            else slots["org"]
            if kind == "layoffs"
            else slots["place"]
        )
        taken = (kind, main)
        if kind in _PERSON_KINDS:
            main = slots["person"]
            taken = (kind if people else "person", main)
        if taken not in used:
            used.add(taken)
            break
    else:
        return None
    n = rng.choice([rng.randint(2, 40), rng.randint(50, 900), rng.randint(1000, 9000)])
    mag = f"{rng.randint(45, 79) / 10:.1f}"
    slots.update(
        n=str(n),
        n2=str(n + rng.randint(3, 60)),
        pct=str(rng.randint(3, 68)),
        mag=mag.replace(".", ",") if language in {"de", "fr"} else mag,
    )
    return slots


def _poll_after(times: tuple[datetime, ...], at: datetime) -> datetime:
    return next(t for t in times if t >= at)


def _write(
    rng: random.Random,
    phrases: dict[str, list[str]],
    style: str,
    slots: dict[str, str],
    language: str,
    *,
    update: bool,
) -> tuple[str, str]:
    headline = _fill(rng, rng.choice(phrases["update" if update else "title"]), slots)
    body = _fill(rng, rng.choice(phrases["body"]), slots)
    if style == "newsticker":
        return f"{_fill(rng, rng.choice(phrases['kicker']), slots)}: {headline}", body.split(". ")[
            0
        ] + "."
    if style == "headline":
        return headline, ""
    filler = rng.sample(FILLER[language], 2)
    text = " ".join([filler[0], body, filler[1]] if rng.random() < 0.3 else [body, *filler])
    if update:
        text = headline + ". " + text
    return (headline if rng.random() < 0.5 else ""), text


def generate_desk(
    seed: int,
    language: str,
    *,
    tickers: int = 4,
    events: int = 30,
    hours: int = 12,
    kind_spacing: timedelta = KIND_SPACING,
    people: bool = False,
) -> Desk:
    """``events`` events over ``hours`` reported by ``tickers`` tickers in ``language``.

    Two events of one kind are at least ``kind_spacing`` apart; with ``people`` True
    one person may be the main name of events of different kinds (a resignation and a
    trial) on the same desk."""
    rng = random.Random(f"{seed}-{language}")
    ids = tuple(range(1, tickers + 1))
    style = {t: STYLES[(t + seed) % len(STYLES)] for t in ids}
    backdates = {t: rng.random() < 0.5 for t in ids}
    transcribes = {t: language == "de" and rng.random() < 0.3 for t in ids}
    end = DAY_START + timedelta(hours=hours + 4)
    poll_times: dict[int, tuple[datetime, ...]] = {}
    for t in ids:
        interval = timedelta(minutes=rng.randint(3, 10))
        at, times = DAY_START + timedelta(seconds=rng.randint(0, 300)), []
        while at < end:
            times.append(at)
            at += interval
        poll_times[t] = tuple(times)
    used: set[tuple[str, str]] = set()
    drawn: list[Event] = []
    for event_id in range(1, events + 1):
        at = DAY_START + timedelta(minutes=30 + rng.randint(0, hours * 60 - 60))
        for kind in rng.sample(sorted(KINDS), len(KINDS)):
            # Two events of a kind are at least kind_spacing apart: a newsroom day
            # does not bring six separate airport strikes within two hours (and a
            # reader would call that one story). The hard case (an hour apart) is
            # measured on its own in test_generated.py.
            if any(e.kind == kind and abs(e.at - at) < kind_spacing for e in drawn):
                continue
            slots = _slots(rng, language, used, kind, people=people)
            if slots is not None:
                drawn.append(Event(event_id, kind, at, slots))
                break
    reported: list[Reported] = []
    counter = dict.fromkeys(ids, 0)
    for event in drawn:
        if rng.random() < 0.2:
            covering = [rng.choice(ids)]
        else:
            covering = [t for t in ids if rng.random() < 0.7]
            while len(covering) < 2:
                covering = sorted(set(covering) | {rng.choice(ids)})
        rng.shuffle(covering)
        phrases = KINDS[event.kind][language]
        for rank, ticker in enumerate(covering):
            lag = rng.uniform(0, 5) if rank == 0 else rng.uniform(2, 45)
            published = event.at + timedelta(minutes=lag)
            for update in (False, True):
                if update:
                    if rng.random() >= 0.25:
                        break
                    published += timedelta(minutes=rng.uniform(20, 120))
                title, text = _write(
                    rng, phrases, style[ticker], event.slots, language, update=update
                )
                if transcribes[ticker]:
                    title, text = title.translate(_UMLAUTS), text.translate(_UMLAUTS)
                printed = (
                    published - timedelta(minutes=rng.uniform(0, 8))
                    if backdates[ticker]
                    else published
                )
                seen = _poll_after(poll_times[ticker], published)
                counter[ticker] += 1
                entry = StoryEntry(
                    ticker_id=ticker,
                    entry_id=f"t{ticker}-{counter[ticker]}",
                    title=title,
                    text=text,
                    first_seen=seen,
                    printed=printed.replace(second=0, microsecond=0),
                    link=f"https://ticker{ticker}.example/{counter[ticker]}",
                )
                edit = edit_seen = None
                if rng.random() < 0.15:
                    edit_seen = _poll_after(
                        poll_times[ticker], seen + timedelta(minutes=rng.uniform(10, 60))
                    )
                    # An entry without a headline stays without one: a newsroom
                    # that edits it adds to its text, not a bare "(updated)" line.
                    marked = entry.title and entry.title + (
                        " (aktualisiert)"
                        if language == "de"
                        else " (updated)"
                        if language == "en"
                        else " (mis à jour)"
                    )
                    edit = replace(
                        entry, title=marked, text=entry.text + " " + rng.choice(FILLER[language])
                    )
                reported.append(Reported(entry, event.id, edit, edit_seen))
    return Desk(language, ids, tuple(drawn), tuple(reported), poll_times)
