"""Name evidence in similarity: which words are names, and how rare a name must be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stories import DeskState, PlacementKind, StoryEntry, Vocabulary, features, match, place

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_SAID = "All passengers were safe after the ferry ran aground near %s, the coastguard said."


def test_a_headlines_first_word_is_not_a_name_in_english() -> None:
    # Two ferries in two ports, worded from one stock phrase. "Crews" opens both
    # headlines; it is capitalised by grammar, not a name, and must not pass for a
    # shared name: the names (the ports) differ.
    a = features(StoryEntry(1, "a", "Crews rescue ferry off Harwich", _SAID % "Harwich", AT), 40)
    b = features(StoryEntry(2, "b", "Crews rescue ferry off Oban", _SAID % "Oban", AT), 40)
    vocab = Vocabulary({"crew": 1, "rescu": 2, "ferry": 2}, 40)
    assert "crew" not in a.names
    assert match(a, b, vocab).names == -1


def test_german_nouns_stay_candidates_and_rarity_picks_the_name() -> None:
    a = features(StoryEntry(1, "a", "Fähre vor Husum gesunken", "", AT), 40)
    assert {"fahr", "husum"} <= a.names


def test_a_second_report_of_a_name_still_anchors() -> None:
    # The window holds ``b`` and one earlier report of the town and the crane (df 2);
    # each headline also has a word of its own (``b``'s in one entry: itself). Judged
    # by those odd words alone the two looked like two events.
    a = features(StoryEntry(1, "a", "Flensburg: Hafenkran nach Stunden geborgen", "", AT), 40)
    b = features(StoryEntry(2, "b", "Flensburg: Hafenkran stürzt auf Werftgelände", "", AT), 40)
    counts = dict.fromkeys(a.words & b.words, 2) | dict.fromkeys(b.words - a.words, 1)
    vocab = Vocabulary(counts, 60)
    assert "werftgeland" in b.names
    assert match(a, b, vocab).names >= 0


def test_two_words_nobody_else_uses_count_once_per_word() -> None:
    # A court and the rule it struck down, in two headlines worded apart; the
    # hyphenated "BGH-Urteil" gives "bgh" and the joined form, one word.
    a = features(StoryEntry(1, "a", "BGH kippt Klarnamenpflicht für Nutzerkonten", "", AT), 40)
    b = features(
        StoryEntry(2, "b", "BGH-Urteil zur Klarnamenpflicht: Pseudonyme erlaubt", "", AT), 40
    )
    only_b = dict.fromkeys(b.words, 1)
    assert match(a, b, Vocabulary(only_b, 200)).rare_shared == 2
    # The same two words in a small window, or held by other entries, are no mark.
    assert match(a, b, Vocabulary(only_b, 40)).rare_shared == 0
    assert match(a, b, Vocabulary(dict.fromkeys(b.words, 3), 200)).rare_shared == 0


def test_a_name_repeated_by_its_story_stays_rare_where_case_marks_names() -> None:
    # Three earlier reports named the storm and the town (df 3 in a window of 60);
    # each new text names something of its own. Compared with the story whose three
    # members name the storm, "Dudley" is still the storm's name, not a common word.
    a = features(StoryEntry(1, "a", "", _STORM % "Network Rail said", AT), 40)
    b = features(StoryEntry(2, "b", "", _STORM % "the Severn bridge was shut", AT), 40)
    vocab = Vocabulary(dict.fromkeys(a.words & b.words, 3), 60)
    held = dict.fromkeys(a.names & b.names, 3)
    assert a.names_only
    assert b.names_only
    assert match(a, b, vocab).names == -1
    assert match(a, b, vocab, held).names == 1


_STORM = (
    "Storm Dudley hit Bristol overnight with strong gusts that brought down trees and"
    " power lines across the city, and %s in the morning."
)


def test_a_headlines_first_word_is_a_name_where_the_other_text_names_it() -> None:
    # The company opens one headline; the other text names it inside a sentence.
    a = features(StoryEntry(1, "a", "Bellmont to cut 15 jobs", "", AT), 40)
    b = features(
        StoryEntry(2, "b", "", "The plant will close, and 15 jobs go at Bellmont.", AT), 40
    )
    vocab = Vocabulary({"bellmont": 1, "job": 9, "cut": 9, "plant": 2, "clos": 4}, 60)
    assert "bellmont" not in a.names
    assert match(a, b, vocab).names == 1


def _de(title: str, text: str = "") -> StoryEntry:
    return StoryEntry(1, title, title, text, AT)


def test_a_follow_up_naming_what_two_tickers_agreed_on_names_the_event() -> None:
    # Two tickers called the storm and the town alike; the follow-up hours later adds
    # an odd word of its own ("Aufräumarbeiten"), which alone would set it apart.
    follow_up = features(_de("Nach Sturm Zeynep: Aufräumarbeiten in Jena"), 40)
    member = features(
        _de(
            "Unwetter: Orkan «Zeynep» fegt über Jena – Bahnverkehr eingestellt",
            "Umgestürzte Bäume und abgedeckte Dächer: Sturm Zeynep hat Jena hart getroffen.",
        ),
        40,
    )
    story = {"zeynep": 3, "jena": 3, "sturm": 3}  # three members, two tickers
    vocab = Vocabulary({**dict.fromkeys(member.words, 1), **story}, 40)
    assert match(follow_up, member, vocab, story).names == -1
    agreed = frozenset(story)
    assert match(follow_up, member, vocab, story, agreed).names == 1


def test_another_event_of_the_kind_lacks_the_agreed_town() -> None:
    other = features(_de("Streik am Flughafen Paderborn: 128 Flüge gestrichen"), 40)
    member = features(_de("Streik am Flughafen Bielefeld: 267 Flüge gestrichen"), 40)
    story = {"streik": 2, "flughaf": 2, "bielefeld": 2, "flug": 2, "gestrich": 2}
    vocab = Vocabulary({**story, "paderbor": 0}, 40)  # the first report from Paderborn
    agreed = frozenset(story)
    assert match(other, member, vocab, story, agreed) == match(other, member, vocab, story)
    assert match(other, member, vocab, story, agreed).names < 1


def test_a_short_text_repeating_its_names_still_capitalises_names_only() -> None:
    # Six of seventeen words inside sentences are capitalised, but only two distinct
    # words: "Alex" and "Nîmes" are names, and "Arbres", opening a sentence, is not.
    text = (
        "Après la tempête Alex, Nîmes nettoie. Arbres arrachés et toits envolés : la"
        " tempête Alex a durement touché Nîmes."
    )
    storm = features(StoryEntry(1, "a", "Après la tempête Alex, Nîmes nettoie", text, AT), 40)
    assert storm.names_only
    assert storm.names == {"alex", "nime"}


def _hours_apart(first: str, second: str, hours: float) -> PlacementKind:
    """How ``second`` (ticker 2) is placed ``hours`` after ``first`` (ticker 1), in a
    window of 150 short reports of a third ticker that share neither's words."""
    state = DeskState()
    for n in range(150):
        at = AT + timedelta(minutes=n)
        state, _ = place(state, [StoryEntry(3, f"n{n}", f"Kurzmeldung {n}", "", at)], at)
    start = AT + timedelta(hours=3)
    for ticker, title, at in ((1, first, start), (2, second, start + timedelta(hours=hours))):
        state, placed = place(state, [StoryEntry(ticker, title, title, "", at, at)], at)
    return placed[0].kind


