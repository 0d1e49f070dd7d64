"""Raw bodies as keyframes plus one-step deltas (storage.deltas): the codec, the choice
of form, reading back through every store, damage, deleting, and two tickers at once."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from diffing.model import Diff, PollOutcome
from storage import (
    BodyNotFound,
    NewTicker,
    PollRecord,
    SqlStore,
    Store,
    TickerId,
    create_engine_for,
    upgrade,
)
from storage.codec import Codec, pack, pack_delta, sha256_hex, unpack
from storage.deltas import (
    DELTA_SHARE,
    MAX_DELTAS,
    Keyframe,
    keeps_delta,
    open_body,
    pack_for_ticker,
    tries_delta,
)
from storage.engine import alembic_config
from storage.errors import CorruptBody, InvalidValue
from storage.sql_bodies import RAW_BODY
from tests.storage.builders import CREATED, START
from tests.storage.conftest import SqlBackend

WORDS = [f"wort{i}" for i in range(3000)]


def pages(seed: int, count: int) -> list[bytes]:
    """``count`` successive captures of one live page: each adds an item on top and
    edits one below, as a ticker does between polls (about 60 KB each)."""
    rng = random.Random(seed)

    def item() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(12))

    items = [item() for _ in range(400)]
    captures = []
    for _ in range(count):
        items.insert(0, item())
        items[rng.randrange(1, len(items))] = item()
        listed = "".join(f"<li><p>{text}</p></li>" for text in items[:400])
        captures.append(f"<html><body><ul>{listed}</ul></body></html>".encode())
    return captures


def record(store: Store, ticker_id: TickerId, body: bytes, minute: int) -> None:
    """A poll that brought ``body`` (its entries unchanged: the store keeps the bytes)."""
    poll = PollRecord(
        ticker_id=ticker_id,
        started_at=START + timedelta(minutes=minute),
        duration_ms=100,
        outcome=PollOutcome.UNCHANGED,
        http_status=200,
        bytes=len(body),
    )
    store.record_poll(poll, body, None, Diff(PollOutcome.UNCHANGED))


def add(store: Store, name: str) -> TickerId:
    return store.add(NewTicker(f"https://www.example.test/{name}", name), created_at=CREATED).id


def forms(backend: SqlBackend) -> dict[str, str | None]:
    """Every stored body's key and the keyframe it names (None: a whole page)."""
    with backend.engine.connect() as connection:
        rows = connection.execute(select(RAW_BODY.c.sha256, RAW_BODY.c.keyframe_sha256))
        return {row.sha256: row.keyframe_sha256 for row in rows}


# The codec and the choice of form: pure functions.


@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=4000), keyframe=st.binary(min_size=1, max_size=4000))
def test_a_delta_round_trips_against_any_keyframe(body: bytes, keyframe: bytes) -> None:
    delta = pack_delta(body, keyframe=keyframe, keyframe_sha256=sha256_hex(keyframe))
    assert (delta.sha256, delta.codec, delta.size) == (sha256_hex(body), Codec.ZSTD, len(body))
    assert unpack("zstd", delta.data, sha256=delta.sha256, keyframe=keyframe) == body
    assert open_body(delta, pack(keyframe)) == body


@settings(max_examples=30, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 59_000), st.binary(min_size=1, max_size=40))))
def test_an_edited_page_is_stored_as_a_small_delta(edits: list[tuple[int, bytes]]) -> None:
    first = pages(1, 1)[0]
    edited = bytearray(first)
    for at, inserted in edits[:20]:
        edited[at : at + len(inserted)] = inserted
    keyframe = Keyframe(sha256_hex(first), len(pack(first).data), deltas=0)
    packed = pack_for_ticker(bytes(edited), keyframe, first)
    if sha256_hex(bytes(edited)) != keyframe.sha256:
        assert packed.keyframe_sha256 == keyframe.sha256
        assert len(packed.data) <= DELTA_SHARE * keyframe.stored_size
    assert open_body(packed, pack(first)) == bytes(edited)


