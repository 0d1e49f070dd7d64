"""Story matching on literal entries: folding, placing, edits, the window, leads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stories import (
    Basis,
    DeskState,
    Placement,
    PlacementKind,
    Story,
    StoryConfig,
    StoryEntry,
    desk_record,
    merges,
    place,
    restore,
    story_leads,
)
from stories.normalize import tokens

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def entry(
    ticker: int,
    n: int,
    title: str,
    text: str = "",
    minutes: float = 0,
    *,
    printed: datetime | object | None = ...,
    link: str | None = None,
) -> StoryEntry:
    at = T0 + timedelta(minutes=minutes)
    when = at if printed is ... else printed
    assert when is None or isinstance(when, datetime)
    return StoryEntry(ticker, f"e{n}", title, text, first_seen=at, printed=when, link=link)


def keys(text: str) -> list[str]:
    return [t.key for t in tokens(text)]


def test_umlauts_transcriptions_and_accents_fold_alike() -> None:
    assert keys("Müller") == keys("Mueller") == keys("MULLER")
    assert keys("Straße") == keys("Strasse")
    assert keys("Sécurité") == keys("securite")


def test_numbers_are_tokens_in_one_form() -> None:
    assert keys("7,3 Prozent") == keys("7.3 Prozent")
    assert keys("118.970 Neuinfektionen")[0] == keys("118,970")[0] == "118970"


def test_stop_words_of_five_languages_are_dropped() -> None:
    for text in ("der die das und", "the and of", "le la les et", "el los y", "il gli e"):
        assert keys(text) == []


def test_hyphenated_compound_gives_parts_and_whole() -> None:
    assert set(keys("Ökostrom-Umlage")) >= {"okostrom", "umlag", "okostromumlag"}


def test_words_for_one_kind_of_event_read_as_one() -> None:
    assert keys("Huge blaze in Durham") == keys("Huge fire in Durham")
    assert keys("Flammen und Feuer") == keys("Brand und Brände")[:1] * 2
    assert keys("incendie") == keys("Brand")
    # Left out where the key is another language's word as well.
    assert keys("Beben") != keys("Erdbeben")
    assert keys("feu") != keys("incendie")


def place_all(batches: list[list[StoryEntry]]) -> tuple[DeskState, list[Placement]]:
    state, decisions = DeskState(), list[Placement]()
    for batch in batches:
        state, placed = place(state, batch, max(e.first_seen for e in batch))
        decisions.extend(placed)
    return state, decisions


def test_reworded_reports_of_two_tickers_join_one_story() -> None:
    a = entry(1, 1, "Sturmtief «Nadia» richtet schwere Schäden in Husum an")
    b = entry(2, 1, "Sturm Nadia: Feuerwehr in Husum im Dauereinsatz", minutes=12)
    state, (first, second) = place_all([[a], [b]])
    assert first.kind is PlacementKind.OPENED
    assert second.kind is PlacementKind.JOINED
    assert len(state.stories) == 1


def test_same_kind_of_event_elsewhere_opens_its_own_story() -> None:
    # A window with some news in it: rarity means nothing in a window of two entries.
    places = ["Bremen", "Kassel", "Fulda", "Trier", "Jena", "Ulm", "Kiel", "Emden"]
    background = [
        entry(3, i, f"Warnstreik am Flughafen {p}", minutes=-100 + i) for i, p in enumerate(places)
    ] + [entry(4, i, f"Wetter in {p} bleibt mild", minutes=-90 + i) for i, p in enumerate(places)]
    a = entry(1, 1, "Warnstreik legt Flughafen Nürnberg lahm")
    b = entry(2, 1, "Warnstreik legt Flughafen Görlitz lahm", minutes=10)
    _state, decisions = place_all([background, [a], [b]])
    assert decisions[-1].kind is PlacementKind.OPENED


def test_a_blaze_is_the_fire_another_ticker_reported() -> None:
    places = ["Leeds", "York", "Hull", "Bath", "Derby", "Wells", "Ripon", "Truro"]
    background = [
        entry(3, i, f"Strike at {p} airport: flights cancelled", minutes=-100 + i)
        for i, p in enumerate(places)
    ] + [entry(4, i, f"Weather in {p} stays mild", minutes=-90 + i) for i, p in enumerate(places)]
    a = entry(1, 1, "", "A fire broke out in Durham, injuring 12. The cause is unknown.")
    b = entry(2, 1, "Huge blaze engulfs warehouse in Durham", minutes=8)
    _state, decisions = place_all([background, [a], [b]])
    assert decisions[-1].kind is PlacementKind.JOINED


def test_one_tickers_entries_never_form_a_story_alone() -> None:
    a = entry(1, 1, "Sturmtief Nadia richtet schwere Schäden in Husum an")
    again = entry(1, 2, "Sturmtief Nadia richtet schwere Schäden in Husum an", minutes=5)
    state, _ = place_all([[a], [again]])
    assert len(state.stories) == 2
    # ... but an update joins once another ticker has the story.
    other = entry(2, 1, "Sturm Nadia: schwere Schäden in Husum", minutes=8)
    update = entry(1, 3, "Nadia: Schäden in Husum größer als gedacht", minutes=30)
    state, _ = place_all([[a], [other], [update]])
    assert {m.key for m in next(iter(state.stories.values())).members} >= {(1, "e1"), (2, "e1")}


def test_a_report_of_both_halves_merges_two_stories_into_the_older() -> None:
    # The second report is worded unlike the first and opens its own story; a third
    # names the storm and the breach: one event, the older id kept.
    a = entry(1, 1, "Sturmtief Nadia richtet schwere Schäden in Husum an")
    b = entry(2, 1, "Deich gebrochen: Bahnstrecke nach Sylt gesperrt", minutes=10)
    c = entry(
        3, 1, "Sturmtief Nadia wütet in Husum: Deich gebrochen, Bahnstrecke gesperrt", minutes=20
    )
    state, decisions = place_all([[a], [b], [c]])
    # c joins b's story, then both move into a's, the last move emptying story 2.
    assert [d.kind for d in decisions] == [
        PlacementKind.OPENED,
        PlacementKind.OPENED,
        PlacementKind.JOINED,
        PlacementKind.MERGED,
        PlacementKind.MERGED,
    ]
    assert [(d.key, d.story_id, d.previous_story_id, d.emptied) for d in decisions[3:]] == [
        (b.key, 1, 2, False),
        (c.key, 1, 2, True),
    ]
    assert merges(decisions) == {2: 1}
    assert list(state.stories) == [1]
    assert {m.key for m in state.stories[1].members} == {a.key, b.key, c.key}
    assert state.next_story_id == 3


def test_one_tickers_entries_never_merge_stories() -> None:
    # The same entries, the third one of the first ticker: it matches the first
    # story only through its own ticker's entry, so it joins nothing there.
    a = entry(1, 1, "Sturmtief Nadia richtet schwere Schäden in Husum an")
    b = entry(2, 1, "Deich gebrochen: Bahnstrecke nach Sylt gesperrt", minutes=10)
    c = entry(
        1, 2, "Sturmtief Nadia wütet in Husum: Deich gebrochen, Bahnstrecke gesperrt", minutes=20
    )
    state, decisions = place_all([[a], [b], [c]])
    assert merges(decisions) == {}
    assert len(state.stories) == 2


def test_story_ids_are_stable_and_never_reused() -> None:
    a = entry(1, 1, "Erdbeben der Stärke 6,1 erschüttert Wolfsburg")
    state, (p,) = place(DeskState(), [a], T0)
    later = entry(2, 9, "Lindner stellt Wegfall der Ökostrom-Umlage in Aussicht", minutes=60 * 20)
    state, (q,) = place(state, [later], later.first_seen)
    assert p.story_id == 1
    assert q.story_id == 2
    assert 1 not in state.stories  # retired: started more than `retain` ago


def test_an_edit_stays_unless_another_story_is_clearly_better() -> None:
    a = entry(1, 1, "Großbrand in Kassel: 12 Verletzte")
    b = entry(2, 1, "Feuer in Kassel – 12 Menschen verletzt", minutes=5)
    state, _ = place_all([[a], [b]])
    typo = entry(2, 1, "Feuer in Kassel – zwölf Menschen verletzt", minutes=5)
    state, (kept,) = place(state, [typo], T0 + timedelta(minutes=20))
    assert kept.kind is PlacementKind.KEPT
    rewritten = entry(2, 1, "Bundestag verlängert Irak-Einsatz mit großer Mehrheit", minutes=5)
    state, (split,) = place(state, [rewritten], T0 + timedelta(minutes=30))
    assert split.kind is PlacementKind.SPLIT
    assert split.previous_story_id == kept.story_id


def test_entries_older_than_retain_are_ignored() -> None:
    old = entry(1, 1, "Alte Meldung aus Fulda", minutes=-60 * 13)
    _, (p,) = place(DeskState(), [old], T0)
    assert p.kind is PlacementKind.IGNORED
    assert p.story_id is None


def test_place_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        place(DeskState(), [], datetime(2026, 3, 2))  # noqa: DTZ001


def test_restore_carries_on_where_the_store_left() -> None:
    a = entry(1, 1, "Sturmtief Nadia richtet schwere Schäden in Husum an")
    state, _ = place(DeskState(), [a], T0)
    again = restore(state.stories.values(), now=T0)
    b = entry(2, 1, "Sturm Nadia: schwere Schäden in Husum", minutes=8)
    _, (p,) = place(again, [b], b.first_seen)
    assert p.kind is PlacementKind.JOINED
    assert p.story_id == 1
    assert again.next_story_id == state.next_story_id


def test_leads_on_both_clocks() -> None:
    # Ticker 2 printed a time before ticker 1's but was seen 7 minutes later.
    a = entry(1, 1, "x", minutes=0, printed=T0 + timedelta(minutes=3))
    b = StoryEntry(2, "e1", "x", "", first_seen=T0 + timedelta(minutes=7), printed=T0)
    c = StoryEntry(
        2, "e2", "x", "", first_seen=T0 + timedelta(minutes=30), printed=T0 + timedelta(minutes=29)
    )
    leads = story_leads(Story(1, (a, b, c)))
    assert leads.first(Basis.SEEN) == 1
    assert leads.lead_minutes(Basis.SEEN) == 7
    assert leads.first(Basis.PRINTED) == 2
    assert leads.lead_minutes(Basis.PRINTED) == 3
    assert [lead.entry_id for lead in leads.seen] == ["e1", "e1"]


def test_desk_record_counts_first_lead_and_missed() -> None:
    s1 = Story(1, (entry(1, 1, "x", minutes=0), entry(2, 1, "x", minutes=10)))
    s2 = Story(2, (entry(1, 2, "y", minutes=20), entry(3, 1, "y", minutes=14)))
    alone = Story(3, (entry(2, 2, "z", minutes=5),))
    records = desk_record([s1, s2, alone], [1, 2, 3], start=T0, end=T0 + timedelta(hours=1))
    one, two, three = records
    assert (one.stories, one.first, one.missed, one.share_first) == (2, 1, 0, 0.5)
    assert one.median_lead_minutes == 10
    assert one.median_delta_minutes == 2
    assert (two.stories, two.missed) == (1, 1)
    assert (three.first, three.missed, three.median_lead_minutes) == (1, 1, 6)


def test_config_is_a_value() -> None:
    assert StoryConfig().window == timedelta(hours=6)


def test_place_leaves_the_state_it_was_given_unchanged() -> None:
    a = entry(1, 1, "Sturmtief Nadia richtet schwere Schäden in Husum an")
    state, _ = place(DeskState(), [a], T0)
    before = (dict(state.stories), dict(state.assignment), dict(state.document_frequency))
    b = entry(2, 1, "Sturm Nadia: schwere Schäden in Husum", minutes=8)
    after, _ = place(state, [b], b.first_seen)
    assert (dict(state.stories), dict(state.assignment), dict(state.document_frequency)) == before
    assert len(after.stories[1].members) == 2


def test_candidates_are_the_stories_sharing_the_rarest_words() -> None:
    # A dozen stories share a ticker's stock phrases with the new entry; one shares
    # the company and the figure. The rare words must win the candidate search.
    stock = "Die Lage ist weiter unübersichtlich. Wir halten Sie auf dem Laufenden."
    towns = ("Aurich", "Bocholt", "Coesfeld", "Dorsten", "Emden", "Fulda", "Goslar")
    others = [
        entry(2, n, f"Feuerwehreinsatz in {town}", f"{stock} Ein Keller in {town} brannte.", n)
        for n, town in enumerate(towns + tuple(t + "er Land" for t in towns))
    ]
    firm = entry(3, 50, "Elbwerft streicht 787 Stellen", minutes=20)
    report = entry(1, 60, "", f"Bei Elbwerft fallen 787 Arbeitsplätze weg. {stock}", minutes=21)
    state, placed = place_all([others, [firm], [report]])
    assert placed[-1].kind is PlacementKind.JOINED
    assert placed[-1].story_id == state.assignment[firm.key]