def test_a_name_nobody_else_uses_and_nothing_else_shared_tells_the_event_hours_later() -> None:
    # Hours apart, one shared word would be paid for by the time between: here every
    # shared word is one nobody else in the window uses, a hyphenated name and its head
    # ("US-Bundesstaaten": "usbundesstaat", "bundesstaat"), and no stock word of a kind
    # of event is among them.
    first = "Kritik an Urteil: US-Bundesstaaten mischen sich in Kartellstreit ein"
    second = "Spielehersteller erhält Unterstützung von US-Bundesstaaten"
    assert _hours_apart(first, second, 2.6) is PlacementKind.JOINED
    # One plain word, or a place two events may share, is still paid for.
    assert (
        _hours_apart(
            "Eishockey: Tigers binden Torwart Brandt mit neuem Vertrag",
            "Fußball: Waldhof verlängert Vertrag mit Martinovic",
            2.6,
        )
        is PlacementKind.OPENED
    )
    # A place: two events may happen there hours apart, whatever else they share.
    landtag = features(_de("Landtag beschließt Hochschulgesetz für Schleswig-Holstein"), 40)
    figures = features(_de("Inzidenz in Schleswig-Holstein steigt über 1000"), 40)
    rare = Vocabulary(dict.fromkeys(landtag.words | figures.words, 1), 200)
    assert not match(landtag, figures, rare).only_rare
    unplaced = features(_de("Inzidenz steigt: Schleswig-Holstein über 1000"), 40)
    assert match(landtag, unplaced, rare).only_rare
