"""Name evidence in similarity: which words are names, and how rare a name must be."""

from __future__ import annotations

from datetime import UTC, datetime

from stories import StoryEntry, Vocabulary, features, match

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
