"""Invariants of the differ over generated pages (hypothesis)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from diffing.assignment import assign
from diffing.model import ChangeKind, PollOutcome
from ingest.model import Entry
from tests.diffing.builders import Ticker, entry

WORDS = [
    "Gipfel",
    "Delegation",
    "Polizei",
    "Innenstadt",
    "Sonderzug",
    "Börse",
    "Sprecher",
    "Regierung",
    "Abend",
    "Verhandlungen",
    "Ehrengarde",
    "Hafenstadt",
    "Bahnsteig",
    "Nationalhymne",
    "Protest",
    "Wirtschaft",
    "Sanktionen",
    "Botschafter",
    "Flughafen",
    "Pressekonferenz",
    "die",
    "der",
    "das",
    "ist",
    "wurde",
    "hat",
    "mit",
    "am",
    "im",
    "nach",
    "vor",
    "bei",
    "und",
    "nicht",
    "auch",
    "erstmals",
    "weiter",
    "geplant",
    "gesperrt",
    "bestätigt",
]

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=30).map(
    lambda ws: " ".join(ws) + "."
)
headlines = st.one_of(
    st.none(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
)


@st.composite
def pages(draw: st.DrawFn, min_size: int = 1, unique: bool = False) -> list[Entry]:
    """Entries newest first, with strictly descending times (or none at all); texts
    may repeat unless ``unique``."""
    texts = draw(st.lists(sentences, min_size=min_size, max_size=25, unique=unique))
    timed = draw(st.booleans())
    start = draw(st.integers(min_value=len(texts) * 3, max_value=23 * 60))
    steps = draw(st.lists(st.integers(1, 3), min_size=len(texts), max_size=len(texts)))
    out = []
    minute = start
    for text, step in zip(texts, steps, strict=True):
        time = f"{minute // 60:02d}:{minute % 60:02d}" if timed else None
        out.append(entry(text, headline=draw(headlines), time=time))
        minute -= step
    return out


def invisible_noise(rng: random.Random, text: str) -> str:
    out = []
    for word in text.split(" "):
        if len(word) > 3 and rng.random() < 0.3:
            cut = rng.randrange(1, len(word))
            word = word[:cut] + rng.choice(["\u00ad", "\u200b"]) + word[cut:]
        out.append(word)
    joiners = [" ", "  ", "\u00a0", "\n", " \n\n "]
    return (
        rng.choice(["", " ", "\n"])
        + "".join(w + (rng.choice(joiners) if i < len(out) - 1 else "") for i, w in enumerate(out))
        + rng.choice(["", " ", "\u00a0"])
    )


def first_poll(entries: list[Entry]) -> Ticker:
    ticker = Ticker()
    ticker.poll(*entries)
    return ticker


@settings(max_examples=150, deadline=None)
@given(pages())
def test_page_diffed_against_itself_yields_nothing(entries: list[Entry]) -> None:
    ticker = first_poll(entries)
    result = ticker.poll(*entries)  # same page, new bytes
    assert result.outcome is PollOutcome.FRESH
    assert result.changes == ()
    assert result.statuses == ()
    assert not any(p.is_new or p.revised for p in result.placements)


@settings(max_examples=150, deadline=None)
@given(pages(), st.randoms(use_true_random=False))
def test_whitespace_only_changes_yield_nothing(entries: list[Entry], rng: random.Random) -> None:
    ticker = first_poll(entries)
    noisy = [
        entry(
            invisible_noise(rng, e.text),
            headline=None if e.headline is None else invisible_noise(rng, e.headline),
            time=e.time_label,
        )
        for e in entries
    ]
    result = ticker.poll(*noisy)
    assert result.changes == ()
    assert result.statuses == ()


@settings(max_examples=150, deadline=None)
@given(pages(), st.randoms(use_true_random=False))
def test_shuffling_unchanged_entries_yields_nothing(
    entries: list[Entry], rng: random.Random
) -> None:
    ticker = first_poll(entries)
    shuffled = list(entries)
    rng.shuffle(shuffled)
    result = ticker.poll(*shuffled)
    assert result.outcome is PollOutcome.FRESH
    assert result.changes == ()


@settings(max_examples=150, deadline=None)
@given(pages(min_size=3, unique=True), st.data())
def test_removing_one_mid_page_entry_yields_exactly_one_removal(
    entries: list[Entry], data: st.DataObject
) -> None:
    # Unique texts: which of several identical untimed entries vanished is unknowable.
    ticker = first_poll(entries)
    gone = data.draw(st.integers(min_value=1, max_value=len(entries) - 2))
    result = ticker.poll(*(e for i, e in enumerate(entries) if i != gone))
    assert result.outcome is PollOutcome.FRESH
    assert [c.kind for c in result.changes] == [ChangeKind.REMOVED]
    removed = result.changes[0]
    assert removed.previous is not None
    assert removed.previous.text == entries[gone].text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.floats(0.01, 5, allow_nan=False)),
        max_size=14,
    )
)
def test_assignment_is_a_maximum_weight_matching(edges: list[tuple[int, int, float]]) -> None:
    weights: dict[tuple[int, int], float] = {}
    for r, c, w in edges:
        weights[(r, c)] = w
    chosen = assign([(r, c, w) for (r, c), w in weights.items()])
    rows = [r for r, _ in chosen]
    cols = [c for _, c in chosen]
    assert len(set(rows)) == len(rows)
    assert len(set(cols)) == len(cols)
    assert all(pair in weights for pair in chosen)
    best = 0.0
    for size in range(len(weights) + 1):
        for subset in itertools.combinations(weights, size):
            if len({r for r, _ in subset}) == size == len({c for _, c in subset}):
                best = max(best, sum(weights[p] for p in subset))
    assert abs(sum(weights[p] for p in chosen) - best) < 1e-9


long_sentences = (
    st.lists(st.sampled_from(WORDS), min_size=15, max_size=30)
    .map(" ".join)
    .filter(lambda s: len(s) >= 100)
)


@settings(max_examples=100, deadline=None)
@given(st.lists(long_sentences, min_size=2, max_size=12, unique=True), st.data())
def test_one_changed_word_is_one_edit_of_that_entry(texts: list[str], data: st.DataObject) -> None:
    entries = [entry(t, time=f"12:{50 - i:02d}") for i, t in enumerate(texts)]
    ticker = Ticker()
    first = ticker.poll(*entries)
    target = data.draw(st.integers(0, len(texts) - 1))
    words = texts[target].split(" ")
    slot = data.draw(st.integers(0, len(words) - 1))
    words[slot] = data.draw(st.sampled_from([w for w in WORDS if w != words[slot]]))
    edited = list(entries)
    edited[target] = entry(" ".join(words), time=entries[target].time_label)
    result = ticker.poll(*edited)
    assert [(c.kind, c.entry_id) for c in result.changes] == [
        (ChangeKind.EDITED, ticker.id_at(first, target))
    ]
