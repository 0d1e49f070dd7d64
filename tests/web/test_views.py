"""What the pages show, as pure functions of stored values: word diffs, an entry's
history, timeline rows, times in and out, forms, raw-page types, feeds and exports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from diffing.model import ChangeKind, EntryStatus, EntryVersion, Field, WordOp
from storage.model import (
    EntryHistory,
    PollId,
    Revision,
    RevisionId,
    SnapshotId,
    StoredChange,
    TickerId,
    default_name,
)
from web.atom import diff_html
from web.diffview import Segment, compact, first_words, segments, word_diff
from web.entryview import entry_view
from web.exports import json_stream
from web.forms import FormError, interval_seconds, ticker_url, zone_name
from web.rawpage import file_name, media_type
from web.templating import duration
from web.timefmt import BadInstant, day_start, input_value, parse_instant, shown
from web.timeline import parse_kinds, timeline_row

BERLIN = ZoneInfo("Europe/Berlin")
T = datetime(2019, 4, 24, 12, 0, tzinfo=UTC)


def revision(n: int, text: str, headline: str | None = None, label: str = "14.01 Uhr") -> Revision:
    return Revision(
        id=RevisionId(n),
        entry_id="e7",
        snapshot_id=SnapshotId(n),
        observed_at=T.replace(hour=12 + n),
        version=EntryVersion(text=text, headline=headline, time_label=label),
    )


def change(
    n: int,
    kind: ChangeKind,
    previous: Revision | None,
    current: Revision | None,
    changed: tuple[Field, ...] = (),
    ops: tuple[WordOp, ...] = (),
) -> StoredChange:
    return StoredChange(
        id=n,
        ticker_id=TickerId(1),
        poll_id=PollId(n),
        snapshot_id=SnapshotId(n),
        observed_at=(current or previous or revision(n, "")).observed_at,
        kind=kind,
        entry_id="e7",
        changed=changed,
        similarity=None,
        word_ops=ops,
        previous=previous,
        current=current,
        page_headline=None,
        previous_page_headline=None,
    )


R1 = revision(1, "Kleine Panne am Bahnhof.")
R2 = revision(2, "Kleine Panne am Bahnhof. Kim trug einen Hut.")
R3 = revision(
    3, "Kleine Panne am Bahnhof. Kim trug einen Hut.", headline="Kim-Panne vor Putin-Besuch"
)
ADDED = change(1, ChangeKind.ADDED, None, R1)
EDITED = change(
    2,
    ChangeKind.EDITED,
    R1,
    R2,
    (Field.TEXT,),
    (
        WordOp("equal", "Kleine Panne am Bahnhof.", "Kleine Panne am Bahnhof."),
        WordOp("insert", "", "Kim trug einen Hut."),
    ),
)
RETITLED = change(3, ChangeKind.RETITLED, R2, R3, (Field.TITLE,))
REMOVED = change(4, ChangeKind.REMOVED, R3, None)


def test_segments_from_stored_ops_and_computed_ones() -> None:
    assert segments((WordOp("equal", "a", "a"), WordOp("replace", "b c", "d"))) == (
        Segment("equal", "a"),
        Segment("delete", "b c"),
        Segment("insert", "d"),
    )
    assert word_diff("der rote Teppich", "der blaue Teppich") == (
        Segment("equal", "der"),
        Segment("delete", "rote"),
        Segment("insert", "blaue"),
        Segment("equal", "Teppich"),
    )
    assert word_diff(None, "Neu da") == (Segment("insert", "Neu da"),)


def test_compact_keeps_context_around_changes() -> None:
    long = " ".join(f"w{i}" for i in range(30))
    diff = (Segment("equal", long), Segment("insert", "neu"), Segment("equal", long))
    shown_segments = compact(diff, context=3)
    assert shown_segments == (
        Segment("equal", "…"),
        Segment("equal", "w27 w28 w29"),
        Segment("insert", "neu"),
        Segment("equal", "w0 w1 w2"),
        Segment("equal", "…"),
    )
    assert first_words("a b c d", 2) == "a b …"


def test_entry_view_lists_changes_newest_first_with_their_diffs() -> None:
    history = EntryHistory(
        entry_id="e7",
        ticker_id=TickerId(1),
        first_seen=R1.observed_at,
        last_seen=R3.observed_at,
        status=EntryStatus.REMOVED,
        position=3,
        native_id=None,
        revisions=(R1, R2, R3),
        changes=(ADDED, EDITED, RETITLED, REMOVED),
    )
    view = entry_view(history)
    assert [c.kind for c in view.changes] == ["removed", "retitled", "edited", "added"]
    removed, retitled, edited, added = view.changes
    assert retitled.headline == (Segment("insert", "Kim-Panne vor Putin-Besuch"),)
    assert retitled.text == ()
    assert edited.text[-1] == Segment("insert", "Kim trug einen Hut.")
    assert added.text == (Segment("insert", "Kleine Panne am Bahnhof."),)
    assert (edited.older, edited.newer) == (1, 3)
    assert (added.older, removed.newer) == (None, None)
    assert [s.headline for s in view.headlines] == [None, "Kim-Panne vor Putin-Besuch"]
    assert view.removed == (REMOVED.observed_at,)
    assert view.title == "Kim-Panne vor Putin-Besuch"


def test_timeline_rows_name_and_summarize_each_change() -> None:
    row = timeline_row(EDITED)
    assert (row.label, row.title, row.time_label) == (
        "edited",
        "Kleine Panne am Bahnhof. Kim trug einen Hut.",
        "14.01 Uhr",
    )
    assert row.detail[-1] == Segment("insert", "Kim trug einen Hut.")
    assert timeline_row(RETITLED).detail == (Segment("insert", "Kim-Panne vor Putin-Besuch"),)
    assert timeline_row(REMOVED).detail == (Segment("equal", R3.version.text),)
    assert parse_kinds(["added,edited", "retitled"]) == frozenset(
        {
            ChangeKind.ADDED,
            ChangeKind.EDITED,
            ChangeKind.RETITLED,
        }
    )
    assert parse_kinds([]) is None
    with pytest.raises(ValueError, match="unknown kind 'x'"):
        parse_kinds(["x"])


def test_times_in_and_out() -> None:
    assert parse_instant("2019-04-24T14:30", BERLIN) == datetime(2019, 4, 24, 12, 30, tzinfo=UTC)
    assert parse_instant("2019-04-24 14:30:00+00:00", BERLIN) == datetime(
        2019, 4, 24, 14, 30, tzinfo=UTC
    )
    assert parse_instant("2019-04-24T14:30Z", BERLIN).hour == 14
    with pytest.raises(BadInstant, match="not a date and time"):
        parse_instant("24.4.2019", BERLIN)
    assert shown(T, BERLIN) == "2019-04-24 14:00 CEST"
    assert input_value(T, BERLIN) == "2019-04-24T14:00"
    # The day a clock change shortens still starts at its midnight.
    assert day_start(datetime(2019, 3, 31, 20, 0, tzinfo=UTC), BERLIN) == datetime(
        2019, 3, 30, 23, 0, tzinfo=UTC
    )
    assert day_start(datetime(2019, 3, 30, 23, 30, tzinfo=UTC), BERLIN) == datetime(
        2019, 3, 30, 23, 0, tzinfo=UTC
    )


def test_form_fields() -> None:
    assert [interval_seconds(v) for v in ("90", "90s", "5m", "1h", "1.5m")] == [
        90,
        90,
        300,
        3600,
        90,
    ]
    for bad in ("0", "soon", "-5m"):
        with pytest.raises(FormError):
            interval_seconds(bad)
    assert ticker_url(" https://x.test/a ") == "https://x.test/a"
    with pytest.raises(FormError):
        ticker_url("javascript:alert(1)")
    assert zone_name("") is None
    assert zone_name("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(FormError, match="unknown time zone"):
        zone_name("Mars/Olympus")
    assert default_name("https://www.example.test/live/ticker-1/") == "example.test: ticker-1"


def test_raw_pages_are_typed_by_their_bytes() -> None:
    assert media_type(b"\xef\xbb\xbf  <!doctype html><p>") == "text/html"
    assert media_type(b"14.01 Uhr: Text") == "text/plain"
    assert file_name(1, 2, b"<html>") == "ticker-1-poll-2.html"
    assert file_name(1, 2, b"plain") == "ticker-1-poll-2.txt"


def test_feed_html_and_json_exports_escape_and_stream() -> None:
    assert diff_html((Segment("delete", "<b>alt</b>"), Segment("insert", "neu & gut"))) == (
        "<del>&lt;b&gt;alt&lt;/b&gt;</del> <ins>neu &amp; gut</ins>"
    )
    rows: list[dict[str, Any]] = [{"a": 1, "t": "ö <x>"}, {"a": 2, "t": None}]
    assert json.loads(b"".join(json_stream(rows))) == rows
    assert json.loads(b"".join(json_stream([]))) == []


def test_durations() -> None:
    assert [duration(s) for s in (None, 90, 300, 7200, 5400 + 7200)] == [
        "",
        "90 s",
        "5 min",
        "2 h",
        "3 h 30 min",
    ]
