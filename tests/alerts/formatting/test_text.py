"""Word diffs, word-boundary cuts and truncation: the platform-neutral text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alerts.formatting.text import (
    ELLIPSIS,
    Mark,
    Span,
    compact_diff,
    cut_words,
    length,
    paragraphs,
    truncate,
    word_prefix,
)
from diffing.classify import word_ops

LONG = " ".join(f"w{n}" for n in range(40))


def render(paragraph: tuple[Span, ...]) -> str:
    marks = {Mark.PLAIN: "{}", Mark.DELETED: "[-{}-]", Mark.INSERTED: "{{+{}+}}"}
    return " ".join(marks[span.mark].format(span.text) for span in paragraph)


def test_one_changed_word_shows_five_words_either_side() -> None:
    ops = word_ops(LONG, LONG.replace("w20", "W20"))
    assert (
        render(compact_diff(ops)) == "… w15 w16 w17 w18 w19 [-w20-] {+W20+} w21 w22 w23 w24 w25 …"
    )


def test_distant_changes_elide_the_middle_and_near_ones_keep_it() -> None:
    far = LONG.replace("w5", "x5").replace("w30", "x30")
    assert render(compact_diff(word_ops(LONG, far))) == (
        "w0 w1 w2 w3 w4 [-w5-] {+x5+} w6 w7 w8 w9 w10 … w25 w26 w27 w28 w29 [-w30-] {+x30+} "
        "w31 w32 w33 w34 w35 …"
    )
    near = LONG.replace("w5", "x5").replace("w12", "x12")
    assert "w6 w7 w8 w9 w10 w11 [-w12-]" in render(compact_diff(word_ops(LONG, near)))


def test_insertion_at_the_end_and_deletion_at_the_start() -> None:
    assert render(compact_diff(word_ops("a b c", "a b c d e"))) == "a b c {+d e+}"
    assert render(compact_diff(word_ops("a b c", "b c"))) == "[-a-] b c"


def test_no_change_renders_the_text_without_marks() -> None:
    assert render(compact_diff(word_ops("a b", "a b"))) == "a b"


def test_paragraphs_drop_blank_lines_and_squeeze_spaces() -> None:
    assert paragraphs("eins  zwei\n\n  drei\n") == ((Span("eins zwei"),), (Span("drei"),))


def test_cut_words_ends_at_a_word_boundary_with_an_ellipsis() -> None:
    assert cut_words("Kleine Panne bei Kim-Ankunft", 15) == "Kleine Panne…"
    assert cut_words("Kleine Panne", 12) == "Kleine Panne"
    assert cut_words("Donaudampfschifffahrt", 8) == "Donauda…"


def test_a_single_long_word_is_cut_inside() -> None:
    assert word_prefix("Donaudampfschifffahrt ist lang", 5) == "Donau"


def test_truncate_keeps_paragraphs_and_marks_until_the_budget() -> None:
    body = ((Span("eins zwei drei"),), (Span("alt", Mark.DELETED), Span("neu", Mark.INSERTED)))
    assert truncate(body, 100) == body
    cut = truncate(body, 20)
    assert cut == ((Span("eins zwei drei"),), (Span("alt", Mark.DELETED), Span(ELLIPSIS)))
    assert length(cut) <= 20


def test_truncate_to_nothing_leaves_an_ellipsis() -> None:
    assert truncate(((Span("Wort"),),), 0) == ((Span(ELLIPSIS),),)


spans = st.builds(
    Span,
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=60),
    st.sampled_from(list(Mark)),
)
bodies = st.lists(st.lists(spans, min_size=1, max_size=5).map(tuple), max_size=5).map(tuple)


@given(bodies, st.integers(min_value=0, max_value=300))
def test_truncate_never_exceeds_the_budget_and_marks_every_cut(
    body: tuple[tuple[Span, ...], ...], budget: int
) -> None:
    cut = truncate(body, budget)
    if length(body) <= budget:
        assert cut == body
        return
    assert length(cut) <= max(budget, 1)
    assert cut[-1][-1].text.endswith(ELLIPSIS)


@given(st.text(max_size=200), st.integers(min_value=1, max_value=250))
def test_cut_words_is_a_prefix_within_the_limit(text: str, limit: int) -> None:
    cut = cut_words(text, limit)
    assert len(cut) <= limit
    if cut != text:
        assert cut.endswith(ELLIPSIS)
        assert text.startswith(cut[:-1])
