"""Which changes a sink gets: tickers, tags, kinds, keywords, minimum edit size."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from alerts.errors import InvalidSubscription
from alerts.model import Rules
from alerts.rules import Matcher, check_rules, keyword_pattern, searchable_text
from diffing.model import ChangeKind, EntryVersion, HealthKind
from storage.model import PollId, Revision, RevisionId, SnapshotId, StoredChange, Ticker, TickerId

AT = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
TICKER = Ticker(
    id=TickerId(7),
    url="https://www.example.test/live",
    name="Gipfel",
    interval_seconds=300,
    zone=None,
    profile=None,
    paused=False,
    tags=("Politik", "asien"),
    created_at=AT,
    next_poll_at=None,
    error_streak=0,
)


def _revision(text: str, headline: str | None = None) -> Revision:
    return Revision(RevisionId(1), "e1", SnapshotId(1), AT, EntryVersion(text, headline))


def change(
    kind: ChangeKind = ChangeKind.ADDED,
    text: str = "Kim Jong Un trifft Wladimir Putin in Wladiwostok.",
    *,
    previous: str | None = None,
    headline: str | None = None,
    similarity: float | None = None,
) -> StoredChange:
    return StoredChange(
        id=1,
        ticker_id=TickerId(7),
        poll_id=PollId(1),
        snapshot_id=SnapshotId(1),
        observed_at=AT,
        kind=kind,
        entry_id="e1",
        changed=(),
        similarity=similarity,
        word_ops=(),
        previous=_revision(previous) if previous is not None else None,
        current=_revision(text, headline),
        page_headline=None,
        previous_page_headline=None,
    )


def matches(rules: Rules, what: StoredChange, ticker: Ticker = TICKER) -> bool:
    return Matcher(rules).matches(ticker, what)


def test_default_rules_take_every_alerted_change_but_parse_health() -> None:
    for kind in ChangeKind:
        if kind.alerts and kind is not ChangeKind.TICKER_HEALTH and not kind.about_story:
            assert matches(Rules(), change(kind))
    health = replace(
        change(ChangeKind.TICKER_HEALTH),
        entry_id=None,
        current=None,
        health=HealthKind.NOT_A_TICKER,
        detail="Not a ticker at 14:05 UTC: 0 entries read, was 42 (consent wall)",
    )
    assert not matches(Rules(), health)  # opt-in: about the reader, not the news
    assert matches(Rules(kinds=(ChangeKind.TICKER_HEALTH,)), health)
    assert matches(Rules(kinds=(ChangeKind.TICKER_HEALTH,), include=("consent wall",)), health)
    assert not matches(Rules(kinds=(ChangeKind.ADDED, ChangeKind.EDITED)), health)


def test_story_alerts_go_only_to_sinks_that_name_them() -> None:
    detail = "Politik: Rival was first, 14 min before Ours (seen 14:03 UTC and 14:17 UTC)."
    for kind in (ChangeKind.COMPETITOR_FIRST, ChangeKind.WE_WERE_FIRST):
        alert = replace(change(kind, "Brand im Hafen"), detail=detail, desk_id=2, story_id=5)
        assert not matches(Rules(), alert)  # a sink made before desks gets no desk messages
        assert matches(Rules(kinds=(kind,)), alert)
        assert not matches(Rules(kinds=(ChangeKind.ADDED,)), alert)
        # Keywords search the competitor's entry and the detail.
        assert matches(Rules(kinds=(kind,), include=("Hafen",)), alert)
        assert matches(Rules(kinds=(kind,), include=("Rival was first",)), alert)
        assert not matches(Rules(kinds=(kind,), include=("Sport",)), alert)


def test_a_desk_rule_selects_that_desks_story_alerts_whichever_ticker_had_them() -> None:
    first = ChangeKind.COMPETITOR_FIRST
    alert = replace(change(first, "Brand im Hafen"), detail="…", desk_id=2, story_id=5)
    kinds = (first, ChangeKind.ADDED)
    assert matches(Rules(desks=(2,), kinds=kinds), alert)  # ticker 7 is the competitor's
    assert not matches(Rules(desks=(3,), kinds=kinds), alert)
    assert not matches(Rules(desks=(2,), kinds=kinds), change())  # not a story alert
    # Our own ticker's id alone does not select the competitor's alert; with the desk, it does.
    assert not matches(Rules(tickers=(1,), kinds=kinds), alert)
    assert matches(Rules(tickers=(1,), desks=(2,), kinds=kinds), alert)


def test_tickers_are_chosen_by_id_or_tag() -> None:
    assert matches(Rules(tickers=(7,)), change())
    assert not matches(Rules(tickers=(8,)), change())
    assert matches(Rules(tags=("politik",)), change())  # tags ignore case
    assert matches(Rules(tickers=(8,), tags=("Asien",)), change())  # either selects
    assert not matches(Rules(tags=("sport",)), change())


def test_kinds_restrict_what_is_sent() -> None:
    rules = Rules(kinds=(ChangeKind.ADDED, ChangeKind.EDITED))
    assert matches(rules, change(ChangeKind.ADDED))
    assert not matches(rules, change(ChangeKind.REMOVED))


@pytest.mark.parametrize(
    ("keyword", "hit"),
    [
        ("putin", True),
        ("PUTIN", True),
        ("Put", False),  # whole words only
        ("trifft wladimir", True),  # a phrase
        ("trifft   Wladimir", True),
        ("Wladiwostok", True),
        ("re:wladi\\w+", True),
        ("re:^kim", True),
        ("re:moskau|peking", False),
    ],
)
def test_keywords_are_whole_words_or_regular_expressions(keyword: str, hit: bool) -> None:
    assert matches(Rules(include=(keyword,)), change()) is hit
    assert matches(Rules(exclude=(keyword,)), change()) is not hit


def test_keywords_search_both_sides_of_an_edit_and_headlines() -> None:
    edit = change(ChangeKind.EDITED, "Treffen verschoben.", previous="Treffen in Moskau.")
    assert matches(Rules(include=("moskau",)), edit)
    assert matches(Rules(include=("gipfel",)), change(headline="Gipfel beginnt"))
    assert "Treffen in Moskau." in searchable_text(edit)


def test_keywords_see_page_headlines() -> None:
    page = replace(
        change(ChangeKind.PAGE_RETITLED),
        entry_id=None,
        current=None,
        page_headline="Kim-Panne vor Putin-Besuch",
        previous_page_headline="Kim in Russland",
    )
    assert matches(Rules(include=("panne",)), page)
    assert matches(Rules(include=("kim-panne",)), page)
    assert not matches(Rules(include=("kim-pann",)), page)


def test_include_needs_one_keyword_and_exclude_wins() -> None:
    rules = Rules(include=("putin", "xi"), exclude=("wladiwostok",))
    assert not matches(rules, change())
    assert matches(rules, change(text="Putin empfängt Kim."))
    assert matches(Rules(include=("U.S.",)), change(text="The U.S. said so."))
    assert not matches(Rules(include=("U.S.",)), change(text="The U.S.A. said so."))


def test_small_edits_are_ignored_below_the_minimum_edit_size() -> None:
    rules = Rules(min_edit=0.05)
    typo = change(ChangeKind.EDITED, similarity=0.99)
    rewrite = change(ChangeKind.EDITED, similarity=0.6)
    assert not matches(rules, typo)
    assert matches(rules, rewrite)
    assert matches(rules, change(ChangeKind.EDITED, similarity=0.95))  # exactly 5 %
    assert matches(rules, change(ChangeKind.RETITLED, similarity=1.0))  # not an edit
    assert matches(Rules(), typo)


def test_a_change_of_another_ticker_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="not of ticker"):
        matches(Rules(), change(), replace(TICKER, id=TickerId(8)))


@pytest.mark.parametrize(
    "rules",
    [
        Rules(include=("",)),
        Rules(exclude=("re:",)),
        Rules(include=("re:[a-",)),
        Rules(kinds=(ChangeKind.PAGED_OUT,)),
        Rules(min_edit=-0.1),
        Rules(min_edit=float("nan")),
        Rules(tickers=(0,)),
        Rules(desks=(0,)),
        Rules(tags=(" ",)),
        Rules(rate_per_minute=-1),
        Rules(digest_threshold=-2),
    ],
)
def test_rules_that_cannot_work_are_refused(rules: Rules) -> None:
    with pytest.raises(InvalidSubscription):
        check_rules(rules)


def test_a_broken_regex_says_where() -> None:
    with pytest.raises(InvalidSubscription, match="re:\\(ab"):
        keyword_pattern("re:(ab")
