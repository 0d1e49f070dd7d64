"""The search syntax, read once and rendered for FTS5 and PostgreSQL; matching and
highlighting for display."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.search_query import (
    InvalidQuery,
    Term,
    fts5_match,
    highlight,
    matches,
    parse_query,
    snippet,
    tsquery,
)


def test_words_phrases_prefixes_and_exclusions() -> None:
    query = parse_query('Panne "roter Teppich" Wladi* -Trump -"Donald Trump"')
    assert query.terms == (
        Term(("Panne",)),
        Term(("roter", "Teppich")),
        Term(("Wladi",), prefix=True),
        Term(("Trump",), negated=True),
        Term(("Donald", "Trump"), negated=True),
    )


def test_punctuation_splits_words_as_the_indexes_do() -> None:
    assert parse_query("Kim-Panne").terms == (Term(("Kim", "Panne")),)
    assert parse_query("14.01").terms == (Term(("14", "01")),)
    assert parse_query("Pjöngjang").terms == (Term(("Pjöngjang",)),)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "type a word"),
        ("   ", "type a word"),
        ("-Trump", "not only what to leave out"),
        ('"" ** --', "no word"),
        ("x" * 400, "at most 300"),
        (" ".join(f"w{i}" for i in range(13)), "at most 12"),
    ],
)
def test_unusable_queries_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidQuery, match=reason):
        parse_query(text)


def test_fts5_expression_quotes_every_word() -> None:
    query = parse_query('Panne "roter Teppich" Wladi* -Trump NEAR OR')
    assert fts5_match(query) == (
        '"Panne" AND "roter Teppich" AND "Wladi"* AND "NEAR" AND "OR" NOT "Trump"'
    )


def test_tsquery_quotes_lexemes_and_chains_phrases() -> None:
    query = parse_query('Panne "roter Teppich" Wladi* -"Donald Trump"')
    assert (
        tsquery(query) == "'Panne' & ('roter' <-> 'Teppich') & 'Wladi':* & !('Donald' <-> 'Trump')"
    )


def test_matching_folds_case_and_keeps_phrases_inside_one_field() -> None:
    headline, text = "Kim-Panne vor Putin-Besuch", "Der rote Teppich lag am falschen Ort."
    assert matches(parse_query("kim panne"), (headline, text))
    assert matches(parse_query('"ROTE teppich"'), (headline, text))
    assert matches(parse_query("Tepp*"), (headline, text))
    assert not matches(parse_query("Panne -Teppich"), (headline, text))
    assert not matches(parse_query('"Besuch Der"'), (headline, text))  # across fields
    assert not matches(parse_query("Tepp"), (headline, text))  # a prefix needs its star
    assert matches(parse_query("Kim"), (None, "Kim kam."))


def test_highlight_marks_the_words_asked_for() -> None:
    marks = highlight("Kims Panne: der Panzerzug", parse_query("panne Panz*"))
    assert [(m.text, m.hit) for m in marks] == [
        ("Kims ", False),
        ("Panne", True),
        (": der ", False),
        ("Panzerzug", True),
    ]


def test_snippet_shows_the_first_hit_with_context() -> None:
    text = " ".join(["wort"] * 200) + " Panne " + " ".join(["ende"] * 200)
    marks = snippet(text, parse_query("Panne"), width=120)
    joined = "".join(m.text for m in marks)
    assert joined.startswith("… ")
    assert joined.endswith(" …")
    assert [m.text for m in marks if m.hit] == ["Panne"]
    assert len(joined) <= 130


@given(st.text(max_size=80))
def test_any_text_either_parses_or_is_refused_clearly(text: str) -> None:
    try:
        query = parse_query(text)
    except InvalidQuery as error:
        message = str(error)
        query = None
    if query is None:
        assert message
        return
    assert query.positive
    # Words hold only letters and digits, so no word can close its quotes early.
    assert all(word.isalnum() for term in query.terms for word in term.words)
    assert fts5_match(query).count('"') == 2 * len(query.terms)