def test_the_choice_of_form() -> None:
    first, second = pages(2, 2)
    keyframe = Keyframe(sha256_hex(first), len(pack(first).data), deltas=0)
    assert not tries_delta(None)
    assert tries_delta(keyframe)
    assert not tries_delta(Keyframe(keyframe.sha256, keyframe.stored_size, MAX_DELTAS))
    assert pack_for_ticker(second, None, None) == pack(second)  # a ticker's first body
    assert pack_for_ticker(second, keyframe, None) == pack(second)  # keyframe unreadable
    full = Keyframe(keyframe.sha256, keyframe.stored_size, MAX_DELTAS)
    assert pack_for_ticker(second, full, first) == pack(second)  # enough deltas on it
    delta = pack_for_ticker(second, keyframe, first)
    assert delta.keyframe_sha256 == keyframe.sha256
    assert keeps_delta(delta, keyframe)
    unrelated = random.Random(3).randbytes(50_000)  # nothing in common: a new keyframe
    assert pack_for_ticker(unrelated, keyframe, first) == pack(unrelated)


def test_a_delta_needs_its_own_whole_keyframe() -> None:
    first, second, third = pages(4, 3)
    delta = pack_delta(second, keyframe=first, keyframe_sha256=sha256_hex(first))
    with pytest.raises(CorruptBody, match="missing"):
        open_body(delta, None)
    with pytest.raises(CorruptBody, match="missing"):
        open_body(delta, pack(third))  # another row than the one named
    chained = pack_delta(first, keyframe=third, keyframe_sha256=sha256_hex(third))
    with pytest.raises(CorruptBody, match="a delta itself"):
        open_body(delta, chained)
    damaged = pack(third)
    with pytest.raises(CorruptBody, match=f"keyframe {sha256_hex(first)}.*damaged"):
        open_body(delta, type(damaged)(sha256_hex(first), Codec.ZSTD, 1, damaged.data))
    with pytest.raises(CorruptBody, match="cannot be decompressed"):
        unpack("zstd", b"not zstd at all", sha256=delta.sha256)
    with pytest.raises(InvalidValue):
        unpack("gzip", delta.data, sha256=delta.sha256, keyframe=first)
    with pytest.raises(InvalidValue):
        pack_delta(second, keyframe=b"", keyframe_sha256=sha256_hex(b""))


# Through every store.


def test_every_body_reads_back_and_deltas_are_small(store: Store) -> None:
    ticker = add(store, "a")
    captures = pages(5, 12)
    for minute, body in enumerate(captures):
        record(store, ticker, body, minute)
    for body in captures:
        assert store.raw_body(sha256_hex(body)) == body
    stats = store.stats(ticker)
    whole = sum(len(pack(b).data) for b in captures)
    assert stats.bodies == len(captures)
    assert stats.stored_bytes < whole / 4  # one keyframe, eleven small deltas


def test_a_delta_never_names_a_delta(sql: SqlBackend) -> None:
    ticker = add(sql.store, "a")
    captures = pages(6, MAX_DELTAS + 8)  # more than one keyframe's worth
    for minute, body in enumerate(captures):
        record(sql.store, ticker, body, minute)
    stored = forms(sql)
    keyframes = {sha for sha, keyframe in stored.items() if keyframe is None}
    assert set(stored) == {sha256_hex(b) for b in captures}
    assert len(keyframes) >= 2  # MAX_DELTAS deltas at most per keyframe
    assert {keyframe for keyframe in stored.values() if keyframe is not None} <= keyframes
    per_keyframe = [sum(1 for k in stored.values() if k == key) for key in keyframes]
    assert max(per_keyframe) <= MAX_DELTAS
    # The keyframe is the ticker's own, so a body is read from at most two rows.
    assert stored[sha256_hex(captures[1])] == sha256_hex(captures[0])


def test_a_damaged_keyframe_fails_its_deltas_clearly_and_is_not_built_on(
    sql: SqlBackend,
) -> None:
    ticker = add(sql.store, "a")
    first, second, third, fourth = pages(7, 4)
    for minute, body in enumerate((first, second, third)):
        record(sql.store, ticker, body, minute)
    keyframe = sha256_hex(first)
    with sql.engine.begin() as connection:
        connection.execute(
            update(RAW_BODY)
            .where(RAW_BODY.c.sha256 == keyframe)
            .values(data=pack(b"<html>something else</html>").data)
        )
    for body in (second, third):
        with pytest.raises(CorruptBody, match=f"keyframe {keyframe}.*damaged"):
            sql.store.raw_body(sha256_hex(body))
    record(sql.store, ticker, fourth, 3)
    assert forms(sql)[sha256_hex(fourth)] is None  # stored whole: the next keyframe
    assert sql.store.raw_body(sha256_hex(fourth)) == fourth


