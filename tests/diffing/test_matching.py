"""Identity across polls: native ids, exact content, fuzzy matching, near-duplicates."""

from __future__ import annotations

from diffing import diff, match, new_entry_id
from diffing.model import ChangeKind, EntryStatus, Field, MatchMethod, TickerState
from tests.diffing.builders import (
    START,
    URL,
    A,
    B,
    C,
    D,
    E,
    F,
    Ticker,
    body_of,
    entry,
    kinds,
    only,
    page,
)


def test_stable_native_ids_carry_an_entry_through_a_full_rewrite() -> None:
    ticker = Ticker()
    first = ticker.poll(
        entry(C, time="11:40", native_id="post-3"),
        entry(B, time="11:20", native_id="post-2"),
        entry(A, time="11:00", native_id="post-1"),
    )
    rewritten = "Nach neuen Angaben wurde nur der Bahnhofsvorplatz geräumt; Busse fahren wieder."
    result = ticker.poll(
        entry(C, time="11:40", native_id="post-3"),
        entry(rewritten, time="11:25", native_id="post-2"),
        entry(A, time="11:00", native_id="post-1"),
    )
    change = only(result)
    assert change.entry_id == ticker.id_at(first, 1)
    assert change.changed == (Field.TEXT, Field.TIME)
    assert result.placements[1].matched_by is MatchMethod.NATIVE_ID


def test_ids_minted_on_every_render_are_ignored() -> None:
    ticker = Ticker()
    ticker.poll(entry(B, time="11:20", native_id="x81f"), entry(A, time="11:00", native_id="x11c"))
    result = ticker.poll(
        entry(B, time="11:20", native_id="q0a2"), entry(A, time="11:00", native_id="q9d3")
    )
    assert kinds(result, alerting_only=False) == []


def test_ids_numbered_by_position_are_ignored() -> None:
    ticker = Ticker()
    ticker.poll(
        entry(C, time="11:40", native_id="e0"),
        entry(B, time="11:20", native_id="e1"),
        entry(A, time="11:00", native_id="e2"),
    )
    result = ticker.poll(
        entry(D, time="12:05", native_id="e0"),
        entry(C, time="11:40", native_id="e1"),
        entry(B, time="11:20", native_id="e2"),
        entry(A, time="11:00", native_id="e3"),
    )
    assert kinds(result, alerting_only=False) == [ChangeKind.ADDED]
    assert not any(p.matched_by is MatchMethod.NATIVE_ID for p in result.placements)


def test_ids_numbered_by_position_are_ignored_after_a_removal_in_the_middle() -> None:
    ticker = Ticker()
    texts = [(E, "12:10"), (D, "12:05"), (C, "11:40"), (B, "11:20"), (A, "11:00")]
    ticker.poll(*(entry(t, time=at, native_id=f"e{i}") for i, (t, at) in enumerate(texts)))
    kept = [texts[0], texts[1], texts[3], texts[4]]
    result = ticker.poll(*(entry(t, time=at, native_id=f"e{i}") for i, (t, at) in enumerate(kept)))
    assert kinds(result) == [ChangeKind.REMOVED]


def test_untimed_page_of_only_new_entries_takes_no_identity_from_position() -> None:
    ticker = Ticker()
    ticker.poll(entry(C), entry(B), entry(A))
    result = ticker.poll(entry(F), entry(E), entry(D))
    assert kinds(result) == [ChangeKind.ADDED] * 3
    assert kinds(result, alerting_only=False).count(ChangeKind.PAGED_OUT) == 3


MUELLER = "Gelbe Karte für Müller (Bayern)"
KIMMICH = "Gelbe Karte für Kimmich (Bayern)"
KICKOFF = "Anpfiff in der Allianz Arena, die Bayern spielen in Rot."


def test_sports_near_duplicates_stay_two_entries() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(MUELLER, time="15:42"), entry(KICKOFF, time="15:30"))
    result = ticker.poll(
        entry(KIMMICH, time="15:42"), entry(MUELLER, time="15:42"), entry(KICKOFF, time="15:30")
    )
    change = only(result)
    assert change.kind is ChangeKind.ADDED
    assert change.current is not None
    assert change.current.text == KIMMICH
    assert result.placements[1].entry_id == ticker.id_at(first, 0)


def test_short_text_differing_in_a_name_does_not_take_over_a_vanished_entry() -> None:
    ticker = Ticker()
    ticker.poll(entry(MUELLER, time="15:42"), entry(KICKOFF, time="15:30"))
    result = ticker.poll(entry(KIMMICH, time="15:42"), entry(KICKOFF, time="15:30"))
    assert kinds(result) == [ChangeKind.ADDED, ChangeKind.REMOVED]


def test_near_duplicate_edit_goes_to_the_entry_whose_time_agrees() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(KIMMICH, time="16:10"), entry(MUELLER, time="15:42"))
    result = ticker.poll(
        entry(KIMMICH, time="16:10"), entry("Gelbe Karte für Müller (FC Bayern)", time="15:42")
    )
    change = only(result)
    assert (change.kind, change.entry_id) == (ChangeKind.EDITED, ticker.id_at(first, 1))


