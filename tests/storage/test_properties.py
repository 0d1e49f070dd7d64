"""Round trips over generated values (hypothesis), on every adapter: any Unicode text
without NUL comes back exactly, any aware datetime comes back equal at the same offset.

NUL (U+0000) is refused with InvalidValue (PostgreSQL's text cannot hold it), as is
text with a lone surrogate (no database can encode it); neither is ever altered.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffing.model import Change, ChangeKind, Diff, EntryVersion, Placement, PollOutcome, WordOp
from ingest.model import ParsedPage, TimeSource
from storage import InvalidValue, NewTicker, PollRecord, Store
from tests.storage.builders import CREATED

# One store serves all examples of a test: each example writes its own ticker.
STORE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

texts = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]))
offsets = st.integers(min_value=-86_399, max_value=86_399).map(
    lambda s: timezone(timedelta(seconds=s))
)
# Years 2-9998: any offset keeps the UTC value inside datetime's range.
aware = st.datetimes(
    min_value=datetime(2, 1, 1),  # noqa: DTZ001  (bounds of a strategy that adds zones)
    max_value=datetime(9998, 12, 31),  # noqa: DTZ001
    timezones=offsets,
)
versions = st.builds(
    EntryVersion,
    text=texts,
    headline=st.none() | texts,
    time=st.none() | aware,
    time_label=st.none() | texts,
    time_source=st.sampled_from(TimeSource),
    html=texts,
    native_id=st.none() | texts,
)
word_ops = st.lists(
    st.builds(
        WordOp, op=st.sampled_from(["equal", "insert", "delete", "replace"]), old=texts, new=texts
    ),
    max_size=3,
).map(tuple)


def _write(
    store: Store,
    n: int,
    *,
    version: EntryVersion,
    observed_at: datetime,
    name: str = "Ticker",
    headline: str | None = None,
    ops: tuple[WordOp, ...] = (),
) -> str:
    url = f"https://www.example.test/live/{n}"
    ticker = store.add(NewTicker(url, name), created_at=CREATED)
    entry_id = f"{n:016x}"
    diff = Diff(
        PollOutcome.FRESH,
        placements=(Placement(entry_id, 0, version, is_new=True, revised=False),),
        changes=(
            Change(ChangeKind.ADDED, entry_id, current=version, word_ops=ops),
            Change(ChangeKind.PAGE_RETITLED, None, None, page_headline=headline),
        ),
    )
    page = ParsedPage(url=url, observed_at=observed_at, layout="test", headline=headline)
    record = PollRecord(ticker.id, observed_at, 1, PollOutcome.FRESH, 200)
    store.record_poll(record, f"body {n}".encode(), page, diff)
    return entry_id


def _same_instant_and_offset(got: datetime | None, want: datetime | None) -> None:
    if want is None:
        assert got is None
        return
    assert got is not None
    assert got == want
    assert got.utcoffset() == want.utcoffset()


@STORE_SETTINGS
@given(
    version=versions,
    observed_at=aware,
    name=texts.filter(str.strip),  # a blank name is refused
    headline=st.none() | texts,
    ops=word_ops,
)
def test_text_and_datetimes_round_trip(
    store: Store,
    version: EntryVersion,
    observed_at: datetime,
    name: str,
    headline: str | None,
    ops: tuple[WordOp, ...],
    counter: itertools.count[int],
) -> None:
    n = next(counter)
    entry_id = _write(
        store, n, version=version, observed_at=observed_at, name=name, headline=headline, ops=ops
    )
    history = store.entry_history(entry_id)
    (revision,) = history.revisions
    got = revision.version
    assert (got.text, got.headline, got.html) == (version.text, version.headline, version.html)
    assert (got.time_label, got.time_source, got.native_id) == (
        version.time_label,
        version.time_source,
        version.native_id,
    )
    _same_instant_and_offset(got.time, version.time)
    assert revision.observed_at == observed_at
    assert history.first_seen == observed_at
    assert history.changes[0].word_ops == ops
    ticker = store.get(history.ticker_id)
    assert ticker.name == name
    view = store.ticker_as_of(history.ticker_id, observed_at)
    assert view.page_headline == headline
    assert [e.entry_id for e in view.entries] == [entry_id]


@pytest.fixture
def counter() -> itertools.count[int]:
    return itertools.count(1)


@pytest.mark.parametrize("bad", ["\x00", "vor\x00nach", "\ud800", "a\udfffb"])
def test_nul_and_lone_surrogates_are_refused(store: Store, bad: str) -> None:
    with pytest.raises(InvalidValue):
        store.add(NewTicker("https://www.example.test/live/x", bad), created_at=CREATED)
    version = EntryVersion(text=bad)
    at = datetime(2026, 4, 23, 12, tzinfo=UTC)
    with pytest.raises(InvalidValue):
        _write(store, 1, version=version, observed_at=at)
    # The ticker of the refused poll exists; nothing of the poll does.
    (ticker,) = store.list()
    assert store.stats(ticker.id).polls == 0
