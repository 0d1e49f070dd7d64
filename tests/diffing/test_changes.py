"""Each kind of change, and each thing that is not one, on literal pages."""

from __future__ import annotations

from diffing.model import ChangeKind, EntryStatus, Field, PollOutcome
from diffing.normalize import WordCodec, words
from ingest.model import Order, TimeSource
from tests.diffing.builders import A, B, C, D, E, Ticker, entry, kinds, only


def summit() -> Ticker:
    ticker = Ticker()
    ticker.poll(
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    return ticker


def test_first_poll_reports_every_entry_added_and_no_page_retitle() -> None:
    result = Ticker().poll(entry(B, time="11:20"), entry(A, time="11:00"))
    assert result.outcome is PollOutcome.FRESH
    assert kinds(result) == [ChangeKind.ADDED, ChangeKind.ADDED]
    assert all(p.is_new for p in result.placements)


def test_new_entry_on_top_is_added_and_the_rest_keep_their_ids() -> None:
    ticker = summit()
    before = {
        p.position: p.entry_id
        for p in ticker.poll(
            entry(C, time="11:40"),
            entry(B, time="11:20", headline="Innenstadt gesperrt"),
            entry(A, time="11:00"),
        ).placements
    }
    result = ticker.poll(
        entry(D, time="12:05"),
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    change = only(result)
    assert change.kind is ChangeKind.ADDED
    assert change.current is not None
    assert change.current.text == D
    assert [p.entry_id for p in result.placements[1:]] == [before[0], before[1], before[2]]


def test_typo_fix_is_an_edit_with_similarity_and_word_ops() -> None:
    ticker = summit()
    fixed = B.replace("weiträumig", "weitläufig")
    change = only(
        ticker.poll(
            entry(C, time="11:40"),
            entry(fixed, time="11:20", headline="Innenstadt gesperrt"),
            entry(A, time="11:00"),
        )
    )
    assert change.kind is ChangeKind.EDITED
    assert change.changed == (Field.TEXT,)
    assert change.similarity is not None
    assert 0.9 < change.similarity < 1.0
    replaced = [op for op in change.word_ops if op.op != "equal"]
    assert [(op.op, op.old, op.new) for op in replaced] == [("replace", "weiträumig", "weitläufig")]
    assert " ".join(op.new for op in change.word_ops if op.new) == fixed


def test_appended_paragraph_is_an_edit() -> None:
    ticker = summit()
    longer = (
        A
        + "\n\nAm Abend ist ein Empfang im Rathaus geplant, zu dem auch Vertreter der Wirtschaft erwartet werden."
    )
    change = only(
        ticker.poll(
            entry(C, time="11:40"),
            entry(B, time="11:20", headline="Innenstadt gesperrt"),
            entry(longer, time="11:00"),
        )
    )
    assert change.kind is ChangeKind.EDITED
    assert [op.op for op in change.word_ops][-1] == "insert"


def test_new_headline_is_a_retitle() -> None:
    ticker = summit()
    change = only(
        ticker.poll(
            entry(C, time="11:40", headline="Abkommen unterzeichnet"),
            entry(B, time="11:20", headline="Innenstadt gesperrt"),
            entry(A, time="11:00"),
        )
    )
    assert change.kind is ChangeKind.RETITLED
    assert change.changed == (Field.TITLE,)
    assert change.previous is not None
    assert change.previous.headline is None


def test_corrected_time_is_a_retime() -> None:
    ticker = summit()
    change = only(
        ticker.poll(
            entry(C, time="11:47"),
            entry(B, time="11:20", headline="Innenstadt gesperrt"),
            entry(A, time="11:00"),
        )
    )
    assert change.kind is ChangeKind.RETIMED
    assert change.changed == (Field.TIME,)


def test_several_fields_at_once_are_one_change_named_after_the_title() -> None:
    ticker = summit()
    change = only(
        ticker.poll(
            entry(C, time="11:40"),
            entry(
                B + " Auch die Straßenbahn fährt nicht.",
                time="11:23",
                headline="Innenstadt abgeriegelt",
            ),
            entry(A, time="11:00"),
        )
    )
    assert change.kind is ChangeKind.RETITLED
    assert change.changed == (Field.TITLE, Field.TEXT, Field.TIME)


def test_rewrite_keeping_time_and_headline_is_an_edit_not_removal_and_addition() -> None:
    ticker = summit()
    rewritten = "Wegen der Proteste bleibt die Innenstadt bis zum Abend für Autos und Busse vollständig gesperrt."
    result = ticker.poll(
        entry(C, time="11:40"),
        entry(rewritten, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    change = only(result)
    assert change.kind is ChangeKind.EDITED
    assert change.previous is not None
    assert change.previous.text == B


def test_page_retitle() -> None:
    ticker = summit()
    result = ticker.poll(
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
        headline="Gipfel beendet",
    )
    change = only(result)
    assert change.kind is ChangeKind.PAGE_RETITLED
    assert change.entry_id is None
    assert (change.previous_page_headline, change.page_headline) == (
        "Live: Gipfel in Wladiwostok",
        "Gipfel beendet",
    )


def test_missing_page_headline_is_no_retitle() -> None:
    ticker = summit()
    assert (
        kinds(
            ticker.poll(
                entry(C, time="11:40"),
                entry(B, time="11:20", headline="Innenstadt gesperrt"),
                entry(A, time="11:00"),
                headline=None,
            )
        )
        == []
    )


def test_removed_then_restored_keeps_its_id() -> None:
    ticker = summit()
    first = ticker.poll(
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    b_id = ticker.id_at(first, 1)
    gone = only(ticker.poll(entry(C, time="11:40"), entry(A, time="11:00")))
    assert (gone.kind, gone.entry_id) == (ChangeKind.REMOVED, b_id)
    back = only(
        ticker.poll(
            entry(C, time="11:40"),
            entry(B, time="11:20", headline="Innenstadt gesperrt"),
            entry(A, time="11:00"),
        )
    )
    assert (back.kind, back.entry_id) == (ChangeKind.RESTORED, b_id)
    assert {k.entry_id: k.status for k in ticker.state.entries}[b_id] is EntryStatus.LIVE


def test_whitespace_nbsp_soft_hyphen_and_composition_are_no_change() -> None:
    ticker = summit()
    noisy_b = B.replace(" ", "\u00a0", 3).replace("Innenstadt", "Innen\u00adstadt") + "  \n"
    decomposed_a = A.replace("ü", "u\u0308")
    result = ticker.poll(
        entry(C, time="11:40"),
        entry("  " + noisy_b, time="11:20", headline=" Innenstadt  gesperrt"),
        entry(decomposed_a, time="11:00"),
    )
    assert result.outcome is PollOutcome.FRESH
    assert kinds(result) == []
    assert not any(p.revised for p in result.placements)


def test_quotation_mark_styles_are_no_change() -> None:
    ticker = Ticker()
    ticker.poll(
        entry(
            "Der Sprecher sagte: \u201eDie Lage ist ernst.\u201c",
            time="11:20",
            headline="\u201eErnst\u201c",
        ),
        entry("Ein Anwohner sagte, er habe \u2019so etwas\u2019 nie erlebt.", time="11:00"),
    )
    result = ticker.poll(
        entry(
            'Der Sprecher sagte: "Die Lage ist ernst."', time="11:20", headline="\u00abErnst\u00bb"
        ),
        entry("Ein Anwohner sagte, er habe 'so etwas' nie erlebt.", time="11:00"),
    )
    assert result.outcome is PollOutcome.FRESH
    assert kinds(result) == []


def test_a_diff_shows_the_authors_quotation_marks() -> None:
    assert words("Er sagte: \u201eNein.\u201c") == ["Er", "sagte:", "\u201eNein.\u201c"]
    codec = WordCodec()
    assert codec.encode(words("\u201eNein.\u201c")) == codec.encode(words('"Nein."'))


def test_relative_time_drift_is_no_change() -> None:
    ticker = Ticker()
    ticker.poll(entry(C, time="11:55", source=TimeSource.RELATIVE), entry(A, time="11:00"))
    result = ticker.poll(entry(C, time="11:45", source=TimeSource.RELATIVE), entry(A, time="11:00"))
    assert kinds(result) == []


def test_reordering_and_pinning_are_no_change() -> None:
    ticker = summit()
    result = ticker.poll(
        entry(A, time="11:00", pinned=True),
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
    )
    assert kinds(result) == []


def test_pinned_copy_of_a_timeline_entry_is_the_same_entry() -> None:
    ticker = summit()
    result = ticker.poll(
        entry(A, time="11:00", pinned=True),
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    assert kinds(result) == []
    assert [p.position for p in result.placements] == [1, 2, 3]


def test_entries_falling_off_the_bottom_are_paged_out_not_removed() -> None:
    ticker = summit()
    result = ticker.poll(entry(E, time="12:10"), entry(D, time="12:05"), entry(C, time="11:40"))
    assert kinds(result) == [ChangeKind.ADDED, ChangeKind.ADDED]
    assert kinds(result, alerting_only=False).count(ChangeKind.PAGED_OUT) == 2
    statuses = dict(result.statuses)
    assert sorted(statuses.values(), key=str) == [EntryStatus.PAGED_OUT] * 2


def test_paged_out_entry_coming_back_is_just_live_again() -> None:
    ticker = summit()
    ticker.poll(entry(E, time="12:10"), entry(D, time="12:05"), entry(C, time="11:40"))
    result = ticker.poll(
        entry(E, time="12:10"),
        entry(D, time="12:05"),
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
        entry(A, time="11:00"),
    )
    assert kinds(result) == []
    assert {s for _, s in result.statuses} == {EntryStatus.LIVE}


def test_unpinned_entry_below_a_shorter_window_is_paged_out_not_removed() -> None:
    ticker = Ticker()
    # A sits on top, out of its time's place, with no pin marker the parser could see.
    ticker.poll(
        entry(A, time="11:00"),
        entry(D, time="12:05"),
        entry(C, time="11:40"),
        entry(B, time="11:20", headline="Innenstadt gesperrt"),
    )
    # Unpinned, A goes back to 11:00, below the newest three that "load more" shows.
    result = ticker.poll(
        entry(E, time="12:10"),
        entry(D, time="12:05"),
        entry(C, time="11:40"),
    )
    assert kinds(result) == [ChangeKind.ADDED]
    assert [s for _, s in result.statuses if s is not EntryStatus.LIVE] == [
        EntryStatus.PAGED_OUT
    ] * 2


def test_new_entry_with_a_relative_time_where_an_old_pinned_one_stood_is_added() -> None:
    old = "Die Opposition schaltet eine Hotline für Familien frei in den Küstendörfern."
    new = "Die Feuerwehr beginnt mit Aufräumarbeiten in den Küstendörfern."
    ticker = Ticker()
    ticker.poll(entry(old, time="09:43"), entry(D, time="11:40"), entry(C, time="11:30"))
    # "vor 4 Min.": two hours after the entry that stood on top, so not that entry
    # rewritten, however much of its place and wording it shares.
    result = ticker.poll(
        entry(new, time="11:51", source=TimeSource.RELATIVE),
        entry(D, time="11:40"),
        entry(C, time="11:30"),
    )
    assert kinds(result) == [ChangeKind.ADDED]


def test_entry_missing_between_shown_ones_is_removed() -> None:
    ticker = summit()
    assert kinds(
        ticker.poll(entry(D, time="12:05"), entry(C, time="11:40"), entry(A, time="11:00"))
    ) == [
        ChangeKind.ADDED,
        ChangeKind.REMOVED,
    ]


def test_oldest_first_page_pages_out_at_the_top() -> None:
    ticker = Ticker()
    ticker.poll(
        entry(A, time="11:00"),
        entry(B, time="11:20"),
        entry(C, time="11:40"),
        order=Order.OLDEST_FIRST,
    )
    dropped_top = ticker.poll(
        entry(B, time="11:20"),
        entry(C, time="11:40"),
        entry(D, time="12:05"),
        order=Order.OLDEST_FIRST,
    )
    assert kinds(dropped_top) == [ChangeKind.ADDED]
    assert kinds(dropped_top, alerting_only=False) == [ChangeKind.ADDED, ChangeKind.PAGED_OUT]
    middle = ticker.poll(entry(B, time="11:20"), entry(D, time="12:05"), order=Order.OLDEST_FIRST)
    assert kinds(middle) == [ChangeKind.REMOVED]


def test_mass_disappearance_is_recorded_as_paged_out_not_alerted() -> None:
    ticker = Ticker()
    texts = [A, B, C, D, E]
    ticker.poll(
        *(entry(t, time=f"11:{50 - 10 * i:02d}") for i, t in enumerate(texts)),
        entry("Ganz unten steht die erste Meldung des Tages.", time="10:00"),
    )
    result = ticker.poll(
        entry(A, time="11:50"), entry("Ganz unten steht die erste Meldung des Tages.", time="10:00")
    )
    assert kinds(result) == []
    assert result.reason is not None
    assert "vanished at once" in result.reason