def test_identical_texts_at_different_times_are_different_entries() -> None:
    goal = "Tor für Bayern!"
    ticker = Ticker()
    first = ticker.poll(entry(goal, time="16:20"), entry(goal, time="15:41"))
    result = ticker.poll(
        entry(goal, time="16:44"), entry(goal, time="16:20"), entry(goal, time="15:41")
    )
    change = only(result)
    assert change.kind is ChangeKind.ADDED
    assert change.current is not None
    assert change.current.time is not None
    assert change.current.time.hour == 16
    assert change.current.time.minute == 44
    assert [p.entry_id for p in result.placements[1:]] == [
        ticker.id_at(first, 0),
        ticker.id_at(first, 1),
    ]


def test_retitle_and_edit_of_an_entry_under_a_recycled_headline() -> None:
    # Editors reuse headlines; the body and time decide which entry is which.
    ticker = Ticker()
    first = ticker.poll(
        entry(C, time="11:40", headline="Lage in der Stadt"),
        entry(B, time="11:20", headline="Lage in der Stadt"),
        entry(A, time="11:00"),
    )
    result = ticker.poll(
        entry(C, time="11:40", headline="Lage in der Stadt"),
        entry(B.replace("Busverkehr", "Bus- und Bahnverkehr"), time="11:20", headline="Lage"),
        entry(A, time="11:00"),
    )
    change = only(result)
    assert change.entry_id == ticker.id_at(first, 1)
    assert change.changed == (Field.TITLE, Field.TEXT)


def test_entry_edited_while_removed_is_restored_with_its_edit() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(C, time="11:40"), entry(B, time="11:20"), entry(A, time="11:00"))
    ticker.poll(entry(C, time="11:40"), entry(A, time="11:00"))
    result = ticker.poll(
        entry(C, time="11:40"),
        entry(B.replace("eingestellt", "vorerst eingestellt"), time="11:20"),
        entry(A, time="11:00"),
    )
    change = only(result)
    assert (change.kind, change.entry_id) == (ChangeKind.RESTORED, ticker.id_at(first, 1))
    assert change.changed == (Field.TEXT,)


def test_fuzzy_matching_covers_entries_paged_out_long_ago() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(B, time="11:20"), entry(A, time="11:00"))
    ticker.poll(entry(D, time="12:05"), entry(C, time="11:40"), entry(B, time="11:20"))
    result = ticker.poll(
        entry(D, time="12:05"),
        entry(C, time="11:40"),
        entry(B, time="11:20"),
        entry(A.replace("Vormittag", "frühen Vormittag"), time="11:00"),
    )
    change = only(result)
    assert (change.kind, change.entry_id) == (ChangeKind.EDITED, ticker.id_at(first, 1))
    assert (change.entry_id, EntryStatus.LIVE) in result.statuses


def test_untimed_entries_match_by_text_and_position() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(C), entry(B), entry(A))
    result = ticker.poll(entry(E), entry(C), entry(B + " Die Lage bleibt angespannt."), entry(A))
    assert kinds(result) == [ChangeKind.ADDED, ChangeKind.EDITED]
    assert result.placements[2].entry_id == ticker.id_at(first, 1)


def test_match_reports_new_and_unmatched() -> None:
    ticker = Ticker()
    ticker.poll(entry(B, time="11:20"), entry(A, time="11:00"))
    found = match(
        ticker.state.entries, page(entry(F, time="12:30"), entry(A, time="11:00")).entries
    )
    assert found.new_positions == (0,)
    assert len(found.unmatched) == 1
    assert [p.method for p in found.pairs] == [MatchMethod.EXACT]


def test_new_entry_id_is_deterministic_and_whitespace_blind() -> None:
    one = new_entry_id(url=URL, observed_at=START, position=2, text=A, headline="Ankunft")
    again = new_entry_id(
        url=URL,
        observed_at=START,
        position=2,
        text=" " + A.replace(" ", "\u00a0"),
        headline="Ankunft ",
    )
    assert one == again
    assert len(one) == 16
    assert one != new_entry_id(url=URL, observed_at=START, position=3, text=A, headline="Ankunft")


def test_retried_poll_yields_the_same_ids() -> None:
    parsed = page(entry(B, time="11:20"), entry(A, time="11:00"))
    first = diff(TickerState(), parsed, body_sha256=body_of(parsed))
    retry = diff(TickerState(), parsed, body_sha256=body_of(parsed))
    assert first == retry
    assert len({p.entry_id for p in first.placements}) == 2


def test_a_short_entry_whose_hour_was_corrected_in_place_is_retimed() -> None:
    # Same headline and text between the same neighbours, the hour put right (12:39 ->
    # 11:39): a retime, though the text is short and the time far off.
    ticker = Ticker()
    first = ticker.poll(
        entry(KIMMICH, time="12:50"),
        entry(MUELLER, time="12:39", headline="Wechsel"),
        entry(KICKOFF, time="11:30"),
    )
    result = ticker.poll(
        entry(KIMMICH, time="12:50"),
        entry(MUELLER, time="11:39", headline="Wechsel"),
        entry(KICKOFF, time="11:30"),
    )
    change = only(result)
    assert (change.kind, change.entry_id) == (ChangeKind.RETIMED, ticker.id_at(first, 1))
