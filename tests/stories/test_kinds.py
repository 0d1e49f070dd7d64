"""Events of one kind stay apart: two places, and the rubrics tickers file them under."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stories import DEFAULT_CONFIG, PlacementKind, Story, StoryEntry, restore
from stories.normalize import tokens
from stories.state import Workbench
from tests.stories.measure import place_each

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _entry(ticker: int, n: int, title: str, minutes: float, text: str = "") -> StoryEntry:
    at = T0 + timedelta(minutes=minutes)
    return StoryEntry(ticker, f"e{n}", title, text, first_seen=at, printed=at)


def _places(text: str) -> list[str]:
    return [t.key for t in tokens(text) if t.place]


def test_places_are_the_names_a_preposition_of_place_leads_to() -> None:
    assert _places("Gericht in Paderborn verurteilt Armin Dörfler") == ["paderbor"]
    assert _places("Stürmisches Wetter in Berlin und Brandenburg") == ["berli", "brandenburg"]
    assert _places("Tödlicher Verkehrsunfall bei Stade") == ["stad"]
    assert _places("Huge blaze engulfs warehouse in Durham") == ["durham"]
    assert _places("Incendie à Quimper : 785 blessés") == ["quimp"]
    # A preposition of time or of a thing: no place.
    assert _places("Urteil im Prozess gegen Armin Dörfler") == []
    assert _places("Rücktritt wird am Abend wirksam") == []


def test_reports_placing_one_kind_of_event_in_two_places_are_two_events() -> None:
    _, placed = place_each(
        [
            _entry(1, 1, "Tödlicher Verkehrsunfall bei Stade", 0),
            _entry(2, 2, "Tödlicher Verkehrsunfall in Marktheidenfeld", 30),
        ]
    )
    assert placed["e2"][0] is PlacementKind.OPENED


def test_reports_placing_an_event_in_one_place_stay_one() -> None:
    _, placed = place_each(
        [
            _entry(1, 1, "Tödlicher Verkehrsunfall bei Stade", 0),
            _entry(2, 2, "Verkehrsunfall bei Stade: Zwei Tote", 30),
        ]
    )
    assert placed["e2"] == (PlacementKind.JOINED, placed["e1"][1])


def test_a_kicker_a_ticker_files_several_events_under_is_no_evidence() -> None:
    # Ticker 1 opens two stories' entries with "Unfälle:": its rubric. Besides it, the
    # third report shares one common word with the first ("Auto").
    _, placed = place_each(
        [
            _entry(1, 1, "Unfälle: Auto kracht gegen Baum: Fahrer tödlich verletzt", 0),
            _entry(1, 2, "Unfälle: Radfahrer stirbt auf Bahnübergang", 5),
            _entry(2, 3, "Unfälle: Auto erfasst Fußgänger: Jugendlicher in Lebensgefahr", 10),
        ]
    )
    assert placed["e3"][0] is PlacementKind.OPENED
    _, placed = place_each(
        [
            _entry(1, 1, "Luftverkehr: Flughäfen Stuttgart und Karlsruhe: Guter Ausblick", 0),
            _entry(1, 2, "Luftverkehr: Lufthansa streicht Flüge", 5),
            _entry(2, 3, "Luftverkehr: Onlineveranstaltung zum Ausbau des Flughafens Leipzig", 10),
        ]
    )
    assert placed["e3"][0] is PlacementKind.OPENED


def test_a_kicker_a_ticker_uses_for_one_event_still_names_it() -> None:
    _, placed = place_each(
        [
            _entry(2, 1, "Incendie à Quimper : 785 blessés", 0),
            _entry(1, 2, "Quimper : 785 personnes blessées dans un incendie", 5),
            _entry(1, 3, "Quimper : l'incendie maîtrisé après des heures", 60),
        ]
    )
    story = placed["e1"][1]
    assert placed["e2"] == (PlacementKind.JOINED, story)
    assert placed["e3"] == (PlacementKind.JOINED, story)


def test_a_restored_state_knows_the_rubrics_the_placed_one_knew() -> None:
    state, _ = place_each(
        [
            _entry(1, 1, "Verkehr: Kleintransporter fährt auf Lkw: Ein Schwerverletzter", 0),
            _entry(1, 2, "Verkehr: Bahnstrecke nach Sturm wieder frei", 5),
            _entry(2, 3, "Incendie à Quimper : 785 blessés", 6),
            _entry(1, 4, "Quimper : 785 personnes blessées dans un incendie", 7),
        ]
    )
    restored = restore(state.stories.values(), now=T0 + timedelta(minutes=10))
    assert dict(restored.kickers) == dict(state.kickers)
    stories_per_kicker = {k: len(v) for k, v in state.kickers.items()}
    assert stories_per_kicker == {
        (1, "verkehr"): 2,
        (1, "quimper"): 1,
        (2, "incendie a quimper"): 1,
    }


def test_one_shared_noun_is_no_event_where_every_noun_is_capitalised() -> None:
    # German capitalises "Gericht" like a name; two trials share it and nothing else.
    _, placed = place_each(
        [
            _entry(1, 1, "Prozesse: Mutmaßliche IS-Rückkehrerin vor Gericht", 0),
            _entry(2, 2, "Royal: Prinz Andrew: Missbrauchsvorwürfe sollen vor Gericht", 30),
        ]
    )
    assert placed["e2"][0] is PlacementKind.OPENED


def test_a_company_other_than_the_one_two_tickers_agreed_on_is_another_event() -> None:
    # Two tickers name Frontenac; a third reports job cuts at Carvelle in the words
    # the kind of event always takes, sharing "France" with one of them.
    said = "Le groupe %s va supprimer %s emplois en France, en raison de la hausse des coûts."
    _, placed = place_each(
        [
            _entry(
                2,
                1,
                "Plan social chez Frontenac : 61 postes supprimés",
                0,
                "61 postes seront supprimés chez Frontenac, a annoncé l'entreprise.",
            ),
            _entry(
                3,
                2,
                "Les syndicats dénoncent les suppressions chez Frontenac",
                40,
                said % ("Frontenac", 61),
            ),
            _entry(4, 3, "", 90, said % ("Carvelle", 6745)),
        ]
    )
    assert placed["e2"] == (PlacementKind.JOINED, placed["e1"][1])
    assert placed["e3"][0] is PlacementKind.OPENED


def test_a_sentence_filed_under_two_stories_says_nothing_of_a_third() -> None:
    stock = "Weitere Informationen folgen."
    state, placed = place_each(
        [
            _entry(1, 1, "Brand in Hamm", 0, f"Ein Wohnhaus steht in Flammen. {stock}"),
            _entry(1, 2, "Streik in Köln", 10, f"Busse und Bahnen stehen still. {stock}"),
            _entry(2, 3, "Großbrand in Hamm", 20, f"Feuerwehr im Einsatz. {stock}"),
        ]
    )
    assert placed["e1"][1] != placed["e2"][1]
    assert {"information", "folg"} <= state.features[(1, "e1")].words
    assert not {"information", "folg"} & state.features[(2, "e3")].words
    assert placed["e3"] == (PlacementKind.JOINED, placed["e1"][1])


def test_an_entry_is_scored_against_what_every_other_ticker_filed() -> None:
    # A story is more than its one member most like the entry: an entry like one of
    # its members and unlike the other scores lower than against that member alone,
    # so that stories do not grow by chains of one-member likenesses.
    passau = _entry(1, 1, "Warnstreik legt Flughafen Passau lahm", 0)
    other = _entry(2, 2, "Bundestag beschließt den Haushalt für das kommende Jahr", 5)
    new = _entry(3, 3, "Warnstreik legt Flughafen Passau lahm", 10)
    scores = []
    for members in ((passau,), (passau, other)):
        bench = Workbench(restore([Story(1, members)], now=new.when), DEFAULT_CONFIG)
        scores.append(bench.score(new, bench.features_of(new), 1, bench.vocabulary()))
    alone, with_other = scores
    assert alone > DEFAULT_CONFIG.threshold
    assert with_other < alone


def test_a_name_in_apposition_places_the_event() -> None:
    assert [t.key for t in tokens("Warnstreik legt Flughafen Passau lahm") if t.apposed] == [
        "passau"
    ]
    assert [t.key for t in tokens("Der Konzern Brauwerk baut Stellen ab") if t.apposed] == [
        "brauwerk"
    ]
    # A headline's first word may be an adjective: nothing stands in apposition to it.
    assert not [t for t in tokens("Deutsche Wirtschaft schrumpft") if t.apposed]
    _, placed = place_each(
        [
            _entry(1, 1, "Warnstreik legt Flughafen Passau lahm", 0),
            _entry(2, 2, "Warnstreik legt Flughafen Ulm lahm", 30),
        ]
    )
    assert placed["e2"][0] is PlacementKind.OPENED


def test_two_rubrics_both_tickers_file_under_are_two_topics() -> None:
    # Both tickers file under "Gesundheit:" and "Wetter:", as newsrooms fed by one
    # wire do: an event is filed under one of them, whichever ticker files it.
    rubrics = [
        _entry(1, 1, "Gesundheit: Corona-Inzidenz in Bremen sinkt", 0),
        _entry(1, 2, "Gesundheit: Neue Corona-Regeln in Kiel", 2),
        _entry(1, 3, "Wetter: Sonnig und mild in Hamburg", 4),
        _entry(2, 4, "Wetter: Glätte und Schnee in Dresden", 6),
        _entry(2, 5, "Wetter: Sturmböen im Harz erwartet", 8),
        _entry(2, 6, "Gesundheit: Impfquote in Erfurt steigt", 9),
    ]
    figures = _entry(1, 7, "Gesundheit: Corona-Inzidenz in Rheinland-Pfalz steigt wieder", 10)
    weather = _entry(2, 8, "Wetter: Wetter in Rheinland-Pfalz bleibt ungemütlich und stürmisch", 40)
    _, placed = place_each([*rubrics, figures, weather])
    assert placed["e8"][0] is PlacementKind.OPENED
    # The other ticker's report of the figures, under the rubric both use, joins.
    same = _entry(2, 9, "Gesundheit: Inzidenz in Rheinland-Pfalz steigt wieder an", 40)
    _, placed = place_each([*rubrics, figures, same])
    assert placed["e9"] == (PlacementKind.JOINED, placed["e7"][1])