def test_removing_a_ticker_keeps_a_keyframe_another_tickers_body_needs(store: Store) -> None:
    a, b = add(store, "a"), add(store, "b")
    first, second, third = pages(8, 3)
    for minute, body in enumerate((first, second, third)):
        record(store, a, body, minute)
    record(store, b, third, 10)  # stored already, as a delta against a's keyframe

    store.remove(a)

    assert store.raw_body(sha256_hex(third)) == third  # its keyframe stayed
    with pytest.raises(BodyNotFound):
        store.raw_body(sha256_hex(second))  # a's own delta went
    stats = store.stats(b)
    assert (stats.bodies, stats.raw_bytes) == (1, len(third))

    store.remove(b)

    for body in (first, second, third):  # the last delta took its keyframe with it
        with pytest.raises(BodyNotFound):
            store.raw_body(sha256_hex(body))


def test_removing_a_ticker_leaves_no_row_behind(sql: SqlBackend) -> None:
    a, b = add(sql.store, "a"), add(sql.store, "b")
    for minute, body in enumerate(pages(9, 5)):
        record(sql.store, a, body, minute)
    kept = pages(10, 3)
    for minute, body in enumerate(kept):
        record(sql.store, b, body, minute)
    sql.store.remove(a)
    assert set(forms(sql)) == {sha256_hex(body) for body in kept}


def test_two_tickers_written_at_once(sql: SqlBackend) -> None:
    """Two pollers of different tickers record at the same time: each body is stored
    once, reads back, and every delta names a keyframe of its own ticker."""
    tickers = {add(sql.store, "a"): pages(11, 20), add(sql.store, "b"): pages(12, 20)}
    shared = pages(13, 1)[0]  # both tickers also fetch these same bytes
    start = threading.Barrier(len(tickers))
    failures: list[BaseException] = []

    def poller(ticker: TickerId, captures: list[bytes]) -> Callable[[], None]:
        def run() -> None:
            try:
                start.wait()
                for minute, body in enumerate([*captures[:10], shared, *captures[10:]]):
                    record(sql.store, ticker, body, minute)
            except BaseException as error:  # reported by the test thread
                failures.append(error)

        return run

    threads = [threading.Thread(target=poller(t, c)) for t, c in tickers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stored = forms(sql)
    for captures in tickers.values():
        own = {sha256_hex(body) for body in [*captures, shared]}
        for body in captures:
            assert sql.store.raw_body(sha256_hex(body)) == body
            keyframe = stored[sha256_hex(body)]
            assert keyframe is None or (keyframe in own and stored[keyframe] is None)
    assert sql.store.raw_body(sha256_hex(shared)) == shared


def test_the_downgrade_stores_every_delta_whole_again(sql: SqlBackend) -> None:
    """And after the upgrade, the whole rows written before it read back and serve as
    keyframes."""
    ticker = add(sql.store, "a")
    *captures, later = pages(14, 5)
    for minute, body in enumerate(captures):
        record(sql.store, ticker, body, minute)
    assert sum(1 for k in forms(sql).values() if k is not None) == 3
    sql.store.close()  # the migration needs the database to itself
    config = alembic_config(sql.url)
    below = ScriptDirectory.from_config(config).get_revision("0016_body_deltas")
    assert below is not None
    assert isinstance(below.down_revision, str)
    command.downgrade(config, below.down_revision)

    engine = create_engine_for(sql.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT sha256, codec, data FROM raw_body")).all()
    finally:
        engine.dispose()
    assert {row.sha256 for row in rows} == {sha256_hex(body) for body in captures}
    for row in rows:  # readable without any keyframe
        assert unpack(row.codec, row.data, sha256=row.sha256) in captures
    upgrade(sql.url)

    store = SqlStore(create_engine_for(sql.url))
    try:
        for body in captures:
            assert store.raw_body(sha256_hex(body)) == body
        record(store, ticker, later, len(captures))
        assert store.raw_body(sha256_hex(later)) == later
    finally:
        store.close()
    assert forms(sql)[sha256_hex(later)] == sha256_hex(captures[-1])  # the latest whole row
